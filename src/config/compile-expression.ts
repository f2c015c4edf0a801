/**
 * Compiles one CEL expression of the config into a field error or a compiled
 * expression, as validation.go compileClaimsCELExpression/compileUserCELExpression
 * and authentication/cel/compile.go do: compile failures read
 * `compilation failed: <issues>`; validation rules must have static type bool; a
 * literal regex RE2 refuses for find/findAll is an internal error,
 * `program instantiation failed: <error>`.
 */
import { compileClaimsExpression, compileUserExpression } from '../cel/compile.js'
import type {
  ClaimsActivation,
  CompiledExpression,
  CompileResult,
  UserActivation,
} from '../cel/types.js'
import { FieldError, invalid } from './field-error.js'

export type ExpressionResult<A extends ClaimsActivation | UserActivation> =
  { ok: true; compiled: CompiledExpression<A> } | { ok: false; error: FieldError }

/** `mustBeBool` for validation rules (ClaimValidationCondition); mapping expressions accept any type. */
export function compileClaimsField(
  expression: string,
  path: string,
  mustBeBool: boolean,
): ExpressionResult<ClaimsActivation> {
  return checked(compileClaimsExpression(expression), expression, path, mustBeBool)
}

/** userValidationRules expressions (UserValidationCondition) must evaluate to bool. */
export function compileUserField(
  expression: string,
  path: string,
): ExpressionResult<UserActivation> {
  return checked(compileUserExpression(expression), expression, path, true)
}

function checked<A extends ClaimsActivation | UserActivation>(
  result: CompileResult<A>,
  expression: string,
  path: string,
  mustBeBool: boolean,
): ExpressionResult<A> {
  if (!result.ok && result.stage === 'program') {
    // authentication/cel/compile.go: the return type is checked before env.Program.
    if (mustBeBool && result.staticType !== 'bool') {
      return { ok: false, error: invalid(path, expression, 'must evaluate to bool') }
    }
    // validation.go convertCELErrorToValidationError: ErrorTypeInternal becomes field.InternalError.
    const detail = `program instantiation failed: ${result.message}`
    return { ok: false, error: new FieldError(path, 'Internal error', undefined, detail) }
  }
  if (!result.ok)
    return { ok: false, error: invalid(path, expression, `compilation failed: ${result.message}`) }
  if (mustBeBool && result.compiled.staticType !== 'bool') {
    return { ok: false, error: invalid(path, expression, 'must evaluate to bool') }
  }
  return result
}
