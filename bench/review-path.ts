/**
 * `node .bench-build/bench/review-path.js [iterations]`: CPU per step of a
 * review, in-process and without HTTP, each step timed in a loop of its own
 * with the service's real modules; then whole reviews (body in, response
 * body out), cached and uncached RS256, beside the baseline's. Complements
 * `--cpu-prof`, whose samples mix TLS, node's HTTP machinery and our code:
 * here each of our steps gets its own figure (docs/performance.md, "What a
 * review costs"). Log lines go through the service's buffered writer to
 * /dev/null. Uses the bench's token pool (made by a first `npm run bench`).
 */
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto'
import { join, resolve } from 'node:path'
import { ResultCache, reviewCacheKey } from '../src/cache/result-cache.js'
import { decodeTokenReview } from '../src/http/parse-token-review.js'
import { captureSecurityHeaders, flatSecurityHeaders } from '../src/http/security-headers.js'
import { renderReviewAnswer } from '../src/http/token-review.js'
import { BufferedWriter } from '../src/log/buffered-writer.js'
import { createLogger } from '../src/log/logger.js'
import { WebhookMetrics } from '../src/metrics/registry.js'
import { createReviewLog } from '../src/server/review-log.js'
import { createReviewer } from '../src/server/reviewer.js'
import type { AuthOutcome } from '../src/token/types.js'
import type { TokenReviewer } from '../src/http/token-reviewer.js'
import { parseAuthenticationConfig } from '../src/config/load.js'
import { createCertificateAuthority, createServerCertificate } from '../src/dev/certificates.js'
import { createConfigAuthenticator } from '../src/token/authenticator.js'
import { createBaselineReviewer } from './baseline/reviewer.js'
import { baselineConfig, serviceConfigYaml } from './configs.js'
import { startIssuerServer } from './issuer-server.js'
import { preparePools } from './mint.js'
import { API_AUDIENCE } from './load/protocol.js'

const iterations = Number(process.argv[2] ?? 200_000)

function fakeToken(): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signature = Buffer.alloc(256, 7).toString('base64url')
  return `${part({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${part({
    iss: 'https://issuer-0.bench.invalid',
    sub: 'user-12345',
    aud: 'kube-oidc-webhook-bench',
    iat: 1_800_000_000,
    exp: 1_800_043_200,
    groups: ['developers', 'viewers'],
  })}.${signature}`
}

const token = fakeToken()
const audiences = ['https://kubernetes.default.svc', 'bench']
const body = JSON.stringify({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenReview',
  metadata: { creationTimestamp: null },
  spec: { token, audiences },
  status: { user: {} },
})
const outcome: Extract<AuthOutcome, { kind: 'authenticated' }> = {
  kind: 'authenticated',
  issuer: 'https://issuer-0.bench.invalid',
  user: {
    username: 'oidc:user-12345',
    uid: '',
    groups: ['oidc:developers', 'oidc:viewers'],
    extra: {},
  },
  exp: 1_800_043_200,
}

/** CPU µs (user + system, all threads) per call of `step`, after a warm-up. */
async function time(step: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20_000, iterations); i++) await step()
  const before = process.cpuUsage()
  for (let i = 0; i < iterations; i++) await step()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / iterations
}

function syncTime(step: () => unknown): Promise<number> {
  return time(() => {
    step()
    return undefined
  })
}

async function main(): Promise<void> {
  const devNull = openSync('/dev/null', 'w')
  const writer = new BufferedWriter({ fd: devNull })
  const infoLogger = createLogger({ level: 'info', destination: writer })
  const warnLogger = createLogger({ level: 'warn', destination: writer })
  const metrics = new WebhookMetrics({ apiserverId: 'bench', defaultMetrics: false })
  // Long-lived entries: the loops below outlast the default 10 s TTL.
  const cache = new ResultCache({ ttlMs: 24 * 3600 * 1000 })
  await cache.getOrCompute(token, audiences, async () => outcome)
  const reviewerFor = (logger: typeof infoLogger, withMetrics: boolean) =>
    createReviewer({
      current: () => ({ authenticate: async () => outcome }),
      cache,
      logger,
      ...(withMetrics ? { metrics } : {}),
    })
  const info = reviewerFor(infoLogger, true)
  const warn = reviewerFor(warnLogger, true)
  const bare = reviewerFor(warnLogger, false)
  const reviewLog = createReviewLog(infoLogger)
  const headers = captureSecurityHeaders()
  const rendered = renderReviewAnswer('authentication.k8s.io/v1', outcome)

  const rows: [string, number][] = [
    ['parse the TokenReview (JSON.parse + checks)', await syncTime(() => decodeTokenReview(body))],
    [
      'cache key (SHA-256 of token + audiences)',
      await syncTime(() => reviewCacheKey(token, audiences)),
    ],
    [
      '  of which createHash alone (empty input)',
      await syncTime(() => createHash('sha256').digest('base64url')),
    ],
    [
      'cache lookup, hit (key included)',
      await time(() =>
        cache.getOrCompute(token, audiences, () => Promise.reject(new Error('miss'))),
      ),
    ],
    ['reviewer, hit, no metrics, warn', await time(() => bare.review(token, audiences))],
    ['reviewer, hit, metrics, warn', await time(() => warn.review(token, audiences))],
    [
      'reviewer, hit, metrics, info (line written)',
      await time(() => info.review(token, audiences)),
    ],
    ['review log line alone', await syncTime(() => reviewLog(outcome, 0.000123, true))],
    [
      'metrics of one review (3 calls)',
      await syncTime(() => {
        metrics.recordCacheRequest('hit')
        metrics.observeReviewDuration('hit', 0.000123)
        metrics.recordOutcome(outcome)
      }),
    ],
    ['HTTP request counter', await syncTime(() => metrics.recordHttpRequest(200, '/authenticate'))],
    [
      'render the response (pre-serialised parts)',
      await syncTime(() => renderReviewAnswer('authentication.k8s.io/v1', outcome)),
    ],
    [
      'response header list',
      await syncTime(() => [
        ...flatSecurityHeaders(headers),
        'Content-Type',
        'application/json',
        'Content-Length',
        String(Buffer.byteLength(rendered)),
      ]),
    ],
  ]
  writer.close()
  closeSync(devNull)
  const whole = await wholeReviews()
  const print = (title: string, list: [string, number][]): void => {
    const width = Math.max(...list.map(([name]) => name.length))
    process.stdout.write(`\n${title}\n`)
    for (const [name, us] of list)
      process.stdout.write(`${name.padEnd(width)}  ${us.toFixed(2).padStart(7)} µs\n`)
  }
  print(`CPU per step of a cached review, ${iterations} iterations each`, rows)
  print('CPU per whole review in-process (request body in, response body out), no HTTP', whole)
}

