/**
 * Raw JWT building with node:crypto, so tests can make any token: any header,
 * any payload text (duplicate keys, padding, bad base64), any signature, 2 or 5
 * parts, `alg: none`, HS256 keyed with a public key...
 */
import { constants, createHmac, sign, type KeyObject } from 'node:crypto'

export type Json = Record<string, unknown>

/** base64url without padding of a string (utf8), Buffer, or a JSON value. */
export function b64url(input: string | Buffer | Json): string {
  if (Buffer.isBuffer(input)) return input.toString('base64url')
  if (typeof input === 'string') return Buffer.from(input, 'utf8').toString('base64url')
  return Buffer.from(JSON.stringify(input), 'utf8').toString('base64url')
}

/** Joins already-encoded parts with dots. */
export function joinParts(...parts: string[]): string {
  return parts.join('.')
}

/** A token from a header and payload (objects are JSON-encoded, strings are used as JSON text) and a signature. */
export function rawJwt(
  header: Json | string,
  payload: Json | string,
  signature: Buffer | string = Buffer.alloc(0),
): string {
  const sig = Buffer.isBuffer(signature) ? signature.toString('base64url') : signature
  return `${b64url(header)}.${b64url(payload)}.${sig}`
}

export type AsymmetricAlg =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512'

const HASH: Record<AsymmetricAlg, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
}
const HASH_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 }

/** Signs `<headerB64>.<payloadB64>` with `alg` and returns the raw signature. */
export function signInput(alg: AsymmetricAlg, input: string, key: KeyObject): Buffer {
  const hash = HASH[alg]
  if (alg.startsWith('PS')) {
    return sign(hash, Buffer.from(input), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: HASH_BYTES[hash] ?? 32,
    })
  }
  if (alg.startsWith('ES'))
    return sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
  return sign(hash, Buffer.from(input), key)
}

/** A signed compact JWS with a JSON (or raw text) header and payload. */
export function signJwt(
  alg: AsymmetricAlg,
  key: KeyObject,
  header: Json | string,
  payload: Json | string,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`
  return `${input}.${signInput(alg, input, key).toString('base64url')}`
}

/** An HS256 token keyed with `secret` (e.g. an issuer's public key PEM: the classic confusion attack). */
export function hs256Jwt(
  secret: string | Buffer,
  payload: Json,
  header: Json = { alg: 'HS256', typ: 'JWT' },
): string {
  const input = `${b64url(header)}.${b64url(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** An unsigned `alg: none` token. */
export function noneJwt(payload: Json, header: Json = { alg: 'none', typ: 'JWT' }): string {
  return `${b64url(header)}.${b64url(payload)}.`
}
