/**
 * Hooks the metrics module attaches to the authenticator: the issuer's own
 * events plus one per signature check (latency is measured by a wrapper,
 * metrics/instrumented-authenticator.ts). Every method is optional;
 * label values passed here come from config (issuer hash) or closed sets,
 * never a token.
 */
import type { IssuerObserver } from '../issuer/issuer-observer.js'

export interface AuthenticatorObserver extends IssuerObserver {
  /** Each time a token's signature is actually checked against keys. */
  onVerification?(issuerHash: string): void
}
