/**
 * One `jwt[i]` entry at run time: kube-apiserver's `jwtAuthenticator.AuthenticateToken`
 * after the issuer matched — readiness, verification, distributed claims,
 * username, groups, uid, extra, claim rules, user rules, in that order.
 */
import { toClaimsActivation, toUserActivation } from '../cel/activation.js'
import type { ClaimsActivation, UserActivation } from '../cel/types.js'
import type { CompiledJWTAuthenticator } from '../config/compiled.js'
import type { IssuerRuntime } from '../issuer/issuer-runtime.js'
import type { Clock, MonotonicClock } from '../runtime/clock.js'
import { validateClaimRules, validateUserRules } from './validate-rules.js'
import {
  expandDistributedClaims,
  mayHaveDistributedClaim,
  type DistributedClaimsContext,
} from './distributed-claims.js'
import { mapExtra, mapGroups, mapUID, mapUsername } from './map-claims.js'
import type { AuthenticatorObserver } from './observer.js'
import { reject, toRejection } from './rejection.js'
import { tokenIdentity } from './token-identity.js'
import type { UntrustedToken } from './untrusted-issuer.js'
import { verifierSettings, verifyToken, type VerifierSettings } from './verify.js'
import type { TokenIdentity, UserInfo } from './types.js'

export interface IssuerAuthenticatorDeps {
  readonly clock: Clock
  /** Runs the distributed-claims deadline. */
  readonly monotonic: MonotonicClock
  readonly observer?: AuthenticatorObserver | undefined
  /** Verifiers for distributed-claim JWTs of other issuers. */
  readonly distributedVerifier: DistributedClaimsContext['verifierFor']
  /** Bound on the whole distributed-claims resolution of one token. */
  readonly distributedClaimsTimeoutMs: number
}

export class IssuerAuthenticator {
  readonly settings: VerifierSettings
  private readonly groupsClaim: string | undefined

  constructor(
    readonly config: CompiledJWTAuthenticator,
    readonly runtime: IssuerRuntime,
    private readonly deps: IssuerAuthenticatorDeps,
  ) {
    this.settings = verifierSettings(config.issuer.url, config.issuer.audiences)
    const groups = config.claimMappings.groups
    this.groupsClaim = groups?.kind === 'claim' ? groups.claim : undefined
  }

  /**
   * Authenticates a token whose unverified `iss` matched; throws `TokenRejected`.
   * Returns the user, the token's `exp` (seconds), which bounds caching, and
   * the claims a revocation list can name.
   */
  async authenticate(
    token: UntrustedToken,
  ): Promise<{ user: UserInfo; exp: number | undefined; identity: TokenIdentity }> {
    const keys = this.runtime.keySet
    if (keys === undefined)
      throw reject('issuer_not_ready', 'readiness', 'oidc: authenticator not initialized', true)
    const now = this.deps.clock.now()
    const issuerHash = this.config.issuerHash
    let exp: number | undefined
    try {
      const standard = await verifyToken(token, this.settings, keys, now, () =>
        this.deps.observer?.onVerification?.(issuerHash),
      )
      exp = standard.exp
    } catch (err) {
      throw toRejection(err, 'verify', 'oidc: verify token: ')
    }

    let claims = token.untrustedPayload // verified from here on
    if (this.groupsClaim !== undefined && mayHaveDistributedClaim(this.groupsClaim, claims)) {
      const deadline = new AbortController()
      const cancelDeadline = this.deps.monotonic.startTimer(
        this.deps.distributedClaimsTimeoutMs,
        () => deadline.abort(new Error('context deadline exceeded')),
      )
      try {
        claims = await expandDistributedClaims(this.groupsClaim, claims, {
          client: this.runtime.client,
          audiences: this.config.issuer.audiences,
          now,
          deadline: deadline.signal,
          verifierFor: (iss) => this.deps.distributedVerifier(iss),
        })
      } catch (err) {
        throw toRejection(err, 'distributed-claims', 'oidc: could not expand distributed claims: ')
      } finally {
        cancelDeadline()
      }
    }

    let activation: ClaimsActivation | undefined
    const claimsActivation = (): ClaimsActivation => (activation ??= toClaimsActivation(claims))
    const mappings = this.config.claimMappings
    const username = mapUsername(mappings.username, claims, claimsActivation)
    const groups = mapGroups(mappings.groups, claims, claimsActivation)
    const uid = mapUID(mappings.uid, claims, claimsActivation)
    const extra = mapExtra(mappings.extra, claims, claimsActivation)
    validateClaimRules(this.config.claimValidationRules, claims, claimsActivation)
    const user: UserInfo = { username, uid, groups, extra }
    let userActivation: UserActivation | undefined
    validateUserRules(
      this.config.userValidationRules,
      () => (userActivation ??= toUserActivation(user)),
    )
    return { user, exp, identity: tokenIdentity(token.untrustedPayload) }
  }
}
