/**
 * cel-go sets extension (ext/sets.go): `sets.contains(a, b)` (every element of b is in a),
 * `sets.equivalent(a, b)` (same elements, ignoring order and duplicates),
 * `sets.intersects(a, b)` (at least one element in common). Equality is CEL equality.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { celEquals } from '../values.js'

class SetsNamespace {}

function contains(list: readonly unknown[], sublist: readonly unknown[]): boolean {
  return sublist.every((item) => list.some((candidate) => celEquals(candidate, item)))
}

function intersects(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.some((item) => b.some((candidate) => celEquals(candidate, item)))
}

/** Registers `sets.contains`, `sets.equivalent`, `sets.intersects`. */
export function registerSets(env: Environment): void {
  env
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction(
      'SetsNamespace.contains(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => contains(a, b),
    )
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a),
    )
    .registerFunction(
      'SetsNamespace.intersects(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => intersects(a, b),
    )
}
