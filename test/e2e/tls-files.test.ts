/**
 * The TLS files of the built CLI (`node dist/cli.js serve`), by kube-apiserver's
 * dynamic certificate rules: an empty or certificate-less --client-ca-file, or
 * a serving pair that does not load, is a start-up error; a reload applies only
 * content that passes the same checks, otherwise the material in force stays,
 * with an error log and kube_oidc_webhook_tls_reload_failures_total{file}.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import tls from 'node:tls'
import {
  createCertificateAuthority,
  createServerCertificate,
  type IssuedCertificate,
} from '../../src/dev/certificates.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { eventually } from '../helpers/ops-serve.js'
import { parsePrometheusText, total } from '../helpers/prometheus-text.js'
import { freePort, runCli, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

const GARBAGE_CERTIFICATE = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'

function baseArgs(files: ServeFiles, port: number, healthPort: number): string[] {
  return [
    'serve',
    `--authentication-config=${files.configFile}`,
    `--tls-cert-file=${files.certFile}`,
    `--tls-private-key-file=${files.keyFile}`,
    `--client-ca-file=${files.clientCaFile}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--health-port=${healthPort}`,
    '--shutdown-grace=1s',
  ]
}

describe('e2e: TLS files at start', () => {
  let files: ServeFiles
  let other: IssuedCertificate
  beforeAll(async () => {
    files = await serveFiles()
    other = await createServerCertificate(await createCertificateAuthority({ commonName: 'other' }))
  })
  afterAll(() => rm(files.dir, { recursive: true, force: true }))

  const caName = (f: ServeFiles): string => `client-ca-bundle::${f.clientCaFile}`
  const pairName = (f: ServeFiles): string => `serving-cert::${f.certFile}::${f.keyFile}`

  it.each([
    {
      name: 'an empty client CA file',
      write: (f: ServeFiles) => writeFile(f.clientCaFile, ''),
      error: (f: ServeFiles) => `--client-ca-file: missing content for CA bundle "${caName(f)}"`,
    },
    {
      name: 'a client CA file holding only a key',
      write: (f: ServeFiles) => writeFile(f.clientCaFile, other.keyPem),
      error: (f: ServeFiles) =>
        `--client-ca-file: error loading CA bundle for "${caName(f)}": data does not contain any valid RSA or ECDSA certificates`,
    },
    {
      name: 'a client CA file whose certificate does not parse',
      write: (f: ServeFiles) => writeFile(f.clientCaFile, GARBAGE_CERTIFICATE),
      error: (f: ServeFiles) =>
        `--client-ca-file: error loading CA bundle for "${caName(f)}": x509: malformed certificate`,
    },
    {
      name: 'an empty serving certificate',
      write: (f: ServeFiles) => writeFile(f.certFile, ''),
      error: (f: ServeFiles) =>
        `--tls-cert-file, --tls-private-key-file: missing content for serving cert "${pairName(f)}"`,
    },
    {
      name: 'a key that does not match the serving certificate',
      write: (f: ServeFiles) => writeFile(f.keyFile, other.keyPem),
      error: () =>
        '--tls-cert-file, --tls-private-key-file: tls: private key does not match public key',
    },
    {
      name: 'certificate and key files switched',
      write: async (f: ServeFiles) => {
        await writeFile(f.certFile, other.keyPem)
        await writeFile(f.keyFile, other.certPem)
      },
      error: () =>
        '--tls-cert-file, --tls-private-key-file: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    },
  ])('$name: exit 1 with the reason on stderr', async ({ write, error }) => {
    const case_ = await serveFiles()
    try {
      await write(case_)
      const r = await runCli(baseArgs(case_, await freePort(), await freePort()))
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`${error(case_)}\n`)
    } finally {
      await rm(case_.dir, { recursive: true, force: true })
    }
  })
})

describe('e2e: TLS files reloaded', () => {
  let files: ServeFiles
  let proc: Running
  let url: string
  let health: string
  let port: number

  beforeAll(async () => {
    files = await serveFiles()
    const healthPort = await freePort()
    port = await freePort()
    proc = startCli(baseArgs(files, port, healthPort))
    health = `http://127.0.0.1:${healthPort}`
    url = `https://localhost:${port}/authenticate`
    await waitFor(`${health}/readyz`, 200, 15_000, proc)
  })
  afterAll(async () => {
    proc.child.kill('SIGTERM')
    await proc.exited()
    await rm(files.dir, { recursive: true, force: true })
  })

  async function failures(file: string): Promise<number> {
    const text = await (await fetch(`${health}/metrics`)).text()
    return total(parsePrometheusText(text), 'kube_oidc_webhook_tls_reload_failures_total', {
      file,
    })
  }

  async function review(client: IssuedCertificate): Promise<number> {
    const res = await postJson(url, files.ca.certPem, tokenReviewBody('x'), {
      cert: client.certPem,
      key: client.keyPem,
    })
    return res.statusCode
  }

  /** Fingerprint of the certificate the secure port serves now. */
  function servedCertificate(ca: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca,
        cert: files.client.certPem,
        key: files.client.keyPem,
      })
      socket.once('secureConnect', () => {
        resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
        socket.destroy()
      })
      socket.once('error', reject)
    })
  }

  it.each([
    { name: 'emptied', content: () => '' },
    { name: 'holding only a key', content: () => files.client.keyPem },
    { name: 'holding a certificate that does not parse', content: () => GARBAGE_CERTIFICATE },
  ])('a client CA file $name is refused; the CA in force stays', async ({ content }) => {
    const before = await failures('client-ca-bundle')
    await writeFile(files.clientCaFile, content())
    await eventually(
      async () => (await failures('client-ca-bundle')) === before + 1,
      10_000,
      'refusal counted',
    )
    // kube-apiserver's client still gets in; a certificate from any other CA does not.
    expect(await review(files.client)).toBe(200)
    await expect(review(files.foreignClient)).rejects.toThrow()
    expect(proc.stderr()).toContain('refused new TLS material; the material in force stays')
  })

  it('a serving pair that does not match is refused; a matching one is applied', async () => {
    const servedBefore = await servedCertificate(files.ca.certPem)
    const next = await createServerCertificate(files.ca)
    const before = await failures('serving-cert')
    await writeFile(files.certFile, next.certPem)
    await eventually(
      async () => (await failures('serving-cert')) === before + 1,
      10_000,
      'mismatched pair refused',
    )
    expect(await servedCertificate(files.ca.certPem)).toBe(servedBefore)
    await writeFile(files.certFile, '')
    await eventually(
      async () => (await failures('serving-cert')) === before + 2,
      10_000,
      'empty certificate refused',
    )
    expect(await servedCertificate(files.ca.certPem)).toBe(servedBefore)

    await writeFile(files.keyFile, next.keyPem)
    await writeFile(files.certFile, next.certPem)
    const wanted = new X509Certificate(next.certPem).fingerprint256
    await eventually(
      async () => (await servedCertificate(files.ca.certPem)) === wanted,
      10_000,
      'new pair served',
    )
    expect(await review(files.client)).toBe(200)
  })

  it('a good client CA after refusals is applied', async () => {
    const newCa = await createCertificateAuthority({ commonName: 'next client CA' })
    const { createClientCertificate } = await import('../../src/dev/certificates.js')
    const newClient = await createClientCertificate(newCa)
    await writeFile(files.clientCaFile, newCa.certPem)
    await eventually(
      async () => {
        try {
          return (await review(newClient)) === 200
        } catch {
          return false
        }
      },
      10_000,
      'new client CA in force',
    )
    await expect(review(files.client)).rejects.toThrow()
  })
})
