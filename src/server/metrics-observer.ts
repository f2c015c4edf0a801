/** Feeds the authenticator's hooks into the metrics registry (kube-apiserver's oidc/metrics.go points). */
import type { Sha256Label } from '../metrics/labels.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import type { AuthenticatorObserver } from '../token/observer.js'

const HASH = /^sha256:[0-9a-f]{64}$/

const checked = new Map<string, Sha256Label>()

/**
 * Issuer hashes come from the compiled config (`sha256:<hex of url>`); anything
 * else is dropped to the empty label. Checked once per distinct value (config
 * issuers are few), not on every review.
 */
function label(hash: string | undefined): Sha256Label {
  if (hash === undefined) return '' as Sha256Label
  let known = checked.get(hash)
  if (known === undefined) {
    known = (HASH.test(hash) ? hash : '') as Sha256Label
    if (checked.size >= 4096) checked.clear()
    checked.set(hash, known)
  }
  return known
}

export function metricsObserver(metrics: WebhookMetrics): AuthenticatorObserver {
  return {
    onDiscovery: (issuer, ok) =>
      metrics.recordDiscoveryFetch(label(issuer), ok ? 'success' : 'failure'),
    onJWKSFetch: (issuer, ok, keySetHash) =>
      metrics.recordJwksFetch(
        label(issuer),
        ok ? 'success' : 'failure',
        keySetHash === undefined ? undefined : label(keySetHash),
      ),
    onVerification: (issuer) => metrics.recordVerification(label(issuer)),
    onIssuerReady: (issuer, ready) => metrics.setIssuerReady(label(issuer), ready),
  }
}
