/**
 * Turns each JWK of a fetched set into a node:crypto KeyObject once, so that a
 * token's signature check is a single `crypto.verify` with no per-token import.
 *
 * A key is taken only when kube-apiserver could verify a signature with it:
 * go-jose v2 (gopkg.in/go-jose/go-jose.v2 `JSONWebKey.UnmarshalJSON`) must
 * decode it to a public key, and Go's crypto/rsa or crypto/ecdsa must accept that
 * key when verifying. Anything else is skipped with the reason, where
 * kube-apiserver would either fail the whole set or keep a key that never verifies.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto'
import { decodeRawBase64Url } from '../go/base64url.js'
import {
  arrayElements,
  lastFieldMember,
  objectMembers,
  type JsonMember,
} from '../go/json-members.js'

/** One usable verification key. */
export interface ImportedKey {
  /** The JWK `kid`, when it has one. */
  readonly kid: string | undefined
  readonly keyType: 'rsa' | 'ec'
  /** node's curve name for EC keys. */
  readonly curve: string | undefined
  readonly key: KeyObject
}

/** A JWK that cannot verify anything, and why. */
export interface SkippedKey {
  /** Position in the set's `keys` array. */
  readonly index: number
  readonly kid: string | undefined
  readonly reason: string
}

export interface ImportedKeySet {
  readonly keys: readonly ImportedKey[]
  /** Keys by `kid` (a kid may repeat: all of them are tried). */
  readonly byKid: ReadonlyMap<string, readonly ImportedKey[]>
  /** JWKs present but unusable, with the reason for each. */
  readonly skipped: readonly SkippedKey[]
}

// crypto/rsa (Go 1.24+, rsa1024min) refuses to verify with a modulus under 1024 bits.
const MIN_RSA_BITS = 1024
// OpenSSL verifies nothing with a larger modulus (OPENSSL_RSA_MAX_MODULUS_BITS);
// Go has no such bound, so such a key fails closed here.
const MAX_RSA_BITS = 16384
const MAX_RSA_EXPONENT = 2n ** 31n - 1n
const INT64 = 2n ** 64n

interface CurveSpec {
  readonly node: string
  readonly bytes: number
  readonly p: bigint
}

// go-jose's curveSize and each curve's field prime (crypto/elliptic IsOnCurve refuses x or y >= p).
const CURVES: Readonly<Record<string, CurveSpec>> = {
  'P-256': {
    node: 'prime256v1',
    bytes: 32,
    p: BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
  },
  'P-384': {
    node: 'secp384r1',
    bytes: 48,
    p: BigInt(
      '0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
    ),
  },
  'P-521': { node: 'secp521r1', bytes: 66, p: 2n ** 521n - 1n },
}

