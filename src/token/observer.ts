/**
 * Hooks the metrics module attaches to the authenticator (kube-apiserver's
 * oidc/metrics.go measures the same points). Every method is optional; label
 * values passed here come from config (issuer hash) or closed sets, never a token.
 */
import type { RejectReason } from './types.js'

export interface AuthenticatorObserver {
  /** After each discovery attempt. */
  onDiscovery?(issuerHash: string, ok: boolean): void
  /** After each JWKS fetch attempt; `keySetHash` is `sha256:<hex of body>` on success. */
  onJWKSFetch?(issuerHash: string, ok: boolean, keySetHash: string | undefined): void
  /** Each time a token's signature is actually checked against keys. */
  onVerification?(issuerHash: string): void
  /** A token whose `iss` matched was authenticated; latency in seconds. */
  onAuthenticated?(issuerHash: string, latencySeconds: number): void
  /** A token whose `iss` matched was refused; latency in seconds. */
  onRejected?(issuerHash: string, latencySeconds: number, reason: RejectReason): void
  /** The issuer's readiness changed (discovery done and keys loaded). */
  onIssuerReady?(issuerHash: string, ready: boolean): void
}
