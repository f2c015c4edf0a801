/**
 * The one place the token pipeline is built, at start, on reload and for
 * `check`, so `check` verifies exactly as `serve` does.
 */
import type { CompiledConfig } from '../config/compiled.js'
import type { Logger } from '../log/logger.js'
import {
  instrumentAuthenticator,
  type InstrumentedAuthenticator,
} from '../metrics/instrumented-authenticator.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import {
  createConfigAuthenticator,
  type AuthenticatorOptions,
  type ConfigAuthenticator,
} from '../token/authenticator.js'

export interface BuildAuthenticatorOptions extends AuthenticatorOptions {
  readonly logger: Logger
  /** When set, each issuer's authentication latency is recorded. */
  readonly metrics?: WebhookMetrics | undefined
}

/**
 * Builds the authenticator for `config`. With `previous` (hot reload), issuers
 * whose url, discoveryURL and certificateAuthority are unchanged keep their
 * warm discovery and keys; the caller closes `previous` later.
 */
export function buildAuthenticator(
  config: CompiledConfig,
  opts: BuildAuthenticatorOptions,
  previous?: ConfigAuthenticator,
): ConfigAuthenticator {
  const previousInner =
    previous !== undefined && 'inner' in previous
      ? (previous as InstrumentedAuthenticator).inner
      : previous
  const inner = createConfigAuthenticator(config, opts, previousInner)
  return opts.metrics === undefined ? inner : instrumentAuthenticator(inner, config, opts.metrics)
}
