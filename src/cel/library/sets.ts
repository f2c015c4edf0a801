/**
 * cel-go sets extension (ext/sets.go): `sets.contains(a, b)` (every element of b is in a),
 * `sets.equivalent(a, b)` (same elements, ignoring order and duplicates),
 * `sets.intersects(a, b)` (at least one element in common). Equality is CEL equality.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { chargeWork } from '../evaluate.js'
import { ValueIndex } from './value-index.js'

class SetsNamespace {}

/** cel-go's `trackSetsCost`: 1 + |a|·|b|·factor, charged before any work. */
function chargeSets(a: readonly unknown[], b: readonly unknown[], factor: number): void {
  chargeWork(1 + Math.floor(a.length * b.length * factor))
}

// Linear for hashable elements (ValueIndex); lists and maps are compared one by one, metered.
function contains(list: readonly unknown[], sublist: readonly unknown[]): boolean {
  if (sublist.length === 0) return true
  const index = new ValueIndex(list)
  return sublist.every((item) => index.has(item))
}

function intersects(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length === 0 || b.length === 0) return false
  const index = new ValueIndex(b)
  return a.some((item) => index.has(item))
}

/** Registers `sets.contains`, `sets.equivalent`, `sets.intersects`. */
export function registerSets(env: Environment): void {
  env
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction(
      'SetsNamespace.contains(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => {
        chargeSets(a, b, 1)
        return contains(a, b)
      },
    )
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => {
        chargeSets(a, b, 2)
        return contains(a, b) && contains(b, a)
      },
    )
    .registerFunction(
      'SetsNamespace.intersects(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => {
        chargeSets(a, b, 1)
        return intersects(a, b)
      },
    )
}
