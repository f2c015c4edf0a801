/** `jwt[i].userValidationRules`: validation.go validateUserValidationRules. */
import type { CompiledUserValidationRule } from './compiled.js'
import { compileUserField } from './compile-expression.js'
import { duplicate, required } from './field-error.js'
import type { FieldError } from './field-error.js'
import type { UserValidationRule } from './types.js'

export function validateUserValidationRules(
  rules: readonly UserValidationRule[],
  path: string,
): { errors: FieldError[]; compiled: CompiledUserValidationRule[] } {
  const errors: FieldError[] = []
  const compiled: CompiledUserValidationRule[] = []
  const seen = new Set<string>()
  rules.forEach((rule, i) => {
    const expressionPath = `${path}[${i}].expression`
    const expression = rule.expression ?? ''
    if (expression === '') {
      errors.push(required(expressionPath))
      return
    }
    if (seen.has(expression)) {
      errors.push(duplicate(expressionPath, expression))
      return
    }
    seen.add(expression)
    const result = compileUserField(expression, expressionPath)
    if (result.ok) compiled.push({ expression: result.compiled, message: rule.message ?? '' })
    else errors.push(result.error)
  })
  return { errors, compiled }
}