class Unusable extends Error {}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`)
}

function minimalBytes(value: bigint): Buffer {
  const hex = value.toString(16)
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')
}

/** The parsed JWK: its members by name, duplicates refused as go-jose's JSON decoder refuses them. */
function jwkFields(raw: string): Map<string, unknown> {
  const members = objectMembers(raw)
  if (members === undefined) throw new Unusable('not a JSON object')
  const fields = new Map<string, unknown>()
  for (const member of members) {
    if (fields.has(member.key)) throw new Unusable(`duplicate member ${JSON.stringify(member.key)}`)
    fields.set(member.key, JSON.parse(member.raw) as unknown)
  }
  return fields
}

function stringField(fields: Map<string, unknown>, name: string): string {
  const value = fields.get(name)
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new Unusable(`"${name}" is not a string`)
  return value
}

/** go-jose's byteBuffer: base64url without padding; `""` (or absent) is no value. */
function bytesField(fields: Map<string, unknown>, name: string): Buffer | undefined {
  const text = stringField(fields, name)
  if (text === '') return undefined
  const decoded = decodeRawBase64Url(text)
  if (!decoded.ok) throw new Unusable(`"${name}": ${decoded.message}`)
  return decoded.bytes
}

function rsaKey(fields: Map<string, unknown>): { key: KeyObject } {
  const n = bytesField(fields, 'n')
  const e = bytesField(fields, 'e')
  if (n === undefined || e === undefined) throw new Unusable('invalid RSA key, missing n/e values')
  const modulus = toBigInt(n)
  // go-jose takes e as int(big.Int.Int64()): the low 64 bits, two's complement.
  let exponent = toBigInt(e) % INT64
  if (exponent >= INT64 / 2n) exponent -= INT64
  const bits = modulus === 0n ? 0 : modulus.toString(2).length
  // crypto/rsa's checks, in the order VerifyPKCS1v15/VerifyPSS make them.
  if (bits < MIN_RSA_BITS) throw new Unusable(`crypto/rsa: ${bits}-bit keys are insecure`)
  if (modulus % 2n === 0n) throw new Unusable('crypto/rsa: public modulus is even')
  if (exponent < 2n) throw new Unusable('crypto/rsa: public exponent too small or negative')
  if (exponent % 2n === 0n) throw new Unusable('crypto/rsa: public exponent is even')
  if (exponent > MAX_RSA_EXPONENT) throw new Unusable('crypto/rsa: public exponent too large')
  if (bits > MAX_RSA_BITS) {
    throw new Unusable(`${bits}-bit RSA keys are larger than this service can verify`)
  }
  const jwk = {
    kty: 'RSA',
    n: minimalBytes(modulus).toString('base64url'),
    e: minimalBytes(exponent).toString('base64url'),
  }
  return { key: createPublicKey({ key: jwk, format: 'jwk' }) }
}

function ecKey(fields: Map<string, unknown>): { key: KeyObject; curve: string } {
  const crv = stringField(fields, 'crv')
  const spec = CURVES[crv]
  if (spec === undefined) throw new Unusable(`unsupported elliptic curve ${JSON.stringify(crv)}`)
  const x = bytesField(fields, 'x')
  const y = bytesField(fields, 'y')
  if (x === undefined || y === undefined) throw new Unusable('invalid EC key, missing x/y values')
  if (x.length !== spec.bytes) throw new Unusable('invalid EC public key, wrong length for x')
  if (y.length !== spec.bytes) throw new Unusable('invalid EC public key, wrong length for y')
  if (toBigInt(x) >= spec.p || toBigInt(y) >= spec.p) {
    throw new Unusable('invalid EC key, X/Y are not on declared curve')
  }
  try {
    const jwk = { kty: 'EC', crv, x: x.toString('base64url'), y: y.toString('base64url') }
    return { key: createPublicKey({ key: jwk, format: 'jwk' }), curve: spec.node }
  } catch {
    throw new Unusable('invalid EC key, X/Y are not on declared curve')
  }
}

function sameKey(a: KeyObject, b: KeyObject): boolean {
  return a.equals(b)
}

/** go-jose's x5c/x5t/x5t#S256 checks: the chain parses and its leaf carries this very key. */
function checkCertificates(fields: Map<string, unknown>, key: KeyObject): void {
  const chain = fields.get('x5c')
  let leaf: X509Certificate | undefined
  if (chain !== undefined && chain !== null) {
    if (!Array.isArray(chain)) throw new Unusable('"x5c" is not an array')
    chain.forEach((entry: unknown, i) => {
      if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(entry))
        throw new Unusable('failed to unmarshal x5c field')
      let cert: X509Certificate
      try {
        cert = new X509Certificate(Buffer.from(entry, 'base64'))
      } catch {
        throw new Unusable('failed to unmarshal x5c field')
      }
      if (i === 0) leaf = cert
    })
    if (leaf !== undefined && !sameKey(leaf.publicKey, key)) {
      throw new Unusable('invalid JWK, public keys in key and x5c fields do not match')
    }
  }
  for (const [name, algorithm, size] of [
    ['x5t', 'sha1', 20],
    ['x5t#S256', 'sha256', 32],
  ] as const) {
    const text = stringField(fields, name)
    const decoded = decodeRawBase64Url(text)
    if (!decoded.ok) throw new Unusable(`invalid JWK, ${name} header has invalid encoding`)
    let thumbprint = decoded.bytes
    if (thumbprint.length === 2 * size) {
      const hex = thumbprint.toString('latin1')
      if (!/^[0-9a-fA-F]*$/.test(hex))
        throw new Unusable(`invalid JWK, unable to hex decode ${name}`)
      thumbprint = Buffer.from(hex, 'hex')
    }
    if (thumbprint.length === 0) continue
    if (thumbprint.length !== size)
      throw new Unusable(`invalid JWK, ${name} header is of incorrect size`)
    if (leaf !== undefined && !createHash(algorithm).update(leaf.raw).digest().equals(thumbprint)) {
      throw new Unusable(`invalid JWK, x5c thumbprint does not match ${name} value`)
    }
  }
}

function importOne(raw: string): ImportedKey {
  const fields = jwkFields(raw)
  const kidValue = fields.get('kid')
  if (kidValue !== undefined && kidValue !== null && typeof kidValue !== 'string')
    throw new Unusable('"kid" is not a string')
  const kid = typeof kidValue === 'string' ? kidValue : undefined
  const kty = stringField(fields, 'kty')
  if (kty === 'oct') throw new Unusable('symmetric (oct) keys verify no allowed algorithm')
  if (kty === 'OKP') throw new Unusable('OKP keys verify no allowed algorithm (EdDSA is refused)')
  if (kty !== 'RSA' && kty !== 'EC') throw new Unusable(`unknown json web key type '${kty}'`)
  // go-jose decodes a JWK with "d" as a private key, which its verifier refuses.
  if (bytesField(fields, 'd') !== undefined) throw new Unusable('holds a private key')
  const imported = kty === 'RSA' ? { ...rsaKey(fields), curve: undefined } : ecKey(fields)
  checkCertificates(fields, imported.key)
  return { kid, keyType: kty === 'RSA' ? 'rsa' : 'ec', curve: imported.curve, key: imported.key }
}

function kidOf(raw: string): string | undefined {
  // go-jose's own JSON decoder matches member names case-sensitively.
  const kid = objectMembers(raw)?.findLast((member) => member.key === 'kid')
  if (kid === undefined) return undefined
  const value = JSON.parse(kid.raw) as unknown
  return typeof value === 'string' ? value : undefined
}

/**
 * Parses a JWKS body. Fails (returns an error text, in go-oidc's wording) when the
 * body is not a JSON object with a `keys` array; individual unusable keys are
 * skipped, each with its reason.
 */
export function importKeySet(
  body: Buffer,
): { ok: true; set: ImportedKeySet } | { ok: false; message: string } {
  const text = body.toString('utf8')
  try {
    JSON.parse(text)
  } catch (err) {
    return { ok: false, message: `oidc: failed to decode keys: ${(err as Error).message}` }
  }
  const members = objectMembers(text)
  if (members === undefined) {
    return { ok: false, message: 'oidc: failed to decode keys: not a JSON object' }
  }
  // go-oidc decodes the set with encoding/json: the field "keys" matches case-insensitively.
  const list: JsonMember | undefined = lastFieldMember(members, 'keys')
  const elements = list === undefined || list.raw === 'null' ? [] : arrayElements(list.raw)
  if (elements === undefined) {
    return { ok: false, message: 'oidc: failed to decode keys: "keys" is not an array' }
  }
  const keys: ImportedKey[] = []
  const skipped: SkippedKey[] = []
  elements.forEach((raw, index) => {
    try {
      keys.push(importOne(raw))
    } catch (err) {
      if (!(err instanceof Unusable)) throw err
      skipped.push({ index, kid: kidOf(raw), reason: err.message })
    }
  })
  const byKid = new Map<string, ImportedKey[]>()
  for (const k of keys) {
    if (k.kid === undefined) continue
    const same = byKid.get(k.kid)
    if (same === undefined) byKid.set(k.kid, [k])
    else same.push(k)
  }
  return { ok: true, set: { keys, byKid, skipped } }
}

/** One line per skipped key, for logs and `/readyz?verbose`. */
export function describeSkippedKey(key: SkippedKey): string {
  const name = key.kid === undefined ? `keys[${key.index}]` : `kid ${JSON.stringify(key.kid)}`
  return `${name}: ${key.reason}`
}
