/**
 * Runs one expression through the claims compiler and evaluator and reduces the result
 * to plain data a table can state: values as the evaluator returns them, with optionals,
 * quantities and semvers spelled out.
 */
import { Optional } from '@marcbachmann/cel-js'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { compileClaimsExpression } from '../../src/cel/compile.js'
import { lastEvaluationCost } from '../../src/cel/evaluate.js'
import { CelNamedFormat } from '../../src/cel/library/format.js'
import { CelQuantity } from '../../src/cel/library/quantity.js'
import { parseQuantity } from '../../src/cel/library/quantity-amount.js'
import { CelSemver } from '../../src/cel/library/semver.js'

export interface Outcome {
  value?: unknown
  error?: string
  compileError?: string
  cost?: number
}

/** A quantity stands for itself as `{ quantityEqualTo }` when it equals that parsed string. */
export function quantityEqualTo(q: CelQuantity, text: string): boolean {
  const expected = parseQuantity(text)
  return typeof expected !== 'string' && q.quantity.equals(expected)
}

function plain(v: unknown): unknown {
  if (v instanceof Optional)
    return v.hasValue() ? { optionalOf: plain(v.value()) } : 'optional.none'
  if (v instanceof CelSemver) {
    const { major, minor, patch, pre, build } = v.version
    const preText = pre.map((p) => ('num' in p ? String(p.num) : p.str)).join('.')
    return {
      semver: `${major}.${minor}.${patch}${preText ? `-${preText}` : ''}${build.length ? `+${build.join('.')}` : ''}`,
    }
  }
  if (v instanceof CelNamedFormat) return { format: v.format.name }
  if (Array.isArray(v)) return v.map(plain)
  return v
}

export function run(expr: string, claims: Record<string, unknown> = {}): Outcome {
  const compiled = compileClaimsExpression(expr)
  if (!compiled.ok) return { compileError: compiled.message }
  try {
    const value = compiled.compiled.evaluate(toClaimsActivation(claims))
    return { value: value instanceof CelQuantity ? value : plain(value) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** Runs and reports the cost units the evaluation spent. */
export function runWithCost(expr: string): Outcome {
  const outcome = run(expr)
  return { ...outcome, cost: lastEvaluationCost() }
}
