/**
 * Distributed claims for the groups claim only (oidc.go `claimResolver.expand`
 * and `resolve`): when the claim is absent and `_claim_names`
 * points at a source with an endpoint, the endpoint's JWT is fetched with the
 * issuer's HTTP client, verified like a main token (signature, algorithms,
 * `exp`, audiences) by the verifier of its own `iss`, and its value of the claim
 * is pulled into the claims. Messages are oidc.go's, wrapped by the caller in
 * `oidc: could not expand distributed claims: `.
 */
import { redactURL } from '../go/redact-url.js'
import type { HttpClient } from '../issuer/http-client.js'
import { decodeRawBase64Url } from '../go/base64url.js'
import { goQuote } from '../go/quote.js'
import { goJsonKind, goUnmarshalValueError } from '../go/json.js'
import { goFoldKey } from '../go/json-members.js'
import { VerifyError } from './rejection.js'
import { peekUntrustedIssuer } from './untrusted-issuer.js'
import { verifyToken, type SignatureKeys, type VerifierSettings } from './verify.js'

export interface DistributedClaimsContext {
  readonly client: HttpClient
  readonly audiences: readonly string[]
  readonly now: Date
  /**
   * Aborted when the whole resolution (endpoint, first-use discovery, JWKS) has
   * run out of time, so a review stays well inside kube-apiserver's webhook timeout.
   */
  readonly deadline: AbortSignal
  /** The verifier for a distributed JWT's issuer, or an error text (`verifier not initialized ...`). */
  verifierFor(
    issuer: string,
  ): Promise<{ settings: VerifierSettings; keys: SignatureKeys } | { error: string }>
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

function failure(message: string): VerifyError {
  return new VerifyError('distributed_claims_failed', message)
}

/** `work`, or the error `onDeadline` makes as soon as the deadline passes (the work is left to finish on its own). */
function beforeDeadline<T>(
  work: Promise<T>,
  deadline: AbortSignal,
  onDeadline: () => VerifyError,
): Promise<T> {
  if (deadline.aborted) return Promise.reject(onDeadline())
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onDeadline())
    deadline.addEventListener('abort', abort, { once: true })
    work.then(
      (value) => {
        deadline.removeEventListener('abort', abort)
        resolve(value)
      },
      (err: unknown) => {
        deadline.removeEventListener('abort', abort)
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}

// Go's errors for `untrustedIssuer` on the distributed JWT.
function untrustedIssuerError(jwt: string): string {
  if (/^\s*\{/u.test(jwt)) return 'token is not compact JWT'
  const parts = jwt.split('.')
  if (parts.length !== 3) return 'malformed token'
  const decoded = decodeRawBase64Url(parts[1] ?? '')
  if (!decoded.ok) return `error decoding token: ${decoded.message}`
  try {
    const value: unknown = JSON.parse(decoded.bytes.toString('utf8'))
    if (typeof value !== 'object' || Array.isArray(value)) {
      return `while unmarshaling token: json: cannot unmarshal ${goJsonKind(value)} into Go value of type struct { Issuer string "json:\\"iss\\"" }`
    }
    return 'while unmarshaling token: json: cannot unmarshal into Go struct field .iss of type string'
  } catch (err) {
    return `while unmarshaling token: ${(err as Error).message}`
  }
}

function decodeNames(value: unknown): Map<string, string> {
  if (value === null) return new Map()
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw failure(
      `oidc: error parsing distributed claim names: ${goUnmarshalValueError(value, 'map[string]string')}`,
    )
  }
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v !== 'string') {
      throw failure(
        `oidc: error parsing distributed claim names: ${goUnmarshalValueError(v, 'string')}`,
      )
    }
    out.set(k, v ?? '')
  }
  return out
}

interface Endpoint {
  readonly url: string
  readonly accessToken: string
}

function decodeSources(value: unknown): Map<string, Endpoint> {
  if (value === null) return new Map()
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw failure(
      `oidc: could not parse claim sources: ${goUnmarshalValueError(value, 'map[string]oidc.endpoint')}`,
    )
  }
  const out = new Map<string, Endpoint>()
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) {
      out.set(k, { url: '', accessToken: '' })
      continue
    }
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw failure(
        `oidc: could not parse claim sources: ${goUnmarshalValueError(v, 'oidc.endpoint')}`,
      )
    }
    let url = ''
    let accessToken = ''
    for (const [field, fv] of Object.entries(v as Record<string, unknown>)) {
      const lower = goFoldKey(field)
      if (lower !== 'endpoint' && lower !== 'access_token' && lower !== 'jwt') continue
      if (fv !== null && typeof fv !== 'string') {
        const name = lower === 'jwt' ? 'JWT' : lower
        throw failure(
          `oidc: could not parse claim sources: json: cannot unmarshal ${goJsonKind(fv)} into Go struct field endpoint.${name} of type string`,
        )
      }
      if (lower === 'endpoint') url = fv ?? ''
      else if (lower === 'access_token') accessToken = fv ?? ''
    }
    out.set(k, { url, accessToken })
  }
  return out
}

