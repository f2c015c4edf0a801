/**
 * Hooks the metrics module attaches to the authenticator: the issuer's own
 * events plus one per verified or refused token. Every method is optional;
 * label values passed here come from config (issuer hash) or closed sets,
 * never a token.
 */
import type { IssuerObserver } from '../issuer/issuer-observer.js'
import type { RejectReason } from './types.js'

export interface AuthenticatorObserver extends IssuerObserver {
  /** Each time a token's signature is actually checked against keys. */
  onVerification?(issuerHash: string): void
  /** A token whose `iss` matched was authenticated; latency in seconds. */
  onAuthenticated?(issuerHash: string, latencySeconds: number): void
  /** A token whose `iss` matched was refused; latency in seconds. */
  onRejected?(issuerHash: string, latencySeconds: number, reason: RejectReason): void
}
