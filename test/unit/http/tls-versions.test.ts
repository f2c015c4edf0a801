import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { postJson, tokenReviewBody } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('TLS versions and ALPN of the secure port', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('%s succeeds', async (version) => {
    const res = await postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token'), {
      minVersion: version,
      maxVersion: version,
    })
    expect(res.statusCode).toBe(200)
    expect(res.tlsVersion).toBe(version)
  })

  it('TLSv1.1 is refused by the server', async () => {
    // SECLEVEL=0 lets the client offer TLS 1.1, so only the server can refuse it.
    const attempt = postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token'), {
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    })
    await expect(attempt).rejects.toThrow()
    expect(w.tlsErrors).toEqual(['ERR_SSL_UNSUPPORTED_PROTOCOL'])
  })

  it('a client offering h2 and http/1.1 gets http/1.1', async () => {
    const res = await postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token'), {
      ALPNProtocols: ['h2', 'http/1.1'],
    })
    expect(res.statusCode).toBe(200)
    expect(res.alpnProtocol).toBe('http/1.1')
  })

  it('a client that does not trust the CA fails verification', async () => {
    const other = await import('../../../src/dev/certificates.js').then((m) =>
      m.createCertificateAuthority(),
    )
    await expect(
      postJson(w.url, other.certPem, tokenReviewBody('jane-token')),
    ).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    })
  })
})
