/**
 * Turns each JWK of a fetched set into a node:crypto KeyObject once, so that a
 * token's signature check is a single `crypto.verify` with no per-token import.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'

/** One usable verification key. */
export interface ImportedKey {
  /** The JWK `kid`, when it has one. */
  readonly kid: string | undefined
  readonly keyType: 'rsa' | 'ec'
  /** node's curve name for EC keys. */
  readonly curve: string | undefined
  readonly key: KeyObject
}

export interface ImportedKeySet {
  readonly keys: readonly ImportedKey[]
  /** Keys by `kid` (a kid may repeat: all of them are tried). */
  readonly byKid: ReadonlyMap<string, readonly ImportedKey[]>
  /** How many JWKs were present but unusable (unknown kty, OKP, oct, bad parameters). */
  readonly skipped: number
}

// crypto/rsa of the Go release behind kube-apiserver 1.34+ refuses keys under 1024 bits.
const MIN_RSA_BITS = 1024

function importOne(jwk: unknown): ImportedKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined
  const record = jwk as Record<string, unknown>
  const kty = record.kty
  if (kty !== 'RSA' && kty !== 'EC') return undefined
  const kidValue = record.kid
  if (kidValue !== undefined && kidValue !== null && typeof kidValue !== 'string') return undefined
  // Only public members go into the import: a set that leaks a private key still
  // yields its public half, never a signing key.
  const publicJwk: Record<string, unknown> =
    kty === 'RSA'
      ? { kty, n: record.n, e: record.e }
      : { kty, crv: record.crv, x: record.x, y: record.y }
  let key: KeyObject
  try {
    key = createPublicKey({ key: publicJwk as never, format: 'jwk' })
  } catch {
    return undefined
  }
  const details = key.asymmetricKeyDetails
  if (kty === 'RSA') {
    if (key.asymmetricKeyType !== 'rsa' || (details?.modulusLength ?? 0) < MIN_RSA_BITS)
      return undefined
    return {
      kid: typeof kidValue === 'string' ? kidValue : undefined,
      keyType: 'rsa',
      curve: undefined,
      key,
    }
  }
  if (key.asymmetricKeyType !== 'ec') return undefined
  return {
    kid: typeof kidValue === 'string' ? kidValue : undefined,
    keyType: 'ec',
    curve: details?.namedCurve,
    key,
  }
}

/**
 * Parses a JWKS body. Fails (returns an error text, in go-oidc's wording) when the
 * body is not a JSON object with a `keys` array; individual unusable keys are skipped.
 */
export function importKeySet(
  body: Buffer,
): { ok: true; set: ImportedKeySet } | { ok: false; message: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (err) {
    return { ok: false, message: `oidc: failed to decode keys: ${(err as Error).message}` }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, message: 'oidc: failed to decode keys: not a JSON object' }
  }
  const list = (parsed as Record<string, unknown>).keys
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    return { ok: false, message: 'oidc: failed to decode keys: "keys" is not an array' }
  }
  const keys: ImportedKey[] = []
  let skipped = 0
  for (const jwk of (list as unknown[] | null | undefined) ?? []) {
    const imported = importOne(jwk)
    if (imported === undefined) skipped++
    else keys.push(imported)
  }
  const byKid = new Map<string, ImportedKey[]>()
  for (const k of keys) {
    if (k.kid === undefined) continue
    const list2 = byKid.get(k.kid)
    if (list2 === undefined) byKid.set(k.kid, [k])
    else list2.push(k)
  }
  return { ok: true, set: { keys, byKid, skipped } }
}
