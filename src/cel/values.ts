/**
 * Helpers over CEL runtime values as @marcbachmann/cel-js represents them: string,
 * boolean, null, number (double), bigint (int), arrays (lists), Map or plain object (maps).
 */

/** CEL equality with cel-go's cross-type numeric rule (`1 == 1.0`) and deep lists/maps. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) === b
  if (typeof a === 'number' && typeof b === 'bigint') return a === Number(b)
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => celEquals(item, b[i]))
  }
  const ea = mapEntries(a)
  const eb = mapEntries(b)
  if (ea === undefined || eb === undefined || ea.length !== eb.length) return false
  const lookup = new Map(eb)
  return ea.every(([k, v]) => lookup.has(k) && celEquals(v, lookup.get(k)))
}

function mapEntries(v: object): Array<[unknown, unknown]> | undefined {
  if (v instanceof Map) return [...(v as Map<unknown, unknown>).entries()]
  const proto: unknown = Object.getPrototypeOf(v)
  if (proto === Object.prototype || proto === null) return Object.entries(v)
  return undefined
}

/** True for a CEL list value. */
export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v)
}

/**
 * The size used by the cost model: string length, list length, map entry count; 0 otherwise.
 */
export function valueSize(v: unknown): number {
  if (typeof v === 'string') return v.length
  if (Array.isArray(v)) return v.length
  if (v instanceof Map) return v.size
  if (v instanceof Uint8Array) return v.length
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.keys(v).length
  }
  return 0
}

/** Orders two comparable CEL values (numbers across int/double, strings, booleans). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (
    (typeof a === 'bigint' || typeof a === 'number') &&
    (typeof b === 'bigint' || typeof b === 'number')
  ) {
    return a < b ? -1 : a > b ? 1 : 0
  }
  throw new TypeError('values are not comparable')
}
