import { compileClaimsExpression, compileUserExpression } from '../../../src/cel/compile.js'
import { toClaimsActivation, toUserActivation } from '../../../src/cel/activation.js'
import type { CelUserInput } from '../../../src/cel/activation.js'
import type {
  CompiledExpression,
  ClaimsActivation,
  UserActivation,
} from '../../../src/cel/types.js'

export function claimsExpr(expression: string): CompiledExpression<ClaimsActivation> {
  const r = compileClaimsExpression(expression)
  if (!r.ok) throw new Error(`compile failed: ${r.message}`)
  return r.compiled
}

export function userExpr(expression: string): CompiledExpression<UserActivation> {
  const r = compileUserExpression(expression)
  if (!r.ok) throw new Error(`compile failed: ${r.message}`)
  return r.compiled
}

/** Evaluates against claims; returns the value, or `{ error }` with the CelEvaluationError text. */
export function evalClaims(expression: string, claims: Record<string, unknown>): unknown {
  try {
    return claimsExpr(expression).evaluate(toClaimsActivation(claims))
  } catch (err) {
    return { error: (err as Error).message, name: (err as Error).name }
  }
}

export function evalUser(expression: string, user: CelUserInput): unknown {
  try {
    return userExpr(expression).evaluate(toUserActivation(user))
  } catch (err) {
    return { error: (err as Error).message, name: (err as Error).name }
  }
}
