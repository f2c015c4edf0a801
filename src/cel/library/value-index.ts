/**
 * Membership over CEL values in linear time: strings, booleans, null and numbers
 * go into a hash set under a key that is equal exactly when CEL equality holds
 * (`1 == 1.0`); lists, maps and other values are compared one by one with an
 * equality that charges every element it visits to the cost budget.
 */
import { chargeWork } from '../evaluate.js'
import { celEquals } from '../values.js'

/** A key equal for two values exactly when they are CEL-equal; undefined when the value is not hashable. */
export function hashKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s${value}`
    case 'boolean':
      return value ? 't' : 'f'
    case 'number':
      return Number.isNaN(value) ? undefined : `n${value}` // NaN equals nothing; -0 prints as 0
    case 'bigint': {
      // Only integers a double holds exactly: beyond those int and double equality disagree.
      const asDouble = Number(value)
      return BigInt(asDouble) === value ? `n${asDouble}` : undefined
    }
    default:
      return value === null ? 'z' : undefined
  }
}

let pending = 0

function visit(units: number): void {
  pending += units
  if (pending >= 256) {
    const units = pending
    pending = 0
    chargeWork(units)
  }
}

function mapEntries(v: unknown): Array<[unknown, unknown]> | undefined {
  if (v instanceof Map) return [...(v as Map<unknown, unknown>).entries()]
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null ? Object.entries(v) : undefined
}

function equalsCounted(a: unknown, b: unknown): boolean {
  visit(1)
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equalsCounted(a[i], b[i])) return false
    return true
  }
  const ea = mapEntries(a)
  const eb = mapEntries(b)
  if (ea !== undefined && eb !== undefined) {
    visit(ea.length + eb.length)
    if (ea.length !== eb.length) return false
    const lookup = new Map(eb)
    for (const [k, v] of ea) if (!lookup.has(k) || !equalsCounted(v, lookup.get(k))) return false
    return true
  }
  // Scalars and mixed kinds: values.ts decides, in constant time.
  return celEquals(a, b)
}

/** CEL equality that charges each element and entry it compares. */
export function meteredEquals(a: unknown, b: unknown): boolean {
  try {
    return equalsCounted(a, b)
  } finally {
    const units = pending
    pending = 0
    chargeWork(units)
  }
}

/** The values of a list, indexed for membership tests. */
export class ValueIndex {
  private readonly keys = new Set<string>()
  private readonly others: unknown[] = []

  constructor(values: readonly unknown[]) {
    for (const value of values) {
      const key = hashKey(value)
      if (key === undefined) this.others.push(value)
      else this.keys.add(key)
    }
  }

  has(value: unknown): boolean {
    const key = hashKey(value)
    if (key !== undefined) return this.keys.has(key)
    return this.others.some((other) => meteredEquals(other, value))
  }
}
