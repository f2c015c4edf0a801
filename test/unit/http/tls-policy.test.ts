/**
 * The TLS policy of the secure port, tried with real clients that offer one
 * suite each: TLS 1.2 only with ECDHE key exchange and an AEAD cipher (as a
 * Go 1.22+ server, without Go's remaining CBC suites), every TLS 1.3 suite,
 * no client-initiated renegotiation, and the same after a certificate reload.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { AddressInfo } from 'node:net'
import tls from 'node:tls'
import type https from 'node:https'
import {
  createCertificateAuthority,
  createServerCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../../src/dev/certificates.js'
import { TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES } from '../../../src/http/tls-policy.js'
import { createTlsServer, reloadTlsMaterial } from '../../../src/http/tls-server.js'

interface Handshake {
  readonly ok: boolean
  /** IANA name of the negotiated suite, or the client's error code. */
  readonly result: string
}

function handshake(
  port: number,
  ca: string,
  opts: { maxVersion: tls.SecureVersion; ciphers?: string; ciphersuites?: string },
): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      servername: 'localhost',
      port,
      ca,
      minVersion: opts.maxVersion,
      maxVersion: opts.maxVersion,
      ...(opts.ciphers === undefined ? {} : { ciphers: opts.ciphers }),
    })
    socket.once('secureConnect', () => {
      resolve({ ok: true, result: socket.getCipher().standardName })
      socket.destroy()
    })
    socket.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, result: err.code ?? err.message }),
    )
  })
}

const REFUSED = { ok: false, result: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }

describe('TLS policy of the secure port', () => {
  let ca: CertificateAuthority
  const servers: Record<'rsa' | 'ecdsa', { server: https.Server; port: number }> = {} as never
  let ecdsaPair: IssuedCertificate

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'tls policy CA' })
    const rsaPair = await createServerCertificate(ca, {
      commonName: 'localhost',
      keyType: 'rsa-2048',
    })
    ecdsaPair = await createServerCertificate(ca)
    for (const [name, pair] of [
      ['rsa', rsaPair],
      ['ecdsa', ecdsaPair],
    ] as const) {
      const server = createTlsServer({ cert: pair.certPem, key: pair.keyPem }, (_req, res) =>
        res.end('ok'),
      )
      server.on('tlsClientError', () => {})
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      servers[name] = { server, port: (server.address() as AddressInfo).port }
    }
  })
  afterAll(async () => {
    for (const { server } of Object.values(servers)) await new Promise((r) => server.close(r))
  })

  it.each(
    TLS12_CIPHER_SUITES.map(([openssl, iana]) => ({
      openssl,
      iana,
      key: openssl.startsWith('ECDHE-ECDSA') ? ('ecdsa' as const) : ('rsa' as const),
    })),
  )('TLS 1.2 $iana is accepted', async ({ openssl, iana, key }) => {
    const { port } = servers[key]
    expect(await handshake(port, ca.certPem, { maxVersion: 'TLSv1.2', ciphers: openssl })).toEqual({
      ok: true,
      result: iana,
    })
  })

  it.each([
    { name: 'static RSA, AES-GCM (TLS_RSA_WITH_AES_128_GCM_SHA256)', ciphers: 'AES128-GCM-SHA256' },
    { name: 'static RSA, AES-GCM (TLS_RSA_WITH_AES_256_GCM_SHA384)', ciphers: 'AES256-GCM-SHA384' },
    { name: 'static RSA, CBC (TLS_RSA_WITH_AES_128_CBC_SHA)', ciphers: 'AES128-SHA' },
    { name: 'static RSA, CBC (TLS_RSA_WITH_AES_256_CBC_SHA)', ciphers: 'AES256-SHA' },
    { name: 'static RSA, CBC-SHA256 (TLS_RSA_WITH_AES_128_CBC_SHA256)', ciphers: 'AES128-SHA256' },
    {
      name: 'ECDHE with CBC (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)',
      ciphers: 'ECDHE-RSA-AES128-SHA',
    },
    {
      name: 'ECDHE with CBC (TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)',
      ciphers: 'ECDHE-RSA-AES256-SHA',
    },
    {
      name: 'ECDHE with CBC-SHA384 (TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)',
      ciphers: 'ECDHE-RSA-AES256-SHA384',
    },
    {
      name: 'finite-field DHE (TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)',
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
    },
  ])('TLS 1.2 $name is refused', async ({ ciphers }) => {
    const { port } = servers.rsa
    expect(await handshake(port, ca.certPem, { maxVersion: 'TLSv1.2', ciphers })).toEqual(REFUSED)
  })

  it('TLS 1.2 ECDHE-ECDSA with CBC is refused on an ECDSA certificate', async () => {
    const { port } = servers.ecdsa
    expect(
      await handshake(port, ca.certPem, {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES128-SHA',
      }),
    ).toEqual(REFUSED)
  })

  it.each(TLS13_CIPHER_SUITES)('TLS 1.3 %s is accepted', async (suite) => {
    const { port } = servers.ecdsa
    const result = await new Promise<Handshake>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        ca: ca.certPem,
        minVersion: 'TLSv1.3',
        ciphers: suite,
      })
      socket.once('secureConnect', () => {
        resolve({ ok: true, result: socket.getCipher().standardName })
        socket.destroy()
      })
      socket.once('error', (err: NodeJS.ErrnoException) =>
        resolve({ ok: false, result: err.code ?? err.message }),
      )
    })
    expect(result).toEqual({ ok: true, result: suite })
  })

  it('a client renegotiating a TLS 1.2 session is refused', async () => {
    const { port } = servers.rsa
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        ca: ca.certPem,
        maxVersion: 'TLSv1.2',
      })
      socket.once('secureConnect', () => {
        socket.renegotiate({ rejectUnauthorized: true }, (err) => {
          resolve(err === null || err === undefined ? 'renegotiated' : 'refused')
          socket.destroy()
        })
      })
      socket.once('error', (err: NodeJS.ErrnoException) => {
        resolve(err.code ?? err.message)
        socket.destroy()
      })
    })
    expect(outcome).toBe('ERR_SSL_NO_RENEGOTIATION')
  })

  it('after a certificate reload the same policy holds', async () => {
    const { server, port } = servers.rsa
    const fresh = await createServerCertificate(ca, {
      commonName: 'localhost',
      keyType: 'rsa-2048',
    })
    reloadTlsMaterial(server, { cert: fresh.certPem, key: fresh.keyPem })
    expect(
      await handshake(port, ca.certPem, { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }),
    ).toEqual(REFUSED)
    expect(
      await handshake(port, ca.certPem, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' }),
    ).toEqual(REFUSED)
    expect(
      await handshake(port, ca.certPem, {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
      }),
    ).toEqual({ ok: true, result: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' })
  })
})
