/**
 * What a mapping can yield, approximated from its source: every string it
 * produces (the username, or each group) starts with `prefix`; with `exact`
 * the string is exactly `prefix`; and none starts with any of `excludes`. An
 * expression the analysis does not understand yields the widest shape (any
 * string), so warnings built on shapes err towards warning.
 */
export interface StringShape {
  readonly prefix: string
  readonly exact: boolean
  readonly excludes: readonly string[]
}

export const ANY_STRING: StringShape = { prefix: '', exact: false, excludes: [] }

export function prefixed(prefix: string): StringShape {
  return { prefix, exact: false, excludes: [] }
}

export function exactly(value: string): StringShape {
  return { prefix: value, exact: true, excludes: [] }
}

function commonPrefix(a: string, b: string): string {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i)
}

/** A shape covering both (either branch of a conditional, elements of two lists). */
export function union(a: StringShape, b: StringShape): StringShape {
  if (a.exact && b.exact && a.prefix === b.prefix) return a
  const prefix = commonPrefix(a.prefix, b.prefix)
  // An exclusion holds for the union only when each side has it (or cannot reach it).
  const excludes = [...a.excludes, ...b.excludes].filter(
    (x, i, all) => all.indexOf(x) === i && !canStartWith(a, x) && !canStartWith(b, x),
  )
  return { prefix, exact: false, excludes }
}

/** `a + b` for strings. */
export function concat(a: StringShape, b: StringShape): StringShape {
  if (!a.exact) return { prefix: a.prefix, exact: false, excludes: a.excludes }
  return {
    prefix: a.prefix + b.prefix,
    exact: b.exact,
    excludes: b.excludes.map((x) => a.prefix + x),
  }
}

/** Whether some string of the shape starts with `start`. */
export function canStartWith(shape: StringShape, start: string): boolean {
  if (shape.exact) return shape.prefix.startsWith(start)
  if (!shape.prefix.startsWith(start) && !start.startsWith(shape.prefix)) return false
  return !shape.excludes.some((x) => start.startsWith(x))
}

/** Whether the two shapes can yield the same string. */
export function overlaps(a: StringShape, b: StringShape): boolean {
  if (a.exact && b.exact) return a.prefix === b.prefix
  if (a.exact)
    return a.prefix.startsWith(b.prefix) && !b.excludes.some((x) => a.prefix.startsWith(x))
  if (b.exact) return overlaps(b, a)
  const longer = a.prefix.length >= b.prefix.length ? a : b
  return canStartWith(a, longer.prefix) && canStartWith(b, longer.prefix)
}
