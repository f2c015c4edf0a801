import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { httpsRequest, postJson, tokenReviewBody } from '../helpers/https-client.js'
import { freePort, runCli, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

async function startServe(
  files: ServeFiles,
  extra: string[] = [],
): Promise<{ proc: Running; url: string; health: string }> {
  const [port, healthPort] = [await freePort(), await freePort()]
  const proc = startCli([
    'serve',
    '--authentication-config',
    files.configFile,
    `--tls-cert-file=${files.certFile}`,
    `--tls-private-key-file=${files.keyFile}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--health-port=${healthPort}`,
    '--shutdown-grace=2s',
    ...extra,
  ])
  const health = `http://127.0.0.1:${healthPort}`
  await waitFor(`${health}/readyz`, 200, 15_000, proc)
  return { proc, url: `https://localhost:${port}/authenticate`, health }
}

describe('e2e: kube-oidc-webhook serve', () => {
  let files: ServeFiles
  beforeAll(async () => {
    files = await serveFiles()
  })
  afterAll(() => rm(files.dir, { recursive: true, force: true }))

  it('serves reviews over HTTPS, is ready, and exits 0 on SIGTERM', async () => {
    const { proc, url, health } = await startServe(files)
    try {
      const token = 'not-a-jwt-but-a-secret-looking-string'
      const res = await postJson(
        `${url}?timeout=30s`,
        files.ca.certPem,
        tokenReviewBody(token, 'authentication.k8s.io/v1beta1'),
      )
      expect(res.statusCode).toBe(200)
      expect(JSON.parse(res.body)).toEqual({
        apiVersion: 'authentication.k8s.io/v1beta1',
        kind: 'TokenReview',
        status: { authenticated: false },
      })
      const healthz = await fetch(`${health}/healthz`)
      expect([healthz.status, await healthz.text()]).toEqual([200, 'ok'])
      const verbose = await (await fetch(`${health}/readyz?verbose`)).text()
      expect(verbose).toMatch(
        /^\[\+\]config ok\n\[\+\]serving ok\n\[\+\]shutdown ok\n\[[+-]\]issuer sha256:[0-9a-f]{64} https:\/\/127\.0\.0\.1:1\/unreachable /,
      )
      expect(verbose.endsWith('readyz check passed\n')).toBe(true)
      const get = await httpsRequest({ url, ca: files.ca.certPem })
      expect(get.statusCode).toBe(405)
      proc.child.kill('SIGTERM')
      const done = await proc.exited(10_000)
      expect({ code: done.code, signal: done.signal }).toEqual({ code: 0, signal: null })
      expect(done.stderr).not.toContain(token)
    } finally {
      proc.child.kill('SIGKILL')
    }
  })

  it('SIGINT also exits 0', async () => {
    const { proc } = await startServe(files)
    proc.child.kill('SIGINT')
    const done = await proc.exited(10_000)
    expect({ code: done.code, signal: done.signal }).toEqual({ code: 0, signal: null })
  })

  it('with --client-ca-file: a client certificate is required', async () => {
    const { proc, url } = await startServe(files, [`--client-ca-file=${files.clientCaFile}`])
    try {
      const ok = await postJson(url, files.ca.certPem, tokenReviewBody('x'), {
        cert: files.client.certPem,
        key: files.client.keyPem,
      })
      expect(ok.statusCode).toBe(200)
      await expect(postJson(url, files.ca.certPem, tokenReviewBody('x'))).rejects.toThrow()
      await expect(
        postJson(url, files.ca.certPem, tokenReviewBody('x'), {
          cert: files.foreignClient.certPem,
          key: files.foreignClient.keyPem,
        }),
      ).rejects.toThrow()
    } finally {
      proc.child.kill('SIGTERM')
      expect((await proc.exited(10_000)).code).toBe(0)
    }
  })

  it('a bad config: exit 1 with every field error on stderr', async () => {
    const bad = join(files.dir, 'bad.yaml')
    await writeFile(
      bad,
      `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://issuer.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub}
`,
    )
    const r = await runCli([
      'serve',
      `--authentication-config=${bad}`,
      `--tls-cert-file=${files.certFile}`,
      `--tls-private-key-file=${join(files.dir, 'missing.key')}`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'jwt[0].issuer.url: Invalid value: "http://issuer.example.com": URL scheme must be https',
      'jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
      `--tls-private-key-file: ENOENT: no such file or directory, open '${join(files.dir, 'missing.key')}'`,
    ])
  })

  it("--service-account-issuer equal to a configured issuer: exit 1, kube-apiserver's error", async () => {
    const r = await runCli([
      'serve',
      `--authentication-config=${files.configFile}`,
      `--tls-cert-file=${files.certFile}`,
      `--tls-private-key-file=${files.keyFile}`,
      '--service-account-issuer=https://kubernetes.default.svc,https://127.0.0.1:1/unreachable',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'jwt[0].issuer.url: Invalid value: "https://127.0.0.1:1/unreachable": URL must not overlap with disallowed issuers: [https://127.0.0.1:1/unreachable https://kubernetes.default.svc]',
    ])
  })

  it('a bad flag: exit 1 with the error on stderr', async () => {
    const r = await runCli([
      'serve',
      '--secure-port=x',
      `--authentication-config=${files.configFile}`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      [
        'Error: invalid argument "x" for "--secure-port" flag: strconv.ParseInt: parsing "x": invalid syntax',
        'Error: required flag(s) "tls-cert-file", "tls-private-key-file" not set',
        'Run "kube-oidc-webhook serve --help" for usage.',
        '',
      ].join('\n'),
    )
  })
})
