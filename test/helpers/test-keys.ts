/**
 * Signing keys for test issuers, memoized per named family so every issuer of a
 * family (loopback, in-memory or static) signs with the same keys, and a token
 * signer over them.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { signJwt, type AsymmetricAlg, type Json } from './tokens.js'

export const ALL_ALGS: readonly AsymmetricAlg[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
]

export interface TestKey {
  readonly alg: AsymmetricAlg
  readonly kid: string
  readonly privateKey: KeyObject
  readonly publicJwk: Json
}

export interface SignOptions {
  alg?: AsymmetricAlg
  /** `null` omits the kid; a string overrides it (e.g. an unknown kid). */
  kid?: string | null
  /** Extra or overriding header members. */
  header?: Json
  /** Sign with this key instead of the issuer's key for `alg`. */
  key?: KeyObject
}

interface KeyPair {
  privateKey: KeyObject
  publicKey: KeyObject
}

const keyFamilies = new Map<string, Map<AsymmetricAlg, KeyPair>>()
let rotation = 0

function generate(alg: AsymmetricAlg): KeyPair {
  if (alg.startsWith('ES')) {
    const namedCurve = alg === 'ES256' ? 'prime256v1' : alg === 'ES384' ? 'secp384r1' : 'secp521r1'
    return generateKeyPairSync('ec', { namedCurve })
  }
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
}

function toTestKey(alg: AsymmetricAlg, kid: string, pair: KeyPair): TestKey {
  const jwk = pair.publicKey.export({ format: 'jwk' }) as Json
  return { alg, kid, privateKey: pair.privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg } }
}

/**
 * The keys of `family` for `algorithms`, kid `<family>-<alg>`, generated once
 * per process. The six RSA algorithms of a family share one RSA key (each
 * under its own kid, as a JWKS may list it): RSA key generation is most of a
 * test file's set-up time, and a signature made for one of them never
 * verifies as another (hash or padding differ).
 */
export function familyKeys(
  family: string,
  algorithms: readonly AsymmetricAlg[] = ALL_ALGS,
): Record<string, TestKey> {
  let pairs = keyFamilies.get(family)
  if (pairs === undefined) keyFamilies.set(family, (pairs = new Map()))
  const keys: Record<string, TestKey> = {}
  for (const alg of algorithms) {
    const slot: AsymmetricAlg = alg.startsWith('ES') ? alg : 'RS256'
    let pair = pairs.get(slot)
    if (pair === undefined) pairs.set(slot, (pair = generate(slot)))
    keys[alg] = toTestKey(alg, `${family}-${alg}`, pair)
  }
  return keys
}

/** A freshly generated key for `alg` with a kid never used before (key rotation). */
export function rotatedKey(family: string, alg: AsymmetricAlg): TestKey {
  return toTestKey(alg, `${family}-${alg}-r${++rotation}`, generate(alg))
}

/** Signs `claims` with the key for the chosen algorithm (RS256 by default), its kid in the header. */
export function signWithKeys(
  keys: Readonly<Record<string, TestKey>>,
  claims: Json | string,
  signOpts: SignOptions = {},
): string {
  const alg = signOpts.alg ?? 'RS256'
  const key = keys[alg]
  const privateKey = signOpts.key ?? key?.privateKey
  if (privateKey === undefined) throw new Error(`test issuer has no ${alg} key`)
  const header: Json = { alg, typ: 'JWT' }
  if (signOpts.kid !== null) header.kid = signOpts.kid ?? key?.kid
  return signJwt(alg, privateKey, { ...header, ...signOpts.header }, claims)
}
