/**
 * The `AuthenticationConfiguration` as written in the file, with Kubernetes' own
 * field names (pkg/apis/apiserver/v1/types.go). The schema is the same for
 * v1, v1beta1 and v1alpha1. Every field is optional here: presence rules are the
 * validator's job, so that it can report them with field paths.
 */
export const SUPPORTED_API_VERSIONS = [
  'apiserver.config.k8s.io/v1',
  'apiserver.config.k8s.io/v1beta1',
  'apiserver.config.k8s.io/v1alpha1',
] as const
export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number]

export interface AuthenticationConfiguration {
  apiVersion: ApiVersion
  kind: 'AuthenticationConfiguration'
  jwt?: JWTAuthenticator[]
  /** kube-apiserver's anonymous authenticator: validated as it validates it, without effect here. */
  anonymous?: AnonymousAuthConfig
}

export interface AnonymousAuthConfig {
  enabled?: boolean
  conditions?: AnonymousAuthCondition[]
}

export interface AnonymousAuthCondition {
  path?: string
}

export interface JWTAuthenticator {
  issuer?: Issuer
  claimValidationRules?: ClaimValidationRule[]
  claimMappings?: ClaimMappings
  userValidationRules?: UserValidationRule[]
}

export interface Issuer {
  url?: string
  discoveryURL?: string
  certificateAuthority?: string
  audiences?: string[]
  audienceMatchPolicy?: string
  /** kube-apiserver's egress dialer for this issuer: validated as it validates it, without effect here. */
  egressSelectorType?: string
}

export interface ClaimValidationRule {
  claim?: string
  requiredValue?: string
  expression?: string
  message?: string
}

export interface PrefixedClaimOrExpression {
  claim?: string
  /** `undefined` = absent; `""` = present and empty (they differ in validation). */
  prefix?: string
  expression?: string
}

export interface ClaimOrExpression {
  claim?: string
  expression?: string
}

export interface ExtraMapping {
  key?: string
  valueExpression?: string
}

export interface ClaimMappings {
  username?: PrefixedClaimOrExpression
  groups?: PrefixedClaimOrExpression
  uid?: ClaimOrExpression
  extra?: ExtraMapping[]
}

export interface UserValidationRule {
  expression?: string
  message?: string
}
