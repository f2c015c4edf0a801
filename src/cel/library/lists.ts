/**
 * Kubernetes lists library (k8s.io/apiserver/pkg/cel/library/lists.go): `isSorted`,
 * `sum`, `min`, `max`, `indexOf`, `lastIndexOf`, `includes` (v1); and cel-go lists extension v3
 * (ext/lists.go): `distinct`, `flatten`, `lists.range`, `reverse`, `slice`, `sort`.
 * `sortBy` (a macro) is in sort-by.ts.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { celEquals, compareValues } from '../values.js'

class ListsNamespace {}

function compare(a: unknown, b: unknown): number {
  try {
    return compareValues(a, b)
  } catch {
    throw new Error('no such overload: list elements are not comparable')
  }
}

function isSorted(list: readonly unknown[]): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return false
  return true
}

function extreme(name: string, sign: number) {
  return (list: readonly unknown[]): unknown => {
    if (list.length === 0) throw new Error(`${name} called on empty list`)
    let best = list[0]
    for (let i = 1; i < list.length; i++) if (compare(list[i], best) * sign > 0) best = list[i]
    return best
  }
}

function indexOf(list: readonly unknown[], value: unknown): bigint {
  return BigInt(list.findIndex((item) => celEquals(item, value)))
}

function lastIndexOf(list: readonly unknown[], value: unknown): bigint {
  for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], value)) return BigInt(i)
  return -1n
}

function distinct(list: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  for (const item of list) if (!out.some((seen) => celEquals(seen, item))) out.push(item)
  return out
}

function flatten(list: readonly unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new Error('level must be non-negative')
  const out: unknown[] = []
  for (const item of list) {
    if (Array.isArray(item) && depth > 0n) out.push(...flatten(item, depth - 1n))
    else out.push(item)
  }
  return out
}

function slice(list: readonly unknown[], start: bigint, end: bigint): unknown[] {
  if (start < 0n || end < 0n)
    throw new Error(`cannot slice(${start}, ${end}), negative indexes not supported`)
  if (start > end)
    throw new Error(
      `cannot slice(${start}, ${end}), start index must be less than or equal to end index`,
    )
  if (end > BigInt(list.length))
    throw new Error(`cannot slice(${start}, ${end}), list is length ${list.length}`)
  return list.slice(Number(start), Number(end))
}

function range(n: bigint): bigint[] {
  if (n > 1_000_000n) throw new Error('lists.range: size too large')
  const out: bigint[] = []
  for (let i = 0n; i < n; i++) out.push(i)
  return out
}

/** Registers the Kubernetes lists library and cel-go lists v3 (without sortBy). */
export function registerLists(env: Environment): void {
  env
    .registerFunction('list<A>.isSorted(): bool', isSorted)
    .registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n))
    .registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0))
    .registerFunction('list<A>.min(): A', extreme('min', -1))
    .registerFunction('list<A>.max(): A', extreme('max', 1))
    .registerFunction('list<A>.indexOf(A): int', indexOf)
    .registerFunction('list<A>.lastIndexOf(A): int', lastIndexOf)
    // Kubernetes lists library v1 (1.37): list membership, or plain equality on a non-list.
    .registerFunction('dyn.includes(dyn): bool', (target: unknown, arg: unknown) =>
      Array.isArray(target) ? target.some((item) => celEquals(item, arg)) : celEquals(target, arg),
    )
    .registerFunction('list<A>.distinct(): list<A>', distinct)
    .registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n))
    .registerFunction('list.flatten(int): list', flatten)
    .registerFunction('list<A>.reverse(): list<A>', (l: unknown[]) => [...l].reverse())
    .registerFunction('list<A>.slice(int, int): list<A>', slice)
    .registerFunction('list<A>.sort(): list<A>', (l: unknown[]) => [...l].sort(compare))
    .registerType('ListsNamespace', ListsNamespace)
    .registerConstant('lists', 'ListsNamespace', new ListsNamespace())
    .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => range(n))
}
