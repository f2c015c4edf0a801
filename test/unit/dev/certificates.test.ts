import { describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import {
  createCertificateAuthority,
  createClientCertificate,
  createServerCertificate,
} from '../../../src/dev/certificates.js'

describe('certificates', () => {
  it('serving certificate carries SANs and verifies against its CA', async () => {
    const ca = await createCertificateAuthority()
    const server = await createServerCertificate(ca)
    const cert = new X509Certificate(server.certPem)
    expect(cert.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    )
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true)
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true)
  })

  it('a real TLS handshake with client certificate succeeds against the CA', async () => {
    const ca = await createCertificateAuthority()
    const serving = await createServerCertificate(ca)
    const client = await createClientCertificate(ca)
    const srv = https.createServer(
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) =>
        res.end(
          String((req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN),
        ),
    )
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const { port } = srv.address() as AddressInfo
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', port, ca: ca.certPem, cert: client.certPem, key: client.keyPem },
          (res) => {
            let b = ''
            res.on('data', (c: Buffer) => (b += c.toString()))
            res.on('end', () => resolve(b))
          },
        )
        .on('error', reject)
    })
    srv.close()
    expect(body).toBe('kube-apiserver')
  })
})
