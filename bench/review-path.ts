/**
 * `node .bench-build/bench/review-path.js [iterations]`: CPU per step of a
 * cached review, in-process and without HTTP, each step timed in a loop of
 * its own with the service's real modules. Complements `--cpu-prof`, whose
 * samples mix TLS, node's HTTP machinery and our code: here each of our
 * steps gets its own figure (docs/performance.md, "What a review costs").
 * Log lines go through the service's buffered writer to /dev/null.
 */
import { closeSync, openSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { ResultCache, reviewCacheKey } from '../src/cache/result-cache.js'
import { decodeTokenReview } from '../src/http/parse-token-review.js'
import { captureSecurityHeaders, flatSecurityHeaders } from '../src/http/security-headers.js'
import { renderTokenReview, tokenReviewStatus } from '../src/http/token-review.js'
import { BufferedWriter } from '../src/log/buffered-writer.js'
import { createLogger } from '../src/log/logger.js'
import { WebhookMetrics } from '../src/metrics/registry.js'
import { createReviewLog } from '../src/server/review-log.js'
import { createReviewer } from '../src/server/reviewer.js'
import type { AuthOutcome } from '../src/token/types.js'

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
  await cache.review(token, audiences, async () => ({ outcome, exp: outcome.exp }))
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
  const rendered = renderTokenReview('authentication.k8s.io/v1', tokenReviewStatus(outcome))

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
      await time(() => cache.review(token, audiences, () => Promise.reject(new Error('miss')))),
    ],
    ['reviewer, hit, no metrics, warn', await time(() => bare.authenticate(token, audiences))],
    ['reviewer, hit, metrics, warn', await time(() => warn.authenticate(token, audiences))],
    [
      'reviewer, hit, metrics, info (line written)',
      await time(() => info.authenticate(token, audiences)),
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
      'render the response (status + JSON)',
      await syncTime(() =>
        renderTokenReview('authentication.k8s.io/v1', tokenReviewStatus(outcome)),
      ),
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
  const width = Math.max(...rows.map(([name]) => name.length))
  process.stdout.write(`CPU per step of a cached review, ${iterations} iterations each\n`)
  for (const [name, us] of rows)
    process.stdout.write(`${name.padEnd(width)}  ${us.toFixed(2).padStart(6)} µs\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
