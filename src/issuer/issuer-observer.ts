/**
 * Hooks for an issuer's discovery and key events (kube-apiserver's
 * oidc/metrics.go measures the same points). Every method is optional; the
 * issuer hash comes from config, never from a token.
 */
export interface IssuerObserver {
  /** After each discovery attempt. */
  onDiscovery?(issuerHash: string, ok: boolean): void
  /** After each JWKS fetch attempt; `keySetHash` is `sha256:<hex of body>` on success. */
  onJWKSFetch?(issuerHash: string, ok: boolean, keySetHash: string | undefined): void
  /** The issuer's readiness changed (discovery done and keys loaded). */
  onIssuerReady?(issuerHash: string, ready: boolean): void
}
