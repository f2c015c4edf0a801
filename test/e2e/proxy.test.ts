/**
 * `node dist/cli.js proxy` as users run it: every bad flag and upstream file
 * reported at once (exit 1); a real run in front of the fake API server that
 * forwards with impersonation, reports readiness, and exits 0 on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.js'
import { httpsRequest } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { freePort, runCli, startCli, waitFor } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

let files: ServeFiles
let issuer: TestIssuer
let apiserver: FakeApiServer

beforeAll(async () => {
  issuer = await startTestIssuer()
  apiserver = await startFakeApiServer(issuer.ca)
  files = await serveFiles(`apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ${issuer.url}
    audiences: [kubernetes]
    certificateAuthority: |
${issuer.caPem
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`)
  await writeFile(join(files.dir, 'upstream-ca.crt'), issuer.caPem)
  await writeFile(join(files.dir, 'upstream-token'), 'e2e-proxy-token\n')
}, 30_000)

afterAll(async () => {
  await apiserver.stop()
  await issuer.stop()
})

describe('e2e: proxy', () => {
  it('bad --upstream and unreadable upstream files: every error, exit 1', async () => {
    const res = await runCli([
      'proxy',
      '--authentication-config',
      files.configFile,
      '--tls-cert-file',
      files.certFile,
      '--tls-private-key-file',
      files.keyFile,
      '--upstream',
      'http://apiserver.example',
      '--upstream-ca-file',
      join(files.dir, 'missing-ca.crt'),
      '--upstream-token-file',
      files.configFile,
      '--health-port',
      '0',
    ])
    expect(res.code).toBe(1)
    expect(res.stderr.split('\n').filter((l) => l !== '')).toEqual([
      '--upstream: "http://apiserver.example": the scheme must be https',
      `--upstream-ca-file: ENOENT: no such file or directory, open '${join(files.dir, 'missing-ca.crt')}'`,
    ])
  })

  it('forwards with impersonation, is ready while the API server answers, exits 0 on SIGTERM', async () => {
    const [securePort, healthPort] = [await freePort(), await freePort()]
    const proc = startCli([
      'proxy',
      '--authentication-config',
      files.configFile,
      '--tls-cert-file',
      files.certFile,
      '--tls-private-key-file',
      files.keyFile,
      '--upstream',
      apiserver.url,
      '--upstream-ca-file',
      join(files.dir, 'upstream-ca.crt'),
      '--upstream-token-file',
      join(files.dir, 'upstream-token'),
      '--bind-address',
      '127.0.0.1',
      '--secure-port',
      String(securePort),
      '--health-port',
      String(healthPort),
    ])
    await waitFor(`http://127.0.0.1:${healthPort}/readyz`, 200, 15_000, proc)
    const now = Math.floor(Date.now() / 1000)
    const token = issuer.sign({
      iss: issuer.url,
      aud: 'kubernetes',
      sub: 'e2e',
      iat: now,
      exp: now + 600,
    })
    const res = await httpsRequest({
      url: `https://127.0.0.1:${securePort}/api`,
      ca: files.ca.certPem,
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(res.statusCode).toBe(200)
    const seen = apiserver.to('/api').at(-1)
    expect(apiserver.header(seen!, 'impersonate-user')).toEqual(['oidc:e2e'])
    expect(apiserver.header(seen!, 'authorization')).toEqual(['Bearer e2e-proxy-token'])
    proc.child.kill('SIGTERM')
    const done = await proc.exited()
    expect(done.code).toBe(0)
    expect(done.stderr).toContain(`"msg":"proxying to ${apiserver.url} with impersonation"`)
    expect(done.stderr).not.toContain(token.split('.')[2])
  })
})
