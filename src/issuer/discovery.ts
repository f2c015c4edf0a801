/**
 * OIDC discovery as go-oidc v2 `NewProvider` does it, with kube-apiserver's
 * additions: the document comes from `discoveryURL` (already resolved in the
 * compiled config), its `issuer` must equal the configured `url` byte for byte,
 * and `jwks_uri` must be present (1.35+). Error texts are go-oidc's.
 */
import { redactURL } from '../go/redact-url.js'
import { goQuote } from '../go/quote.js'
import { goStructField, goUnmarshalFieldError } from '../go/json.js'
import { objectMembers } from '../go/json-members.js'
import type { HttpClient } from './http-client.js'
import { shortBody } from './short-body.js'

export interface DiscoveryDocument {
  readonly issuer: string
  readonly jwksURI: string
  /** The document as fetched (kept for the key cache). */
  readonly raw: Buffer
}

/** A failed discovery; the message is what the issuer status and logs show. */
export class DiscoveryError extends Error {
  readonly code = 'ERR_DISCOVERY'
  override readonly name = 'DiscoveryError'
}

// Discovery may be served behind a redirect (Go's http.Client follows up to 10).
const DISCOVERY_MAX_REDIRECTS = 10

/** Validates a discovery document body against the configured issuer URL. */
export function parseDiscovery(body: Buffer, issuerURL: string): DiscoveryDocument {
  const text = body.toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new DiscoveryError(
      `oidc: failed to decode provider discovery object: ${(err as Error).message}`,
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DiscoveryError('oidc: failed to decode provider discovery object: not a JSON object')
  }
  const members = objectMembers(text) ?? []
  const field = (name: string): string => {
    const { value } = goStructField(members, name)
    if (value === undefined || value === null) return ''
    if (typeof value !== 'string') {
      throw new DiscoveryError(
        `oidc: failed to decode provider discovery object: ${goUnmarshalFieldError(value, 'providerJSON', name, 'string')}`,
      )
    }
    return value
  }
  const issuer = field('issuer')
  const jwksURI = field('jwks_uri')
  if (issuer !== issuerURL) {
    throw new DiscoveryError(
      `oidc: issuer did not match the issuer returned by provider, expected ${goQuote(issuerURL)} got ${goQuote(redactURL(issuer))}`,
    )
  }
  if (jwksURI === '') throw new DiscoveryError('provider did not return JWKS URL')
  return { issuer, jwksURI, raw: body }
}

/** Fetches and validates the discovery document. Throws `DiscoveryError`. */
export async function fetchDiscovery(
  client: HttpClient,
  discoveryURL: string,
  issuerURL: string,
  signal?: AbortSignal,
): Promise<DiscoveryDocument> {
  let res
  try {
    res = await client.get(discoveryURL, {
      maxRedirects: DISCOVERY_MAX_REDIRECTS,
      ...(signal ? { signal } : {}),
    })
  } catch (err) {
    throw new DiscoveryError((err as Error).message)
  }
  if (res.status !== 200) throw new DiscoveryError(`${res.statusText}: ${shortBody(res.body)}`)
  return parseDiscovery(res.body, issuerURL)
}
