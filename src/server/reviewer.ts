/**
 * What the secure port asks for each TokenReview: the result cache in front of
 * the authenticator in force (swapped on reload), the revocation list applied
 * to every answer (cache hits included), one log line and the review metrics
 * per answer.
 */
import type { CachedReview, ResultCache } from '../cache/result-cache.js'
import type { Logger } from '../log/logger.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import { applyRevocationList } from '../revocation/apply.js'
import type { RevocationList } from '../revocation/revocation-list.js'
import { systemClock, type Clock } from '../runtime/clock.js'
import type { TokenReviewer } from '../http/token-reviewer.js'
import type { AuthOutcome, TokenAuthenticator } from '../token/types.js'
import { createReviewLog } from './review-log.js'

export interface ReviewerOptions {
  /** The authenticator in force; read on every cache miss. */
  readonly current: () => TokenAuthenticator
  readonly cache: ResultCache
  readonly logger: Logger
  readonly metrics?: WebhookMetrics
  /** The revocation list in force (swapped on reload); read on every review. */
  readonly revocations?: () => RevocationList
  /** Decides which revocation entries have expired. Default the system clock. */
  readonly clock?: Clock
}

export function createReviewer(opts: ReviewerOptions): TokenReviewer {
  const { cache, metrics, revocations } = opts
  const log = createReviewLog(opts.logger)
  const clock = opts.clock ?? systemClock
  /** Revocation, metrics and the log line of one answered review. */
  const answered = (reviewed: CachedReview, started: number): AuthOutcome => {
    const { hit } = reviewed
    const outcome =
      revocations === undefined
        ? reviewed.outcome
        : applyRevocationList(reviewed.outcome, revocations(), clock.now().getTime())
    const seconds = (performance.now() - started) / 1000
    if (metrics !== undefined) {
      const label = hit ? 'hit' : 'miss'
      metrics.recordCacheRequest(label)
      metrics.observeReviewDuration(label, seconds)
      metrics.recordOutcome(outcome)
    }
    log(outcome, seconds, hit)
    return outcome
  }
  return {
    review(token, audiences) {
      const started = performance.now()
      const reviewed = cache.getOrCompute(token, audiences, () =>
        opts.current().authenticate(token),
      )
      // A cache hit is answered at once, without a promise.
      if (reviewed instanceof Promise) return reviewed.then((r) => answered(r, started))
      return answered(reviewed, started)
    },
  }
}
