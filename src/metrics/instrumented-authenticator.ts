/**
 * The authenticator with its latency recorded per issuer, as kube-apiserver's
 * `newInstrumentedAuthenticator` wraps each JWT authenticator
 * (`apiserver_authentication_jwt_authenticator_latency_seconds`). Only tokens a
 * configured issuer claimed are timed; "not mine" answers are not.
 */
import type { CompiledConfig } from '../config/compiled.js'
import { systemMonotonicClock, type MonotonicClock } from '../runtime/clock.js'
import type { ConfigAuthenticator } from '../token/authenticator.js'
import type { AuthOutcome } from '../token/types.js'
import type { Sha256Label } from './labels.js'
import type { WebhookMetrics } from './registry.js'

export interface InstrumentedAuthenticator extends ConfigAuthenticator {
  /** The authenticator being timed (a reload hands its warm issuers to the next one). */
  readonly inner: ConfigAuthenticator
}

export function instrumentAuthenticator(
  inner: ConfigAuthenticator,
  config: CompiledConfig,
  metrics: WebhookMetrics,
  clock: MonotonicClock = systemMonotonicClock,
): InstrumentedAuthenticator {
  // The compiled config's `sha256:<hex>` of each issuer URL: the label, derived once.
  const labels = new Map(config.jwt.map((e) => [e.issuer.url, e.issuerHash as Sha256Label]))
  return {
    inner,
    async authenticate(token: string): Promise<AuthOutcome> {
      const started = clock.nowMs()
      const outcome = await inner.authenticate(token)
      if (outcome.kind === 'not-mine') return outcome
      const label = labels.get(outcome.issuer)
      if (label !== undefined) {
        const seconds = (clock.nowMs() - started) / 1000
        metrics.observeAuthenticatorLatency(
          label,
          outcome.kind === 'authenticated' ? 'success' : 'failure',
          seconds,
        )
      }
      return outcome
    },
    issuers: () => inner.issuers(),
    waitForFirstAttempts: (timeoutMs) => inner.waitForFirstAttempts(timeoutMs),
    close: () => inner.close(),
  }
}
