/**
 * Issue 6, items 4 and 5, end to end: the built CLI (`node dist/cli.js serve`,
 * run `npm run build` first) with a real issuer, flooded over HTTPS with a
 * bounded number of distinct invalid tokens. Read from the service's own
 * /metrics: resident memory bounded, negative cache bounded, the cached good
 * review still a hit, the JWKS fetch time. From the issuer's counters: at most
 * about one JWKS fetch per second. Then every byte the service said (stdout and
 * stderr at --log-level debug, /metrics, every response body) is searched for
 * the tokens, their signatures and their payloads.
 */
import { Agent } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { freePort, startCli, waitFor, type Running } from '../e2e/cli-process.js'
import { serveFiles } from '../e2e/serve-fixture.js'
import { VALID_EXP_S } from '../helpers/fixed-clock.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { b64url } from '../helpers/tokens.js'

const FLOOD = 3_000
const CONCURRENCY = 16
const CACHE_MAX = 10_000 // negative bound: max(1000, 10000 / 10) = 1000
let issuer: TestIssuer
let proc: Running
let url = ''
let metricsURL = ''
let ca = ''
const said: string[] = []

beforeAll(async () => {
  issuer = await startTestIssuer({ keyFamily: 'flood-serve', algorithms: ['RS256'] })
  const indented = issuer.caPem
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')
  const files = await serveFiles(`apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ${issuer.url}
    audiences: [my-client]
    certificateAuthority: |
${indented}
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
    groups: {expression: 'dyn(claims.?groups.orValue([])).map(g, "oidc:" + g)'}
`)
  ca = files.ca.certPem
  const [securePort, healthPort] = [await freePort(), await freePort()]
  proc = startCli([
    'serve',
    `--authentication-config=${files.configFile}`,
    `--tls-cert-file=${files.certFile}`,
    `--tls-private-key-file=${files.keyFile}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--health-port=${healthPort}`,
    '--log-level=debug',
    '--cache-ttl=1h',
    `--cache-max-entries=${CACHE_MAX}`,
    '--shutdown-grace=1s',
  ])
  url = `https://localhost:${securePort}/authenticate`
  metricsURL = `http://127.0.0.1:${healthPort}/metrics`
  await waitFor(`http://127.0.0.1:${healthPort}/readyz`, 200, 20_000, proc)
}, 30_000)

afterAll(async () => {
  proc.child.kill('SIGTERM')
  await proc.exited(10_000)
  await issuer.stop()
})

/** The value of the first sample of `name` carrying every label given (`result="hit"`). */
function metric(text: string, name: string, ...labels: string[]): number {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        labels.every((p) => l.includes(p)),
    )
  if (line === undefined) throw new Error(`metric ${name}{${labels.join(',')}} not exported`)
  return Number(line.slice(line.lastIndexOf(' ') + 1))
}

async function scrape(): Promise<string> {
  const text = await (await fetch(metricsURL)).text()
  said.push(text)
  return text
}

describe('serve under a flood of invalid tokens', () => {
  const tokens: string[] = []
  let good = ''

  it('answers every review, keeps its bounds and its good cached review', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca })
    const review = async (token: string): Promise<unknown> => {
      const res = await postJson(url, ca, tokenReviewBody(token), { agent })
      said.push(res.body)
      expect(res.statusCode).toBe(200)
      return (JSON.parse(res.body) as { status: unknown }).status
    }
    good = issuer.sign({
      iss: issuer.url,
      aud: 'my-client',
      exp: VALID_EXP_S * 100,
      sub: 'jane',
      groups: ['dev'],
    })
    tokens.push(good)
    expect(await review(good)).toEqual({
      authenticated: true,
      user: { username: 'oidc:jane', groups: ['oidc:dev'] },
    })

    const header = b64url({ alg: 'RS256', kid: 'flood' })
    for (let i = 0; i < FLOOD; i++) {
      const payload = b64url({
        iss: issuer.url,
        aud: 'my-client',
        exp: VALID_EXP_S * 100,
        sub: `m${i}`,
        jti: `flood-${i}`,
      })
      tokens.push(`${header}.${payload}.${b64url(Buffer.alloc(256, i % 251))}`)
    }
    const jwksBefore = issuer.count('/jwks')
    const started = performance.now()
    let next = 1
    const worker = async (): Promise<void> => {
      while (next < tokens.length) {
        const token = tokens[next++] as string
        expect(await review(token)).toEqual({
          authenticated: false,
          error:
            'oidc: verify token: failed to verify signature: failed to verify id token signature',
        })
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const seconds = (performance.now() - started) / 1000
    expect(issuer.count('/jwks') - jwksBefore).toBeLessThanOrEqual(Math.ceil(seconds) + 1)

    const before = await scrape()
    const hits = metric(before, 'kube_oidc_webhook_cache_requests_total', 'result="hit"')
    expect(await review(good)).toEqual({
      authenticated: true,
      user: { username: 'oidc:jane', groups: ['oidc:dev'] },
    })
    const after = await scrape()
    expect(metric(after, 'kube_oidc_webhook_cache_requests_total', 'result="hit"')).toBe(hits + 1)
    expect(metric(after, 'kube_oidc_webhook_cache_entries', 'kind="positive"')).toBe(1)
    expect(metric(after, 'kube_oidc_webhook_cache_entries', 'kind="negative"')).toBe(1000)
    expect(metric(after, 'process_resident_memory_bytes')).toBeLessThan(400 * 1024 * 1024)
    const hash = /jwt_issuer_hash="(sha256:[0-9a-f]{64})"/.exec(after)?.[1] ?? ''
    expect(
      metric(after, 'kube_oidc_webhook_verifications_total', `jwt_issuer_hash="${hash}"`),
    ).toBe(FLOOD + 1)
    expect(
      metric(
        after,
        'apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds',
        'result="success"',
        `jwt_issuer_hash="${hash}"`,
      ),
    ).toBeGreaterThan(0)
    agent.destroy()
  }, 60_000)

  it('no token, signature or payload appears in any output', async () => {
    await scrape()
    proc.child.kill('SIGTERM')
    const done = await proc.exited(10_000)
    expect(done.code).toBe(0)
    const everything = [done.stdout, done.stderr, ...said].join('\n')
    expect(done.stdout + done.stderr).toContain('"msg":"token review"') // the log lines were captured
    for (const token of tokens) {
      const [, payload, signature] = token.split('.') as [string, string, string]
      expect(everything.includes(token)).toBe(false)
      expect(everything.includes(payload)).toBe(false)
      expect(everything.includes(signature)).toBe(false)
    }
  }, 20_000)
})
