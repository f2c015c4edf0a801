/**
 * What validation.go's validationState records for the email_verified rule: the
 * username expression selects `claims.email`, and some username, extra or
 * claim-validation expression (that compiled) selects `claims.email_verified`.
 */
export interface EmailClaimState {
  usesEmailClaim: boolean
  usesEmailVerifiedClaim: boolean
}

export const EMAIL_VERIFIED_DETAIL =
  'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression'
