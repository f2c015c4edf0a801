/**
 * Compiles one CEL expression of the config into a field error or a compiled
 * expression, as validation.go compileClaimsCELExpression/compileUserCELExpression
 * and authentication/cel/compile.go do: compile failures read
 * `compilation failed: <issues>`; validation rules must have static type bool.
 */
import { compileClaimsExpression, compileUserExpression } from '../cel/compile.js'
import type { ClaimsActivation, CompiledExpression, UserActivation } from '../cel/types.js'
import { invalid } from './field-error.js'
import type { FieldError } from './field-error.js'

export type ExpressionResult<A extends ClaimsActivation | UserActivation> =
  | { ok: true; compiled: CompiledExpression<A> }
  | { ok: false; error: FieldError }

/** `mustBeBool` for validation rules (ClaimValidationCondition); mapping expressions accept any type. */
export function compileClaimsField(expression: string, path: string, mustBeBool: boolean): ExpressionResult<ClaimsActivation> {
  return checked(compileClaimsExpression(expression), expression, path, mustBeBool)
}

/** userValidationRules expressions (UserValidationCondition) must evaluate to bool. */
export function compileUserField(expression: string, path: string): ExpressionResult<UserActivation> {
  return checked(compileUserExpression(expression), expression, path, true)
}

function checked<A extends ClaimsActivation | UserActivation>(
  result: { ok: true; compiled: CompiledExpression<A> } | { ok: false; message: string },
  expression: string,
  path: string,
  mustBeBool: boolean,
): ExpressionResult<A> {
  if (!result.ok) return { ok: false, error: invalid(path, expression, `compilation failed: ${result.message}`) }
  if (mustBeBool && result.compiled.staticType !== 'bool') {
    return { ok: false, error: invalid(path, expression, 'must evaluate to bool') }
  }
  return result
}
