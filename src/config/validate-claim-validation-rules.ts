/**
 * `jwt[i].claimValidationRules`: validation.go validateClaimValidationRules.
 * Compiled rules come out claim/requiredValue first, then expressions, each in
 * file order: the order oidc.go evaluates them in.
 */
import type { CompiledClaimValidationRule } from './compiled.js'
import { compileClaimsField } from './compile-expression.js'
import { duplicate, invalid, required } from './field-error.js'
import type { FieldError } from './field-error.js'
import type { ClaimValidationRule } from './types.js'
import type { EmailClaimState } from './email-claim-state.js'

export function validateClaimValidationRules(
  rules: readonly ClaimValidationRule[],
  path: string,
  state: EmailClaimState,
): { errors: FieldError[]; compiled: CompiledClaimValidationRule[] } {
  const errors: FieldError[] = []
  const claimRules: CompiledClaimValidationRule[] = []
  const expressionRules: CompiledClaimValidationRule[] = []
  const seenClaims = new Set<string>()
  const seenExpressions = new Set<string>()
  rules.forEach((rule, i) => {
    const rulePath = `${path}[${i}]`
    const claim = rule.claim ?? ''
    const expression = rule.expression ?? ''
    if (claim !== '' && expression !== '') {
      errors.push(invalid(rulePath, claim, "claim and expression can't both be set"))
    } else if (claim === '' && expression === '') {
      errors.push(required(rulePath, 'claim or expression is required'))
    } else if (claim !== '') {
      if (rule.message)
        errors.push(
          invalid(`${rulePath}.message`, rule.message, 'may not be specified when claim is set'),
        )
      if (seenClaims.has(claim)) errors.push(duplicate(`${rulePath}.claim`, claim))
      seenClaims.add(claim)
      claimRules.push({ kind: 'claim', claim, requiredValue: rule.requiredValue ?? '' })
    } else {
      if (rule.requiredValue) {
        errors.push(
          invalid(
            `${rulePath}.requiredValue`,
            rule.requiredValue,
            'may not be specified when expression is set',
          ),
        )
      }
      if (seenExpressions.has(expression)) {
        errors.push(duplicate(`${rulePath}.expression`, expression))
        return
      }
      seenExpressions.add(expression)
      const result = compileClaimsField(expression, `${rulePath}.expression`, true)
      if (!result.ok) {
        errors.push(result.error)
        return
      }
      if (result.compiled.usesClaimsEmailVerified) state.usesEmailVerifiedClaim = true
      expressionRules.push({
        kind: 'expression',
        expression: result.compiled,
        message: rule.message ?? '',
      })
    }
  })
  return { errors, compiled: [...claimRules, ...expressionRules] }
}
