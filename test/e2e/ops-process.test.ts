/**
 * Issue 4 against the built CLI (`node dist/cli.js serve`): SIGTERM while
 * reviews are in flight, what the logs hold at --log-level debug, and a
 * restart with --key-cache-dir while the issuer is down.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256Label } from '../../src/metrics/labels.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { authConfig, eventually, issuerEntry } from '../helpers/ops-serve.js'
import { freePort, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

const nowS = (): number => Math.floor(Date.now() / 1000)

interface Served {
  readonly proc: Running
  readonly url: string
  readonly health: string
}

async function serve(files: ServeFiles, extra: string[]): Promise<Served> {
  const [port, healthPort] = [await freePort(), await freePort()]
  const proc = startCli([
    'serve',
    `--authentication-config=${files.configFile}`,
    `--tls-cert-file=${files.certFile}`,
    `--tls-private-key-file=${files.keyFile}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--health-port=${healthPort}`,
    ...extra,
  ])
  const health = `http://127.0.0.1:${healthPort}`
  await waitFor(`${health}/readyz`, 200, 15_000, proc)
  return { proc, url: `https://localhost:${port}/authenticate`, health }
}

async function status(
  s: Served,
  files: ServeFiles,
  token: string,
): Promise<{ code: number; status: unknown }> {
  const res = await postJson(s.url, files.ca.certPem, tokenReviewBody(token))
  return {
    code: res.statusCode,
    status: res.statusCode === 200 ? JSON.parse(res.body).status : res.body,
  }
}

interface LogLine {
  level: string
  msg: string
  [field: string]: unknown
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
}

describe('e2e ops: SIGTERM during reviews, and the logs', () => {
  let issuer: TestIssuer
  let files: ServeFiles

  beforeAll(async () => {
    issuer = await startTestIssuer({
      path: '/e2e-term',
      algorithms: ['RS256'],
      keyFamily: 'ops-e2e-term',
    })
    files = await serveFiles(JSON.stringify(authConfig(issuerEntry(issuer.url, issuer.caPem))))
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(files.dir, { recursive: true, force: true })
  })

  it('in-flight reviews all complete with 200, /readyz is 503 during the grace, exit 0; logs hold no token', async () => {
    const s = await serve(files, ['--cache-ttl=0', '--shutdown-grace=10s', '--log-level=debug'])
    try {
      const claims = { iss: issuer.url, aud: 'kubernetes', groups: ['ops'], exp: nowS() + 600 }
      const good = issuer.sign({ ...claims, sub: 'first' })
      const expired = issuer.sign({ ...claims, sub: 'late', exp: nowS() - 5 })
      expect(await status(s, files, good)).toEqual({
        code: 200,
        status: { authenticated: true, user: { username: 'oidc:first', groups: ['ops'] } },
      })
      const refused = await status(s, files, expired)
      expect(refused.code).toBe(200)
      expect(refused.status).toEqual({
        authenticated: false,
        error: expect.stringMatching(/^oidc: verify token: oidc: token is expired/),
      })

      // Slow reviews: a key the webhook has not seen, and an issuer that takes 1.5 s to serve the JWKS.
      await new Promise((r) => setTimeout(r, 1100)) // past the refetch rate limit
      issuer.rotate('RS256', { keepOld: true })
      issuer.knobs.delayMs = 1500
      const slow = Array.from({ length: 5 }, (_, i) => issuer.sign({ ...claims, sub: `slow-${i}` }))
      const started = Date.now()
      const inFlight = slow.map((t) => status(s, files, t))
      await new Promise((r) => setTimeout(r, 400))
      s.proc.child.kill('SIGTERM')
      await eventually(
        async () =>
          (await fetch(`${s.health}/readyz`).then(
            (r) => r.status,
            () => 0,
          )) === 503,
        1000,
        '/readyz 503 during the grace',
      )
      const answers = await Promise.all(inFlight)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
      expect(answers).toEqual(
        slow.map((_, i) => ({
          code: 200,
          status: { authenticated: true, user: { username: `oidc:slow-${i}`, groups: ['ops'] } },
        })),
      )
      const done = await s.proc.exited(15_000)
      expect({ code: done.code, signal: done.signal }).toEqual({ code: 0, signal: null })

      // Logs: nothing of any token, one info line per review with its fields.
      for (const token of [good, expired, ...slow]) {
        const [header, payload, signature] = token.split('.') as [string, string, string]
        expect(done.stderr).not.toContain(token)
        expect(done.stderr).not.toContain(signature)
        expect(done.stderr).not.toContain(payload)
        expect(done.stderr).not.toContain(`${header}.${payload}`)
      }
      const lines = logLines(done.stderr)
      expect(lines.filter((l) => l.level === 'debug').length).toBeGreaterThan(0)
      const reviews = lines.filter((l) => l.msg === 'token review')
      expect(reviews.map((l) => l.level)).toEqual(Array(7).fill('info'))
      const shape = (l: LogLine): unknown => ({
        result: l.result,
        issuer: l.issuer,
        user: l.user,
        reason: l.reason,
        cacheHit: l.cacheHit,
        latencyMs: typeof l.latencyMs,
      })
      expect(
        reviews.map(shape).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      ).toEqual(
        [
          {
            result: 'authenticated',
            issuer: issuer.url,
            user: 'oidc:first',
            reason: undefined,
            cacheHit: false,
            latencyMs: 'number',
          },
          {
            result: 'rejected',
            issuer: issuer.url,
            user: undefined,
            reason: 'expired',
            cacheHit: false,
            latencyMs: 'number',
          },
          ...slow.map((_, i) => ({
            result: 'authenticated',
            issuer: issuer.url,
            user: `oidc:slow-${i}`,
            reason: undefined,
            cacheHit: false,
            latencyMs: 'number',
          })),
        ].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      )
      const slowLatencies = reviews
        .filter((l) => String(l.user).startsWith('oidc:slow-'))
        .map((l) => l.latencyMs as number)
      for (const ms of slowLatencies) expect(ms).toBeGreaterThanOrEqual(1000)
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['signal received', 'shutting down', 'stopped']),
      )
    } finally {
      issuer.knobs.delayMs = 0
      s.proc.child.kill('SIGKILL')
    }
  })
})

describe('e2e ops: --key-cache-dir across a restart during an IdP outage', () => {
  let issuer: TestIssuer
  let files: ServeFiles
  let keyDir: string

  beforeAll(async () => {
    issuer = await startTestIssuer({
      path: '/e2e-keys',
      algorithms: ['ES256'],
      keyFamily: 'ops-e2e-keys',
    })
    files = await serveFiles(JSON.stringify(authConfig(issuerEntry(issuer.url, issuer.caPem))))
    keyDir = await mkdtemp(join(tmpdir(), 'ops-key-cache-'))
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(files.dir, { recursive: true, force: true })
    await rm(keyDir, { recursive: true, force: true })
  })

  it('a restart while the issuer is down still authenticates with the cached keys; without the dir it cannot', async () => {
    const sign = (sub: string): string =>
      issuer.sign({ iss: issuer.url, aud: 'kubernetes', sub, exp: nowS() + 600 }, { alg: 'ES256' })
    const first = await serve(files, [`--key-cache-dir=${keyDir}`, '--shutdown-grace=2s'])
    try {
      expect(await status(first, files, sign('before'))).toEqual({
        code: 200,
        status: { authenticated: true, user: { username: 'oidc:before' } },
      })
      await eventually(
        async () => (await readdir(keyDir)).some((f) => f.endsWith('.json')),
        3000,
        'key cache written',
      )
      first.proc.child.kill('SIGTERM')
      expect((await first.proc.exited(10_000)).code).toBe(0)
    } finally {
      first.proc.child.kill('SIGKILL')
    }
    expect(await readdir(keyDir)).toEqual([`${sha256Label(issuer.url).slice(7)}.json`])

    issuer.knobs.down = true
    const discoveries = issuer.count('/e2e-keys/.well-known/openid-configuration')
    const second = await serve(files, [`--key-cache-dir=${keyDir}`, '--shutdown-grace=2s'])
    try {
      const readyLine = `[+]issuer ${sha256Label(issuer.url)} ${issuer.url} ok`
      await eventually(
        async () =>
          (await (await fetch(`${second.health}/readyz?verbose`)).text()).includes(readyLine),
        3000,
        'issuer ready from the key cache',
      )
      expect(await status(second, files, sign('during-outage'))).toEqual({
        code: 200,
        status: { authenticated: true, user: { username: 'oidc:during-outage' } },
      })
      expect(issuer.count('/e2e-keys/.well-known/openid-configuration')).toBeGreaterThan(
        discoveries,
      ) // it did try
    } finally {
      second.proc.child.kill('SIGTERM')
      await second.proc.exited(10_000)
    }

    const cold = await serve(files, ['--shutdown-grace=2s'])
    try {
      const r = await status(cold, files, sign('no-cache'))
      expect(r).toEqual({
        code: 200,
        status: { authenticated: false, error: expect.stringMatching(/not initialized/) },
      })
    } finally {
      cold.proc.child.kill('SIGTERM')
      await cold.proc.exited(10_000)
    }
  })
})
