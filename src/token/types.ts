/** What a successful authentication yields (k8s.io/apiserver/pkg/authentication/user.DefaultInfo). */
export interface UserInfo {
  username: string
  uid: string
  groups: string[]
  /** Values are always arrays of strings; the key is absent when empty. */
  extra: Record<string, string[]>
}

/**
 * The closed set of reasons a token is refused. Safe as a metric label and a
 * log field; the human text (publicMessage) carries the details.
 */
export const REJECT_REASONS = [
  'malformed', // cannot be parsed as a JWS / claims of the wrong type
  'issuer_not_ready', // discovery has not succeeded yet (transient)
  'keys_unavailable', // JWKS could not be fetched (transient)
  'unsupported_algorithm',
  'bad_signature',
  'issuer_mismatch',
  'audience_mismatch',
  'expired',
  'not_yet_valid',
  'distributed_claims_failed',
  'username_mapping_failed',
  'groups_mapping_failed',
  'uid_mapping_failed',
  'extra_mapping_failed',
  'claim_rule_failed',
  'user_rule_failed',
  'email_not_verified',
  'token_too_large',
  'revoked', // named by the revocation list (applied after verification, cache hits included)
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

/** Which pipeline step refused the token (for `check`). */
export type PipelineStep =
  | 'select-issuer'
  | 'readiness'
  | 'verify'
  | 'distributed-claims'
  | 'username'
  | 'groups'
  | 'uid'
  | 'extra'
  | 'claim-rules'
  | 'user-rules'
  | 'revocation'

export class TokenRejected extends Error {
  readonly code = 'ERR_TOKEN_REJECTED'
  override readonly name = 'TokenRejected'
  constructor(
    readonly reason: RejectReason,
    readonly step: PipelineStep,
    /**
     * Worded as kube-apiserver words the same failure; may name a claim and an
     * expected value, never the token, its signature or its payload.
     */
    publicMessage: string,
    /** True when retrying later may succeed (issuer not ready, keys unreachable). */
    readonly transient = false,
    options?: { cause?: unknown },
  ) {
    super(publicMessage, options)
  }
}

/**
 * The claims of a verified token that a revocation list can name. Kept with a
 * cached answer so the list applies to cache hits too; never the token itself.
 */
export interface TokenIdentity {
  /** `sub`, when a string. */
  readonly subject?: string
  /** `jti`, when a string. */
  readonly tokenID?: string
  /** `sid` (the OpenID session), when a string. */
  readonly sessionID?: string
  /** `iat` in whole seconds since the epoch, when present. */
  readonly issuedAt?: number
}

export type AuthOutcome =
  /**
   * `exp`: the token's expiry in seconds since the epoch (caps how long the result may be cached).
   * `identity`: what a revocation list matches on (absent: nothing but the issuer and username).
   */
  | {
      kind: 'authenticated'
      issuer: string
      user: UserInfo
      exp?: number
      identity?: TokenIdentity
    }
  /** No configured issuer claims this token (kube-apiserver: "not mine", no error). */
  | { kind: 'not-mine' }
  | { kind: 'rejected'; issuer: string; rejection: TokenRejected }

/** Anything that turns a bearer token into an outcome; never throws for a bad token. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<AuthOutcome>
}
