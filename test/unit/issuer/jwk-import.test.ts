/**
 * JWK import against go-jose v2 and Go's crypto/rsa / crypto/ecdsa: a key is
 * usable only when kube-apiserver could verify a signature with it; every other
 * key is skipped with its reason.
 */
import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { afterEach, describe, expect, it } from '@jest/globals'
import { importKeySet, type ImportedKeySet } from '../../../src/issuer/jwk-import.js'
import { testCA } from '../../helpers/issuer.js'
import { memoryNetwork } from '../../helpers/memory-issuer.js'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { b64url, type Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize } from '../token/authenticator-helpers.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
  format: 'jwk',
}) as Json
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
  format: 'jwk',
}) as Json
const bytes = (s: unknown): Buffer => Buffer.from(s as string, 'base64url')
const enc = (b: Buffer): string => b.toString('base64url')
const hexB64 = (hex: string): string => enc(Buffer.from(hex, 'hex'))
const N = bytes(rsa.n)
const X = bytes(ec.x)
const P256 = 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'

function importOne(jwk: Json | string): ImportedKeySet {
  const text = typeof jwk === 'string' ? jwk : JSON.stringify(jwk)
  const result = importKeySet(Buffer.from(`{"keys":[${text}]}`))
  if (!result.ok) throw new Error(result.message)
  return result.set
}

function reasonFor(jwk: Json | string): string | undefined {
  const set = importOne(jwk)
  return set.keys.length === 1 ? undefined : set.skipped[0]?.reason
}

const ca = await testCA()
const caCert = new X509Certificate(ca.certPem)
const caJwk = createPublicKey(ca.keyPem).export({ format: 'jwk' }) as Json
const caDer = caCert.raw.toString('base64')

describe('importKeySet: which keys can verify', () => {
  it.each<[string, Json | string, string | undefined]>([
    ['an RSA key with e=65537 is usable', rsa, undefined],
    [
      'e=1 lets anyone forge: skipped',
      { ...rsa, e: 'AQ' },
      'crypto/rsa: public exponent too small or negative',
    ],
    ['e=2 is even: skipped', { ...rsa, e: 'Ag' }, 'crypto/rsa: public exponent is even'],
    ['e=65536 is even: skipped', { ...rsa, e: 'AQAA' }, 'crypto/rsa: public exponent is even'],
    ['e=3 is usable', { ...rsa, e: 'Aw' }, undefined],
    ['e with a leading zero byte is usable', { ...rsa, e: 'AAEAAQ' }, undefined],
    ['e=2^31-1 is usable', { ...rsa, e: hexB64('7fffffff') }, undefined],
    [
      'e=2^31+1 is too large',
      { ...rsa, e: hexB64('80000001') },
      'crypto/rsa: public exponent too large',
    ],
    [
      'e=2^63+3 is negative as Go int64: skipped',
      { ...rsa, e: hexB64('8000000000000003') },
      'crypto/rsa: public exponent too small or negative',
    ],
    [
      'e=2^64+65537 is 65537 to go-jose (low 64 bits)',
      { ...rsa, e: hexB64('010000000000010001') },
      undefined,
    ],
    [
      'an even modulus is skipped',
      { ...rsa, n: enc(Buffer.concat([N.subarray(0, -1), Buffer.from([(N.at(-1) ?? 0) & 0xfe])])) },
      'crypto/rsa: public modulus is even',
    ],
    [
      'a 1023-bit modulus is insecure to Go',
      { ...rsa, n: enc(Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(127, 0xff)])) },
      'crypto/rsa: 1023-bit keys are insecure',
    ],
    [
      'a 1024-bit odd modulus is accepted',
      { ...rsa, n: enc(Buffer.concat([Buffer.from([0xff]), Buffer.alloc(127, 0xff)])) },
      undefined,
    ],
    [
      'a modulus OpenSSL cannot verify with (over 16384 bits) fails closed',
      { ...rsa, n: enc(Buffer.concat([Buffer.from([1]), Buffer.alloc(2048, 0xff)])) },
      '16385-bit RSA keys are larger than this service can verify',
    ],
    ['a missing e', { kty: 'RSA', n: rsa.n }, 'invalid RSA key, missing n/e values'],
    ['an empty n counts as missing', { ...rsa, n: '' }, 'invalid RSA key, missing n/e values'],
    [
      'a padded n (go-jose decodes raw base64url)',
      { ...rsa, n: `${rsa.n as string}==` },
      '"n": illegal base64 data at input byte 342',
    ],
    [
      'n in the standard alphabet',
      { ...rsa, n: N.toString('base64').replace(/=+$/, '') },
      expect.stringMatching(/^"n": illegal base64 data at input byte \d+$/) as unknown as string,
    ],
    ['n that is not a string', { ...rsa, n: 5 }, '"n" is not a string'],
    ['an RSA key with private members', { ...rsa, d: 'AQAB' }, 'holds a private key'],
    ['an EC P-256 key is usable', ec, undefined],
    [
      'x one byte short',
      { ...ec, x: enc(X.subarray(1)) },
      'invalid EC public key, wrong length for x',
    ],
    [
      'x with a leading zero byte added',
      { ...ec, x: enc(Buffer.concat([Buffer.alloc(1), X])) },
      'invalid EC public key, wrong length for x',
    ],
    ['a point off the curve', { ...ec, y: ec.x }, 'invalid EC key, X/Y are not on declared curve'],
    [
      'x equal to the field prime',
      { ...ec, x: hexB64(P256) },
      'invalid EC key, X/Y are not on declared curve',
    ],
    [
      'a curve go-jose does not know',
      { ...ec, crv: 'secp256k1' },
      'unsupported elliptic curve "secp256k1"',
    ],
    [
      'P-384 named with P-256 coordinates',
      { ...ec, crv: 'P-384' },
      'invalid EC public key, wrong length for x',
    ],
    ['an EC key with private members', { ...ec, d: 'AQAB' }, 'holds a private key'],
    [
      'an Ed25519 key (EdDSA is refused)',
      generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Json,
      'OKP keys verify no allowed algorithm (EdDSA is refused)',
    ],
    [
      'a symmetric key',
      { kty: 'oct', k: 'c2VjcmV0' },
      'symmetric (oct) keys verify no allowed algorithm',
    ],
    ['an unknown kty', { ...rsa, kty: 'rsa' }, "unknown json web key type 'rsa'"],
    ['a numeric kid', { ...rsa, kid: 7 }, '"kid" is not a string'],
    [
      'a duplicate member (go-jose refuses duplicate keys)',
      `{"kty":"RSA","n":"${rsa.n as string}","e":"AQAB","e":"AQ"}`,
      'duplicate member "e"',
    ],
    [
      'a matching x5c and x5t',
      { ...caJwk, x5c: [caDer], x5t: enc(createHash('sha1').update(caCert.raw).digest()) },
      undefined,
    ],
    [
      'an x5c for another key',
      { ...rsa, x5c: [caDer] },
      'invalid JWK, public keys in key and x5c fields do not match',
    ],
    [
      'an x5c that is not a certificate',
      { ...rsa, x5c: ['AAAA'] },
      'failed to unmarshal x5c field',
    ],
    [
      'an x5t of the wrong size',
      { ...rsa, x5t: 'AAAA' },
      'invalid JWK, x5t header is of incorrect size',
    ],
    [
      'an x5t#S256 that does not match the chain',
      { ...caJwk, x5c: [caDer], 'x5t#S256': enc(Buffer.alloc(32)) },
      'invalid JWK, x5c thumbprint does not match x5t#S256 value',
    ],
  ])('%s', (_name, jwk, reason) => {
    expect(reasonFor(jwk)).toEqual(reason)
  })

  it('takes e as go-jose does: the low 64 bits of a longer exponent', () => {
    const [key] = importOne({ ...rsa, e: hexB64('010000000000010001') }).keys
    expect(key?.key.asymmetricKeyDetails?.publicExponent).toBe(65537n)
  })

  it('finds "keys" case-insensitively, as encoding/json fills go-oidc\'s struct', () => {
    const result = importKeySet(Buffer.from(JSON.stringify({ KEYS: [rsa] })))
    expect(result.ok && result.set.keys.length).toBe(1)
  })

  it('names each skipped key by kid or position', () => {
    const result = importKeySet(
      Buffer.from(
        JSON.stringify({ keys: [rsa, { ...rsa, e: 'AQ', kid: 'weak' }, { kty: 'oct' }] }),
      ),
    )
    expect(result.ok && result.set.skipped).toEqual([
      { index: 1, kid: 'weak', reason: 'crypto/rsa: public exponent too small or negative' },
      { index: 2, kid: undefined, reason: 'symmetric (oct) keys verify no allowed algorithm' },
    ])
  })
})