/**
 * One review as the secure port does it minus HTTP: decode the body, ask the
 * reviewer (cache, metrics, log line), render the answer; and the baseline's
 * function on the same body.
 */
async function wholeReviews(): Promise<[string, number][]> {
  const build = resolve('.bench-build')
  const pools = await preparePools(
    join(build, 'cache'),
    [{ name: 'rs1', alg: 'RS256', issuers: 1, count: 10_000 }],
    Math.floor(Date.now() / 1000),
    (line) => process.stderr.write(`${line}\n`),
  )
  const tokens = readFileSync(pools.files.get('rs1') ?? '', 'latin1')
    .split('\n')
    .filter((t) => t !== '')
    .slice(0, 10_000)
  const ca = await createCertificateAuthority({ commonName: 'review-path CA' })
  const serving = await createServerCertificate(ca)
  const tls = { cert: serving.certPem, key: serving.keyPem }
  const issuerServer = await startIssuerServer(pools.issuers, tls)
  const parsed = parseAuthenticationConfig(
    serviceConfigYaml(pools.issuers, 1, (i) => issuerServer.discoveryURL(i), ca.certPem),
  )
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const authenticator = createConfigAuthenticator(parsed.config, {})
  await authenticator.waitForFirstAttempts(30_000)
  const devNull = openSync('/dev/null', 'w')
  const writer = new BufferedWriter({ fd: devNull })
  const logger = createLogger({ level: 'info', destination: writer })
  const metrics = new WebhookMetrics({ apiserverId: 'bench', defaultMetrics: false })
  const service: TokenReviewer = createReviewer({
    current: () => authenticator,
    cache: new ResultCache(),
    logger,
    metrics,
  })
  const baseline = createBaselineReviewer(baselineConfig(pools.issuers, 1, 0, tls))
  const bodyOf = (token: string, tag: string): string =>
    JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      metadata: { creationTimestamp: null },
      spec: { token, audiences: [API_AUDIENCE, tag] },
      status: { user: {} },
    })
  const serviceReview = async (body: string): Promise<string> => {
    const review = decodeTokenReview(body)
    const outcome = await service.review(review.token, review.audiences)
    return renderReviewAnswer(review.apiVersion, outcome)
  }
  // Uncached: every body carries a new audience tag, so every review misses.
  let n = 0
  const fresh = (): string => {
    const token = tokens[n % tokens.length] ?? ''
    return bodyOf(token, `t${n++}`)
  }
  const key = pools.issuers[0]?.keys.find((k) => k.alg === 'RS256')
  const publicKey = createPublicKey({ key: key?.publicJwk as JsonWebKey, format: 'jwk' })
  const token0 = tokens[0] ?? ''
  const dot = token0.lastIndexOf('.')
  const input = Buffer.from(token0.slice(0, dot))
  const signature = Buffer.from(token0.slice(dot + 1), 'base64url')
  const cachedBody = bodyOf(token0, 'cached')
  const rounds = Math.min(iterations, 20_000)
  const timeUncached = async (step: () => unknown): Promise<number> => {
    const before = process.cpuUsage()
    for (let i = 0; i < rounds; i++) await step()
    const used = process.cpuUsage(before)
    return (used.user + used.system) / rounds
  }
  for (let i = 0; i < 2000; i++) {
    await serviceReview(fresh())
    baseline(Buffer.from(fresh()), Date.now())
  }
  const out: [string, number][] = [
    [
      'RS256 crypto.verify alone',
      await syncTime(() => verify('sha256', input, publicKey, signature)),
    ],
    ['uncached RS256, service', await timeUncached(() => serviceReview(fresh()))],
    [
      'uncached RS256, baseline',
      await timeUncached(() => baseline(Buffer.from(fresh()), Date.now())),
    ],
    [
      'uncached RS256, service authenticate() alone',
      await timeUncached(() => authenticator.authenticate(tokens[n++ % tokens.length] ?? '')),
    ],
    ['cached, service', await time(() => serviceReview(cachedBody))],
    ['cached, baseline', await syncTime(() => baseline(Buffer.from(cachedBody), Date.now()))],
  ]
  writer.close()
  closeSync(devNull)
  await authenticator.close()
  await issuerServer.close()
  return out
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
