/** One signature check: the algorithm must fit the key (type, curve, signature size); anything else is false, never a throw. */
import { generateKeyPairSync, sign, constants } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { importKeySet, type ImportedKey } from '../../../src/issuer/jwk-import.js'
import { verifyWithKey } from '../../../src/token/verify-signature.js'

function imported(publicKey: ReturnType<typeof generateKeyPairSync>['publicKey']): ImportedKey {
  const result = importKeySet(
    Buffer.from(JSON.stringify({ keys: [publicKey.export({ format: 'jwk' })] })),
  )
  const key = result.ok ? result.set.keys[0] : undefined
  if (key === undefined) throw new Error('key not imported')
  return key
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
const RSA = imported(rsa.publicKey)
const P256 = imported(p256.publicKey)
const P384 = imported(p384.publicKey)
const input = Buffer.from('header.payload')
const rs256 = sign('sha256', input, rsa.privateKey)
const ps256 = sign('sha256', input, {
  key: rsa.privateKey,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: 20,
})
const es256 = sign('sha256', input, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' })

describe.each([
  ['on the event loop', false],
  ['on the threadpool', true],
])('verifyWithKey %s', (_mode, offload) => {
  it('verifies RS256, PS256 with any salt length, and ES256 with raw r||s', async () => {
    await expect(verifyWithKey('RS256', input, rs256, RSA, offload)).resolves.toBe(true)
    await expect(verifyWithKey('PS256', input, ps256, RSA, offload)).resolves.toBe(true)
    await expect(verifyWithKey('ES256', input, es256, P256, offload)).resolves.toBe(true)
  })

  it('answers each of many concurrent checks for its own signature', async () => {
    // The checks run on the threadpool and finish in any order: each answer must still be its own.
    const cases = Array.from({ length: 64 }, (_, i) => {
      const data = Buffer.from(`payload-${i}`)
      const good = i % 3 !== 0
      const signature = sign('sha256', good ? data : Buffer.from('other'), rsa.privateKey)
      return { data, signature, good }
    })
    const answers = await Promise.all(
      cases.map((c) => verifyWithKey('RS256', c.data, c.signature, RSA, offload)),
    )
    expect(answers).toEqual(cases.map((c) => c.good))
  })

  it.each<[string, () => Promise<boolean>]>([
    ['an RS256 header with an EC key', () => verifyWithKey('RS256', input, rs256, P256, offload)],
    ['an ES256 header with an RSA key', () => verifyWithKey('ES256', input, es256, RSA, offload)],
    ['an ES384 header with a P-256 key', () => verifyWithKey('ES384', input, es256, P384, offload)],
    [
      'an ES256 signature of the wrong size',
      () => verifyWithKey('ES256', input, es256.subarray(1), P256, offload),
    ],
    ['a PKCS#1 signature under PS256', () => verifyWithKey('PS256', input, rs256, RSA, offload)],
    ['other signed bytes', () => verifyWithKey('RS256', Buffer.from('other'), rs256, RSA, offload)],
    [
      'a signature that is garbage',
      () => verifyWithKey('RS256', input, Buffer.alloc(3), RSA, offload),
    ],
  ])('refuses %s', async (_name, check) => {
    await expect(check()).resolves.toBe(false)
  })
})
