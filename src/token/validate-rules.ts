/**
 * Claim validation rules and user validation rules, as oidc.go runs them after
 * mapping: every `claim`/`requiredValue` rule first, then the CEL claim rules
 * (all evaluated, the first evaluation error wins, then results checked in list
 * order), then the user rules on the built user.
 */
import type { UserActivation } from '../cel/types.js'
import type { CompiledClaimValidationRule, CompiledUserValidationRule } from '../config/compiled.js'
import { goUnmarshalString } from '../go/json.js'
import { evaluateExpression, type ActivationSource, type Claims } from './map-claims.js'
import { reject } from './rejection.js'
import type { PipelineStep, RejectReason } from './types.js'

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

interface RuleLike {
  readonly expression: { readonly expression: string }
  readonly message: string
}

function checkResults(
  rules: readonly RuleLike[],
  values: readonly unknown[],
  prefix: string,
  reason: RejectReason,
  step: PipelineStep,
): void {
  rules.forEach((rule, i) => {
    const value = values[i]
    if (typeof value !== 'boolean')
      throw reject(reason, step, `${prefix}validation expression must return a boolean`)
    if (!value)
      throw reject(
        reason,
        step,
        `${prefix}validation expression '${rule.expression.expression}' failed: ${rule.message}`,
      )
  })
}

export function validateClaimRules(
  rules: readonly CompiledClaimValidationRule[],
  claims: Claims,
  activation: ActivationSource,
): void {
  const celRules: Array<Extract<CompiledClaimValidationRule, { kind: 'expression' }>> = []
  for (const rule of rules) {
    if (rule.kind === 'expression') {
      celRules.push(rule)
      continue
    }
    const { claim, requiredValue } = rule
    if (!hasOwn(claims, claim))
      throw reject(
        'claim_rule_failed',
        'claim-rules',
        `oidc: required claim ${claim} not present in ID token`,
      )
    const decoded = goUnmarshalString(claims[claim])
    if (!decoded.ok)
      throw reject(
        'claim_rule_failed',
        'claim-rules',
        `oidc: parse claim ${claim}: ${decoded.message}`,
      )
    if (decoded.value !== requiredValue) {
      throw reject(
        'claim_rule_failed',
        'claim-rules',
        `oidc: required claim ${claim} value does not match. Got = ${decoded.value}, want = ${requiredValue}`,
      )
    }
  }
  if (celRules.length === 0) return
  const prefix = 'oidc: error evaluating claim validation expression: '
  const values = celRules.map((rule) => {
    const result = evaluateExpression(rule.expression, activation)
    if (!result.ok) throw reject('claim_rule_failed', 'claim-rules', prefix + result.message)
    return result.value
  })
  checkResults(celRules, values, prefix, 'claim_rule_failed', 'claim-rules')
}

export function validateUserRules(
  rules: readonly CompiledUserValidationRule[],
  activation: () => UserActivation,
): void {
  if (rules.length === 0) return
  const prefix = 'oidc: error evaluating user info validation rule: '
  const act = activation()
  const values = rules.map((rule) => {
    const result = evaluateExpression(rule.expression, act)
    if (!result.ok) throw reject('user_rule_failed', 'user-rules', prefix + result.message)
    return result.value
  })
  checkResults(rules, values, prefix, 'user_rule_failed', 'user-rules')
}
