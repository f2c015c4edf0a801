/**
 * Kubernetes lists library (k8s.io/apiserver/pkg/cel/library/lists.go): `isSorted`,
 * `sum`, `min`, `max`, `indexOf`, `lastIndexOf`, `includes` (v1); and cel-go lists extension v3
 * (ext/lists.go): `distinct`, `flatten`, `lists.range`, `reverse`, `slice`, `sort`.
 * `sortBy` (a macro) is in sort-by.ts.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { chargeDeep, chargeWork } from '../evaluate.js'
import { celTypeNameOf } from '../go-type-names.js'
import { INTERNAL_PREFIX } from '../rename.js'
import { compareTime, isDuration, isTimestamp } from './time-values.js'
import { compareValues } from '../values.js'
import { hashKey, meteredEquals } from './value-index.js'

class ListsNamespace {}

// cel-go's cost figures (common/cost.go, ext/lists.go trackers).
const CALL_COST = 1
const LIST_CREATE_BASE_COST = 10
const STRING_TRAVERSAL_FACTOR = 0.1

/**
 * cel-go's `trackListSelfCompare` for `distinct` and `sort`: a worst-case n²
 * comparisons at 2 units each (2.1 for strings), plus the new list.
 */
function chargeSelfCompare(list: readonly unknown[]): void {
  const n = list.length
  const factor = 2 + (typeof list[0] === 'string' ? STRING_TRAVERSAL_FACTOR : 0)
  chargeWork(Math.floor(n * n * factor) + CALL_COST + LIST_CREATE_BASE_COST)
}

/** cel-go's `trackListOutputSize`: the new list's size plus its creation. */
function chargeOutput(size: number): void {
  chargeWork(size + CALL_COST + LIST_CREATE_BASE_COST)
}

const COMPARABLE: ReadonlySet<string> = new Set([
  'bool',
  'int',
  'uint',
  'double',
  'string',
  'bytes',
  'google.protobuf.Timestamp',
  'google.protobuf.Duration',
])

function compare(a: unknown, b: unknown): number {
  if ((isTimestamp(a) && isTimestamp(b)) || (isDuration(a) && isDuration(b))) {
    return compareTime(a, b)
  }
  try {
    return compareValues(a, b)
  } catch {
    throw new Error('no such overload: list elements are not comparable')
  }
}

/**
 * ext/lists.go `sortListByAssociatedKeys`: the first element must be comparable and
 * every element of its type.
 */
function sortList(list: readonly unknown[]): unknown[] {
  if (list.length === 0) return []
  const kind = celTypeNameOf(list[0])
  if (!COMPARABLE.has(kind)) throw new Error('list elements must be comparable')
  if (list.some((item) => celTypeNameOf(item) !== kind)) {
    throw new Error('list elements must have the same type')
  }
  return [...list].sort(compare)
}

// Kubernetes charges isSorted, sum, min, max, indexOf, lastIndexOf and includes
// one traversal of the list (cost.go `traversalCost`), nested values included.
function isSorted(list: readonly unknown[]): boolean {
  chargeDeep(list)
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return false
  return true
}

function extreme(name: string, sign: number) {
  return (list: readonly unknown[]): unknown => {
    chargeDeep(list)
    if (list.length === 0) throw new Error(`${name} called on empty list`)
    let best = list[0]
    for (let i = 1; i < list.length; i++) if (compare(list[i], best) * sign > 0) best = list[i]
    return best
  }
}

function indexOf(list: readonly unknown[], value: unknown): bigint {
  chargeDeep(list)
  return BigInt(list.findIndex((item) => meteredEquals(item, value)))
}

function lastIndexOf(list: readonly unknown[], value: unknown): bigint {
  chargeDeep(list)
  for (let i = list.length - 1; i >= 0; i--) if (meteredEquals(list[i], value)) return BigInt(i)
  return -1n
}

function includes(target: unknown, arg: unknown): boolean {
  chargeDeep(target)
  return Array.isArray(target)
    ? target.some((item) => meteredEquals(item, arg))
    : meteredEquals(target, arg)
}

/**
 * First occurrences in order. Hashable values (strings, numbers, booleans, null)
 * are deduplicated through a set in linear time; lists and maps are compared
 * with each kept one, every element compared charged.
 */
function distinct(list: readonly unknown[]): unknown[] {
  chargeSelfCompare(list)
  const seen = new Set<string>()
  const keptOthers: unknown[] = []
  const out: unknown[] = []
  for (const item of list) {
    const key = hashKey(item)
    if (key !== undefined) {
      if (seen.has(key)) continue
      seen.add(key)
    } else {
      if (keptOthers.some((kept) => meteredEquals(kept, item))) continue
      keptOthers.push(item)
    }
    out.push(item)
  }
  return out
}

function flatten(list: readonly unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new Error('level must be non-negative')
  // cel-go's figure: the input size times the depth, plus the new list.
  chargeWork(list.length * Math.min(Number(depth), 64) + CALL_COST + LIST_CREATE_BASE_COST)
  return flattenInto([], list, depth)
}

function flattenInto(out: unknown[], list: readonly unknown[], depth: bigint): unknown[] {
  for (const item of list) {
    if (Array.isArray(item) && depth > 0n) {
      // What is copied out of nested lists is charged as it is copied.
      chargeWork(item.length)
      flattenInto(out, item, depth - 1n)
    } else out.push(item)
  }
  return out
}

function slice(list: readonly unknown[], start: bigint, end: bigint): unknown[] {
  chargeOutput(end > start && end <= BigInt(list.length) ? Number(end - start) : 0)
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
  // Charged before the list is built: a call is otherwise charged 1 whatever n is.
  chargeOutput(n > 0n ? Number(n) : 0)
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
    // Renamed with the strings extension's `indexOf` (rename.ts, strings.ts).
    .registerFunction(`list<A>.${INTERNAL_PREFIX}indexOf(A): int`, indexOf)
    .registerFunction(`list<A>.${INTERNAL_PREFIX}lastIndexOf(A): int`, lastIndexOf)
    // Kubernetes lists library v1 (1.37): list membership, or plain equality on a non-list.
    .registerFunction('dyn.includes(dyn): bool', includes)
    .registerFunction('list<A>.distinct(): list<A>', distinct)
    .registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n))
    .registerFunction('list.flatten(int): list', flatten)
    .registerFunction('list<A>.reverse(): list<A>', (l: unknown[]) => {
      chargeOutput(l.length)
      return [...l].reverse()
    })
    .registerFunction('list<A>.slice(int, int): list<A>', slice)
    .registerFunction('list<A>.sort(): list<A>', (l: unknown[]) => {
      chargeSelfCompare(l)
      return sortList(l)
    })
    .registerType('ListsNamespace', ListsNamespace)
    .registerConstant('lists', 'ListsNamespace', new ListsNamespace())
    .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => range(n))
}
