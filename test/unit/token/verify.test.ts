/** verifyToken against a static key set: the issuer check, with google's two spellings. */
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { staticKeySet } from '../../../src/issuer/static-key-set.js'
import { peekUntrustedIssuer } from '../../../src/token/untrusted-issuer.js'
import { verifierSettings, verifyToken } from '../../../src/token/verify.js'
import { NOW, VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { signJwt } from '../../helpers/tokens.js'

describe('verifyToken with a static key set', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const keys = staticKeySet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k' }] })
  const google = verifierSettings('https://accounts.google.com', ['c'])

  it.each([
    [
      'accounts.google.com verifies for https://accounts.google.com',
      'accounts.google.com',
      undefined,
    ],
    ['the https form verifies too', 'https://accounts.google.com', undefined],
    [
      'another issuer is refused',
      'https://evil',
      'oidc: id token issued by a different provider, expected "https://accounts.google.com" got "https://evil"',
    ],
  ])('%s', async (_n, iss, error) => {
    const token = signJwt(
      'ES256',
      privateKey,
      { alg: 'ES256', kid: 'k' },
      { iss, aud: 'c', exp: VALID_EXP_S },
    )
    const peeked = peekUntrustedIssuer(token)
    if (peeked === undefined) throw new Error('peek failed')
    const result = verifyToken(peeked, google, keys, NOW)
    if (error === undefined) await expect(result).resolves.toMatchObject({ iss })
    else await expect(result).rejects.toThrow(error)
  })
})
