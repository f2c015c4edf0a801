/**
 * oidc.go `convertCELValueToStringList`: a groups/extra expression may yield a
 * string, a list of strings or null; `""`, `[]` and `null` mean "none"; empty
 * strings inside a list are dropped; anything else is an error.
 *
 * Quirk mirrored from the Go code: cel-go builds the result of `split()` and
 * `findAll()` directly from a Go `[]string`, which that function's type switch
 * does not accept, so an expression whose outermost operation is such a call
 * (e.g. bare `claims.roles.split(",")`) fails with the same error, while
 * `claims.roles.split(",").map(r, r)` works. Our CEL engine returns plain
 * arrays in both cases, so the expression text is inspected instead (once per
 * compiled expression).
 */
import type { CompiledExpression, ClaimsActivation } from '../cel/types.js'

export const STRING_LIST_ERROR = 'expression must return a string or a list of strings'

const nativeListCache = new WeakMap<object, boolean>()
const NATIVE_LIST_CALLS = new Set(['split', 'findAll'])

/** True when the expression's outermost operation is a call that cel-go answers with a native `[]string`. */
export function returnsNativeStringList(expression: CompiledExpression<ClaimsActivation>): boolean {
  let cached = nativeListCache.get(expression)
  if (cached === undefined) {
    cached = outermostCallIsNativeList(expression.expression)
    nativeListCache.set(expression, cached)
  }
  return cached
}

/** Exported for tests: the text analysis behind `returnsNativeStringList`. */
export function outermostCallIsNativeList(source: string): boolean {
  const text = source.trim()
  let depth = 0
  let lastOpen = -1 // index of the '(' that opens the last depth-0 group
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quote !== undefined) {
      if (ch === '\\') i++
      else if (ch === quote) quote = undefined
      continue
    }
    if (ch === '"' || ch === "'") {
      quote = ch
      continue
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      if (depth === 0 && ch === '(') lastOpen = i
      depth++
      continue
    }
    if (ch === ')' || ch === ']' || ch === '}') {
      depth--
      continue
    }
    if (depth === 0 && '?:+-*/%<>=!&|'.includes(ch)) {
      // A binary or conditional operator at the top: the result is built by it.
      if (!(ch === '-' && i === 0)) return false
    }
    if (depth === 0 && /\s/.test(ch) && text.startsWith('in ', i + 1)) return false
  }
  if (!text.endsWith(')') || lastOpen < 0) return false
  const before = text.slice(0, lastOpen)
  const match = /\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(before)
  return match !== null && NATIVE_LIST_CALLS.has(match[1] as string)
}

/** Converts a mapping result; `nativeList` applies the quirk above. Throws Error(STRING_LIST_ERROR). */
export function toStringList(value: unknown, nativeList: boolean): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value]
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) {
    if (nativeList) throw new Error(STRING_LIST_ERROR)
    const out: string[] = []
    for (const item of value) {
      if (typeof item !== 'string') throw new Error(STRING_LIST_ERROR)
      if (item !== '') out.push(item)
    }
    return out
  }
  throw new Error(STRING_LIST_ERROR)
}
