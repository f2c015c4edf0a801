/**
 * cel-go lists extension v3 `sortBy` (ext/lists.go, kube 1.34+):
 * `list.sortBy(e, keyExpr)` returns the list stably sorted by the key each element
 * yields. Keys must be mutually comparable (int, uint, double, bool, string, bytes,
 * timestamp, duration); mixing kinds fails at evaluation.
 */
import type { Environment } from '@marcbachmann/cel-js'
import type { CelNode } from '../ast.js'
import { celTypeName } from '../type-name.js'
import { chargeLoopStep } from '../evaluate.js'
import { compareValues } from '../values.js'
import type { MacroChecker, MacroContext, MacroEvaluator, MacroType } from './comprehensions.js'
import { identifier, nodeCount } from './comprehensions.js'

const COMPARABLE: ReadonlySet<string> = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'google.protobuf.Timestamp',
  'google.protobuf.Duration',
])

interface SortByMacro {
  readonly receiver: CelNode
  readonly variable: string
  readonly key: CelNode
  readonly units: number
  readonly async: false
  iterCtx?: MacroContext
  typeCheck(chk: MacroChecker, m: SortByMacro, ctx: MacroContext): MacroType
  evaluate(ev: MacroEvaluator, m: SortByMacro, ctx: MacroContext): unknown
}

function typeCheck(chk: MacroChecker, m: SortByMacro, ctx: MacroContext): MacroType {
  const listType = chk.check(m.receiver, ctx)
  if (listType.kind !== 'list' && listType.kind !== 'dyn') {
    throw chk.createError(
      'invalid_macro_argument',
      `found no matching overload for 'sortBy' applied to '${celTypeName(chk.formatType(listType))}.(dyn)'`,
      m.receiver,
    )
  }
  m.iterCtx = ctx.forkWithVariable(m.variable, listType.valueType ?? chk.dynType)
  const keyType = chk.check(m.key, m.iterCtx)
  if (keyType.kind !== 'dyn' && !COMPARABLE.has(keyType.name)) {
    throw chk.createError(
      'invalid_macro_argument',
      `sortBy key of type '${celTypeName(chk.formatType(keyType))}' is not comparable`,
      m.key,
    )
  }
  return listType.kind === 'list' ? listType : chk.registry.getListType(chk.dynType)
}

function compareKeys(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b)
  const av = typeof a === 'object' && a !== null ? a.valueOf() : a
  const bv = typeof b === 'object' && b !== null ? b.valueOf() : b
  if (
    typeof av !== typeof bv &&
    !(
      typeof av !== 'string' &&
      typeof bv !== 'string' &&
      typeof av !== 'boolean' &&
      typeof bv !== 'boolean'
    )
  ) {
    throw new Error('list elements must have the same type')
  }
  try {
    return compareValues(av, bv)
  } catch {
    throw new Error('list elements must have the same type')
  }
}

function evaluate(ev: MacroEvaluator, m: SortByMacro, ctx: MacroContext): unknown {
  const iterCtx = m.iterCtx
  if (iterCtx === undefined) throw new Error('cel: macro evaluated before type check')
  const list = ev.run(m.receiver, ctx)
  if (!Array.isArray(list)) throw new Error('no such overload: sortBy applied to a non-list')
  const c = iterCtx.reuse(ctx)
  const keyed = list.map((item: unknown, index) => {
    chargeLoopStep(m.units)
    return { item, index, key: ev.run(m.key, c.setIterValue(item, ev)) }
  })
  keyed.sort((x, y) => compareKeys(x.key, y.key) || x.index - y.index)
  return keyed.map((k) => k.item)
}

/** Registers `list.sortBy(e, keyExpr)`. */
export function registerSortBy(env: Environment): void {
  env.registerFunction('list.sortBy(ast, ast): list<dyn>', ((opts: {
    ast: CelNode
    args: CelNode[]
    receiver: CelNode | null
  }) => {
    const { ast, args, receiver } = opts
    const variable = identifier(args[0], args[0] ?? ast)
    const key = args[1]
    if (receiver === null || key === undefined) throw new Error('sortBy: missing arguments')
    const m: SortByMacro = {
      receiver,
      variable,
      key,
      units: nodeCount(key),
      async: false,
      typeCheck,
      evaluate,
    }
    return m
  }) as unknown as (...a: unknown[]) => unknown)
}