/**
 * False when {@link expandDistributedClaims} would return `claims` as they
 * are without looking at its context: the claim is present, or the token names
 * no distributed claims. Lets the caller skip arming a deadline (an
 * AbortController and a timer, ~10 µs) for the tokens nearly all issuers send.
 */
export function mayHaveDistributedClaim(
  claim: string,
  claims: Readonly<Record<string, unknown>>,
): boolean {
  return !hasOwn(claims, claim) && hasOwn(claims, '_claim_names')
}

/**
 * Returns the claims with `claim` resolved, or the same object when there is
 * nothing to resolve. Throws `VerifyError` (reason `distributed_claims_failed`).
 */
export async function expandDistributedClaims(
  claim: string,
  claims: Readonly<Record<string, unknown>>,
  ctx: DistributedClaimsContext,
): Promise<Readonly<Record<string, unknown>>> {
  // The normal claim wins; no `_claim_names`, nothing to expand.
  if (!mayHaveDistributedClaim(claim, claims)) return claims
  const names = decodeNames(claims._claim_names)
  if (!hasOwn(claims, '_claim_sources')) throw failure('oidc: no claim sources')
  const sources = decodeSources(claims._claim_sources)
  const source = names.get(claim)
  if (source === undefined) return claims
  const endpoint = sources.get(source)
  if (endpoint === undefined)
    throw failure(`id token _claim_names contained a source ${source} missing in _claims_sources`)
  if (endpoint.url === '') return claims // an aggregated claim (JWT inline): not supported upstream either

  let body: string
  try {
    const res = await ctx.client.get(endpoint.url, {
      signal: ctx.deadline,
      ...(endpoint.accessToken !== ''
        ? { headers: { authorization: `Bearer ${endpoint.accessToken}` } }
        : {}),
    })
    if (res.status < 200 || res.status > 226) {
      throw new Error(`error while getting distributed claim JWT: ${res.statusText}`)
    }
    body = res.body.toString('utf8')
  } catch (err) {
    const message = `while getting distributed claim ${goQuote(claim)}: ${(err as Error).message}`
    if (ctx.deadline.aborted) throw new VerifyError('distributed_claims_failed', message, true)
    throw failure(message)
  }
  const peeked = peekUntrustedIssuer(body)
  if (peeked === undefined) {
    throw failure(
      `getting untrusted issuer from endpoint ${redactURL(endpoint.url)} failed for claim ${goQuote(claim)}: ${untrustedIssuerError(body)}`,
    )
  }
  const notInitialized = (): VerifyError =>
    new VerifyError(
      'distributed_claims_failed',
      `verifying untrusted issuer ${redactURL(peeked.issuer)} failed: verifier not initialized for issuer: ${goQuote(redactURL(peeked.issuer))}`,
      true,
    )
  const verifier = await beforeDeadline(
    ctx.verifierFor(peeked.issuer),
    ctx.deadline,
    notInitialized,
  )
  if ('error' in verifier)
    throw failure(
      `verifying untrusted issuer ${redactURL(peeked.issuer)} failed: ${verifier.error}`,
    )
  try {
    await beforeDeadline(
      verifyToken(peeked, verifier.settings, verifier.keys, ctx.now),
      ctx.deadline,
      () =>
        new VerifyError(
          'keys_unavailable',
          'failed to verify signature: fetching keys context deadline exceeded',
          true,
        ),
    )
  } catch (err) {
    if (err instanceof VerifyError) {
      throw new VerifyError(
        err.transient ? err.reason : 'distributed_claims_failed',
        `verify distributed claim token: ${err.message}`,
        err.transient,
      )
    }
    throw err
  }
  if (!hasOwn(peeked.untrustedPayload, claim)) {
    throw failure(
      `jwt returned by distributed claim endpoint ${goQuote(redactURL(endpoint.url))} did not contain claim: ${claim}`,
    )
  }
  return { ...claims, [claim]: peeked.untrustedPayload[claim] }
}
