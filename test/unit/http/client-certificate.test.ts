import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { postJson, tokenReviewBody } from '../../helpers/https-client.js'
import {
  createCertificateAuthority,
  createClientCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../../src/dev/certificates.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('--client-ca-file: mandatory client certificates', () => {
  let w: Webhook
  let good: IssuedCertificate
  let foreign: IssuedCertificate
  let clientCa: CertificateAuthority
  const requests: number[] = []
  beforeAll(async () => {
    clientCa = await createCertificateAuthority({ commonName: 'client CA' })
    good = await createClientCertificate(clientCa)
    foreign = await createClientCertificate(
      await createCertificateAuthority({ commonName: 'other CA' }),
    )
    w = await startWebhook({ clientCa: clientCa.certPem, onRequest: (code) => requests.push(code) })
  })
  afterAll(() => w.close())

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'a certificate from the client CA works (%s)',
    async (version) => {
      const res = await postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token'), {
        cert: good.certPem,
        key: good.keyPem,
        minVersion: version,
        maxVersion: version,
      })
      expect(res.statusCode).toBe(200)
      expect(JSON.parse(res.body).status.authenticated).toBe(true)
    },
  )

  it.each([
    {
      name: 'no certificate, TLS 1.2',
      version: 'TLSv1.2' as const,
      cert: () => ({}),
      server: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
    },
    {
      name: 'no certificate, TLS 1.3',
      version: 'TLSv1.3' as const,
      cert: () => ({}),
      server: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
    },
    // node:tls drops the socket after OpenSSL reports the failed verification
    {
      name: 'certificate from another CA, TLS 1.2',
      version: 'TLSv1.2' as const,
      cert: () => ({ cert: foreign.certPem, key: foreign.keyPem }),
      server: 'ECONNRESET',
    },
    {
      name: 'certificate from another CA, TLS 1.3',
      version: 'TLSv1.3' as const,
      cert: () => ({ cert: foreign.certPem, key: foreign.keyPem }),
      server: 'ECONNRESET',
    },
  ])('$name is refused at the TLS layer', async ({ version, cert, server }) => {
    requests.length = 0
    w.tlsErrors.length = 0
    const attempt = postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token'), {
      ...cert(),
      minVersion: version,
      maxVersion: version,
    })
    await expect(attempt).rejects.toThrow()
    for (let i = 0; i < 50 && w.tlsErrors.length === 0; i++) await sleep(10)
    expect(w.tlsErrors).toEqual([server])
    expect(requests).toEqual([]) // no HTTP request ever reached the handlers
  })
})
