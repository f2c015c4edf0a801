/**
 * go-oidc v2.5.0 `IDTokenVerifier.Verify` (the version Kubernetes 1.36 and
 * later vendor) plus kube-apiserver's own audience check
 * (`idTokenVerifier.Verify`), in their order: parse the JWS, one signature,
 * allowed `alg`, the signature against the JWKS, and only then the payload:
 * type-check the standard claims, distributed-claim sources, `iss`, the single
 * audience, `exp` (no leeway), `nbf` (60 s leeway), then the multiple-audience
 * check. `iat` is never checked. go-oidc v2.3.0 (Kubernetes 1.35 and older)
 * checked the claims before the signature; a token with several faults now
 * reports the `alg` or signature fault first.
 * Throws `VerifyError` with the inner message; callers add `oidc: verify token: `.
 */
import type { ImportedKey } from '../issuer/jwk-import.js'
import type { KeySet } from '../issuer/key-set.js'
import { ALLOWED_ALGORITHMS, isAllowedAlgorithm, type SigningAlgorithm } from './algorithms.js'
import { goQuote } from '../go/quote.js'
import { goQuoteList, goTime, goUnixTime, GO_ZERO_TIME } from '../go/format.js'
import { parseJws, type ParsedJws } from './jws.js'
import { VerifyError } from './rejection.js'
import { decodeStandardClaims, type StandardClaims } from './standard-claims.js'
import type { UntrustedToken } from './untrusted-issuer.js'
import { verifyWithKey } from './verify-signature.js'
import { loopPressure } from '../runtime/loop-pressure.js'

const GOOGLE = 'https://accounts.google.com'
const GOOGLE_NO_SCHEME = 'accounts.google.com'
const NBF_LEEWAY_MS = 60_000
const ALGORITHMS_TEXT = goQuoteList(ALLOWED_ALGORITHMS)

export interface VerifierSettings {
  readonly issuerURL: string
  readonly audiences: readonly string[]
  readonly audienceSet: ReadonlySet<string>
  /** Sorted, as Go's `sets.List` prints them. */
  readonly sortedAudiences: readonly string[]
}

export function verifierSettings(
  issuerURL: string,
  audiences: readonly string[],
): VerifierSettings {
  return {
    issuerURL,
    audiences,
    audienceSet: new Set(audiences),
    sortedAudiences: [...new Set(audiences)].sort(),
  }
}

/** The key source verification needs. */
export type SignatureKeys = KeySet

async function tryKeys(
  jws: ParsedJws,
  alg: SigningAlgorithm,
  keys: readonly ImportedKey[],
): Promise<boolean> {
  if (jws.unsupportedCritical) return false
  const offload = loopPressure().busy
  for (const key of keys) {
    if (await verifyWithKey(alg, jws.signingInput, jws.signature, key, offload)) return true
  }
  return false
}

async function verifySignature(
  jws: ParsedJws,
  alg: SigningAlgorithm,
  keys: SignatureKeys,
): Promise<void> {
  const first = keys.candidates(jws.kid)
  if (await tryKeys(jws, alg, first)) return
  const unknownKid = jws.kid !== undefined && jws.kid !== '' && first.length === 0
  if (!unknownKid && !keys.stale) {
    throw new VerifyError(
      'bad_signature',
      'failed to verify signature: failed to verify id token signature',
    )
  }
  const refetch = keys.refetchForToken()
  if (refetch === undefined) {
    // Rate-limited: answer from what we have; a recent failed fetch is the cause.
    if (first.length === 0 && keys.lastError !== undefined) {
      throw new VerifyError(
        'keys_unavailable',
        `failed to verify signature: fetching keys ${keys.lastError}`,
        true,
      )
    }
    throw new VerifyError(
      'bad_signature',
      'failed to verify signature: failed to verify id token signature',
    )
  }
  const outcome = await refetch
  if (!outcome.ok) {
    throw new VerifyError(
      'keys_unavailable',
      `failed to verify signature: fetching keys ${outcome.error}`,
      true,
    )
  }
  if (await tryKeys(jws, alg, keys.candidates(jws.kid))) return
  throw new VerifyError(
    'bad_signature',
    'failed to verify signature: failed to verify id token signature',
  )
}

/** Verifies one token; returns its standard claims. `onVerification` fires when the signature is checked. */
export async function verifyToken(
  token: UntrustedToken,
  settings: VerifierSettings,
  keys: SignatureKeys,
  now: Date,
  onVerification?: () => void,
): Promise<StandardClaims> {
  const jws = parseJws(token.parts)

  if (!isAllowedAlgorithm(jws.alg)) {
    throw new VerifyError(
      'unsupported_algorithm',
      `oidc: id token signed with unsupported algorithm, expected ${ALGORITHMS_TEXT} got ${goQuote(jws.alg)}`,
    )
  }

  onVerification?.()
  await verifySignature(jws, jws.alg, keys)

  const claims = decodeStandardClaims(token.members)

  if (
    claims.iss !== settings.issuerURL &&
    !(settings.issuerURL === GOOGLE && claims.iss === GOOGLE_NO_SCHEME)
  ) {
    throw new VerifyError(
      'issuer_mismatch',
      `oidc: id token issued by a different provider, expected ${goQuote(settings.issuerURL)} got ${goQuote(claims.iss)}`,
    )
  }

  const single = settings.audienceSet.size === 1
  if (single) {
    const want = settings.audiences[0] ?? ''
    if (!(claims.aud ?? []).includes(want)) {
      throw new VerifyError(
        'audience_mismatch',
        `oidc: expected audience ${goQuote(want)} got ${goQuoteList(claims.aud)}`,
      )
    }
  }

  const nowMs = now.getTime()
  if (claims.exp === undefined) {
    throw new VerifyError('expired', `oidc: token is expired (Token Expiry: ${GO_ZERO_TIME})`)
  }
  if (claims.exp * 1000 < nowMs) {
    throw new VerifyError(
      'expired',
      `oidc: token is expired (Token Expiry: ${goUnixTime(claims.exp)})`,
    )
  }
  if (claims.nbf !== undefined && nowMs + NBF_LEEWAY_MS < claims.nbf * 1000) {
    throw new VerifyError(
      'not_yet_valid',
      `oidc: current time ${goTime(now)} before the nbf (not before) time: ${goUnixTime(claims.nbf)}`,
    )
  }

  if (!single && !(claims.aud ?? []).some((a) => settings.audienceSet.has(a))) {
    throw new VerifyError(
      'audience_mismatch',
      `oidc: expected audience in ${goQuoteList(settings.sortedAudiences)} got ${goQuoteList(claims.aud)}`,
    )
  }
  return claims
}
