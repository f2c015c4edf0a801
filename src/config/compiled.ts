/**
 * A validated and compiled AuthenticationConfiguration: what `validate` accepts
 * is exactly what `serve` runs (upstream CompileAndValidateJWTAuthenticator).
 * Deep-frozen once built; hot reload builds a new one aside and swaps it.
 */
import type { ClaimsActivation, CompiledExpression, UserActivation } from '../cel/types.js'
import type { ApiVersion, JWTAuthenticator } from './types.js'

export interface CompiledConfig {
  readonly apiVersion: ApiVersion
  readonly jwt: readonly CompiledJWTAuthenticator[]
  /** `sha256:<hex>` of the file content (kube-apiserver's last_config_info hash). */
  readonly hash: string
  /**
   * Field paths present in the file that kube-apiserver acts on and this webhook
   * accepts without effect (`anonymous`, `jwt[i].issuer.egressSelectorType`), in
   * validation order; empty when there are none.
   */
  readonly inertFields: readonly string[]
}

export interface CompiledIssuer {
  readonly url: string
  /** Where discovery is fetched from: `discoveryURL`, or `url` (trailing `/` trimmed) + `/.well-known/openid-configuration`. */
  readonly discoveryURL: string
  /** Whether `discoveryURL` was set explicitly in the file. */
  readonly discoveryURLExplicit: boolean
  /** PEM; when set it is the only trust for this issuer's connections. */
  readonly certificateAuthority?: string
  readonly audiences: readonly string[]
  readonly audienceMatchPolicy: '' | 'MatchAny'
}

export type CompiledClaimValidationRule =
  | { readonly kind: 'claim'; readonly claim: string; readonly requiredValue: string }
  | {
      readonly kind: 'expression'
      readonly expression: CompiledExpression<ClaimsActivation>
      readonly message: string
    }

export type CompiledPrefixedMapping =
  | { readonly kind: 'claim'; readonly claim: string; readonly prefix: string }
  | { readonly kind: 'expression'; readonly expression: CompiledExpression<ClaimsActivation> }

export type CompiledUIDMapping =
  | { readonly kind: 'claim'; readonly claim: string }
  | { readonly kind: 'expression'; readonly expression: CompiledExpression<ClaimsActivation> }

export interface CompiledExtraMapping {
  readonly key: string
  readonly valueExpression: CompiledExpression<ClaimsActivation>
}

export interface CompiledUserValidationRule {
  readonly expression: CompiledExpression<UserActivation>
  readonly message: string
}

export interface CompiledJWTAuthenticator {
  /** Position in the file's `jwt` list. */
  readonly index: number
  /** The entry as written (after strict decoding). */
  readonly source: JWTAuthenticator
  /** `sha256:<hex>` of the entry's canonical JSON: equal fingerprints mean an unchanged issuer on reload. */
  readonly fingerprint: string
  /** `sha256:<hex>` of `issuer.url` (kube-apiserver's jwt_issuer_hash label). */
  readonly issuerHash: string
  readonly issuer: CompiledIssuer
  /** claim/requiredValue rules first, then expression rules, each in file order (the apiserver's evaluation order). */
  readonly claimValidationRules: readonly CompiledClaimValidationRule[]
  readonly claimMappings: {
    readonly username: CompiledPrefixedMapping
    /** Absent when no groups mapping, or `groups: {prefix: x}` alone (accepted and ignored). */
    readonly groups?: CompiledPrefixedMapping
    readonly uid?: CompiledUIDMapping
    readonly extra: readonly CompiledExtraMapping[]
  }
  readonly userValidationRules: readonly CompiledUserValidationRule[]
}