// EMSA-PKCS1-v1_5 for SHA-256 over a 2048-bit modulus: with e = 1 this is the signature.
function pkcs1Sha256(input: string): Buffer {
  const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex')
  const t = Buffer.concat([digestInfo, createHash('sha256').update(input).digest()])
  return Buffer.concat([
    Buffer.from([0, 1]),
    Buffer.alloc(256 - t.length - 3, 0xff),
    Buffer.from([0]),
    t,
  ])
}

describe('a JWKS with a weak key, end to end', () => {
  const stops: Array<() => Promise<void>> = []
  afterEach(async () => {
    while (stops.length > 0) await stops.pop()?.()
  })

  it('a token forged for an e=1 key is refused and the key is reported', async () => {
    const net = memoryNetwork()
    const issuer = net.issuer()
    issuer.addRawJwk({ kty: 'RSA', kid: 'weak', n: rsa.n, e: 'AQ' })
    const auth = await authenticatorFor([entryFor(issuer)], net.options())
    stops.push(() => auth.close())
    const header = b64url({ alg: 'RS256', kid: 'weak' })
    const payload = b64url({
      iss: issuer.url,
      aud: 'my-client',
      exp: VALID_EXP_S,
      username: 'mallory',
    })
    const forged = `${header}.${payload}.${enc(pkcs1Sha256(`${header}.${payload}`))}`
    expect(summarize(await auth.authenticate(forged))).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
    })
    const condition = auth.issuers()[0]?.conditions.find((c) => c.type === 'JWKSFetchValid')
    expect(condition).toMatchObject({
      status: 'True',
      reason: 'KeysSkipped',
      message: expect.stringContaining(
        'skipped 1: kid "weak": crypto/rsa: public exponent too small or negative',
      ) as unknown as string,
    })
  })
})
