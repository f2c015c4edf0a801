/**
 * The unverified peek at a token's `iss` that picks the authenticator, as
 * kube-apiserver's `untrustedIssuer` / `hasCorrectIssuer` do
 * (plugin/pkg/authenticator/token/oidc/oidc.go). Nothing here is trusted: the
 * result only chooses which issuer verifies the token.
 */
import { decodeRawBase64Url } from '../go/base64url.js'
import { exceedsGoJsonDepth, goStructField } from '../go/json.js'
import { objectMembers, type JsonMember } from '../go/json-members.js'

const GOOGLE_NO_SCHEME = 'accounts.google.com'
const GOOGLE = 'https://accounts.google.com'

/** A peeked token: the issuer to look up and the decoded (still unverified) payload. */
export interface UntrustedToken {
  /** `iss`, with `accounts.google.com` coalesced to `https://accounts.google.com`. */
  readonly issuer: string
  /** The payload as a JSON object, parsed once and reused by verification. */
  readonly untrustedPayload: Readonly<Record<string, unknown>>
  /** The payload's members in document order, duplicates kept (Go's struct decoding needs them). */
  readonly members: readonly JsonMember[]
  /** The three compact parts. */
  readonly parts: readonly [string, string, string]
}

// Go's strings.TrimSpace then HasPrefix "{": a JSON-serialized JWS is not ours to peek.
const JSON_SERIALIZATION = /^[\s\u0085]*\{/u

/**
 * Returns the peeked token, or undefined when kube-apiserver would skip it:
 * JSON serialization (`{` after trimming spaces), not exactly
 * three parts, payload not unpadded base64url, not a JSON value with a string
 * `iss`, or nested deeper than Go's decoder accepts. A `null` payload or missing `iss` yields issuer `""`.
 */
export function peekUntrustedIssuer(token: string): UntrustedToken | undefined {
  const first = token.indexOf('.')
  if (first < 0) return undefined
  const second = token.indexOf('.', first + 1)
  if (second < 0 || token.indexOf('.', second + 1) >= 0) return undefined
  if (JSON_SERIALIZATION.test(token)) return undefined
  const payloadText = token.slice(first + 1, second)
  const decoded = decodeRawBase64Url(payloadText)
  if (!decoded.ok) return undefined
  // Go's decoder fails on nesting past 10 000 levels, so kube-apiserver skips such a token.
  if (exceedsGoJsonDepth(decoded.bytes)) return undefined
  const text = decoded.bytes.toString('utf8')
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    return undefined
  }
  let issuer = ''
  let object: Record<string, unknown> = {}
  let members: JsonMember[] = []
  if (payload !== null) {
    if (typeof payload !== 'object' || Array.isArray(payload)) return undefined
    object = payload as Record<string, unknown>
    members = objectMembers(text) ?? []
    const iss = goStructField(members, 'iss')
    if (iss.found) {
      if (typeof iss.value === 'string') issuer = iss.value
      else if (iss.value !== null) return undefined
    }
  }
  if (issuer === GOOGLE_NO_SCHEME) issuer = GOOGLE
  return {
    issuer,
    untrustedPayload: object,
    members,
    parts: [token.slice(0, first), payloadText, token.slice(second + 1)],
  }
}
