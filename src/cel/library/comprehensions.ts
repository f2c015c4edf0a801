/**
 * cel-go two-variable comprehensions (ext/comprehensions.go, kube 1.33+):
 * `all(k, v, p)`, `exists(k, v, p)`, `existsOne(k, v, p)` (also `exists_one`),
 * `transformList(k, v, [filter,] e)`, `transformMap(k, v, [filter,] e)`,
 * `transformMapEntry(k, v, [filter,] e)`. Over a list the first variable is the index
 * (int) and the second the element; over a map, the key and the value.
 *
 * cel-js has single-variable comprehensions only, so these are macros with their own
 * type check and loop; each pass is charged to the cost budget like a comprehension step.
 */
import type { Environment } from '@marcbachmann/cel-js'
import type { CelNode } from '../ast.js'
import { visitSyntax } from '../ast.js'
import { celTypeName } from '../type-name.js'
import { chargeLoopStep } from '../evaluate.js'
import { goTypeNameOf } from '../go-type-names.js'

/** The parts of cel-js's type checker, evaluator and contexts these macros use. */
export interface MacroType {
  readonly name: string
  readonly kind: string
  readonly keyType?: MacroType
  readonly valueType?: MacroType
}
export interface MacroContext {
  forkWithVariable(name: string, type: MacroType): MacroContext
  reuse(parent: MacroContext): MacroContext
  setIterValue(value: unknown, ev: MacroEvaluator): MacroContext
}
export interface MacroChecker {
  check(node: CelNode, ctx: MacroContext): MacroType
  createError(code: string, message: string, node: CelNode): Error
  formatType(type: MacroType): string
  readonly dynType: MacroType
  readonly boolType: MacroType
  readonly registry: {
    getType(name: string): MacroType
    getListType(t: MacroType): MacroType
    getMapType(k: MacroType, v: MacroType): MacroType
  }
}
export interface MacroEvaluator {
  run(node: CelNode, ctx: MacroContext): unknown
}
interface MacroOptions {
  readonly ast: CelNode
  readonly args: CelNode[]
  readonly receiver: CelNode | null
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry'

interface TwoVarMacro {
  readonly kind: Kind
  readonly receiver: CelNode
  readonly first: string
  readonly second: string
  readonly filter: CelNode | undefined
  readonly body: CelNode
  readonly units: number
  readonly async: false
  firstCtx?: MacroContext
  secondCtx?: MacroContext
  typeCheck(chk: MacroChecker, macro: TwoVarMacro, ctx: MacroContext): MacroType
  evaluate(ev: MacroEvaluator, macro: TwoVarMacro, ctx: MacroContext): unknown
}

/** Syntactic node count of the loop body: the cost of one pass. */
export function nodeCount(...nodes: Array<CelNode | undefined>): number {
  let count = 0
  for (const node of nodes) if (node !== undefined) visitSyntax(node, () => count++)
  return count
}

/** A macro argument error, shown as cel-go words it (`argument must be a simple name`). */
export class MacroArgumentError extends Error {
  override readonly name = ''
  readonly range: { readonly start: number }
  constructor(message: string, at: CelNode) {
    super(message)
    this.range = { start: at.start }
  }
}

/** The name of an iteration-variable argument, which must be a plain identifier. */
export function identifier(node: CelNode | undefined, at: CelNode): string {
  if (node?.op === 'id' && typeof node.args === 'string') return node.args
  throw new MacroArgumentError('argument must be a simple name', at)
}

/** Key and value types of a comprehension range: list(T) -> (int, T), map(K, V) -> (K, V). */
export function rangeTypes(
  chk: MacroChecker,
  node: CelNode,
  type: MacroType,
): [MacroType, MacroType] {
  if (type.kind === 'dyn') return [chk.dynType, chk.dynType]
  if (type.kind === 'list') return [chk.registry.getType('int'), type.valueType ?? chk.dynType]
  if (type.kind === 'map') return [type.keyType ?? chk.dynType, type.valueType ?? chk.dynType]
  throw chk.createError(
    'invalid_comprehension_range',
    `expression of type '${celTypeName(chk.formatType(type))}' cannot be range of a comprehension (must be list, map, or dynamic)`,
    node,
  )
}

/** The (key, value) pairs of a CEL list or map value, in iteration order. */
export function rangeEntries(value: unknown): Array<[unknown, unknown]> {
  if (Array.isArray(value)) return value.map((v, i): [unknown, unknown] => [BigInt(i), v])
  if (value instanceof Set) return [...value].map((v, i): [unknown, unknown] => [BigInt(i), v])
  if (value instanceof Map) {
    const map = value as Map<unknown, unknown>
    // A key without a value only comes from iterating top-level `claims`, whose keys are
    // its values (see activation.ts); cel-go's map folder then looks each one up.
    return [...map.keys()].map((k): [unknown, unknown] => {
      const v = map.get(k)
      if (v !== undefined) return [k, v]
      throw new Error(typeof k === 'string' ? `no such key: ${k}` : 'no such overload')
    })
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value)
  // interpreter/interpretable.go evalFold, two-variable form.
  throw new Error(`unsupported comprehension range type: ${goTypeNameOf(value)}`)
}

function requireBool(chk: MacroChecker, node: CelNode, ctx: MacroContext, what: string): void {
  const t = chk.check(node, ctx)
  if (t.kind !== 'dyn' && t.name !== 'bool') {
    throw chk.createError(
      'invalid_macro_argument',
      `${what} must return bool, got '${celTypeName(chk.formatType(t))}'`,
      node,
    )
  }
}

function typeCheck(chk: MacroChecker, m: TwoVarMacro, ctx: MacroContext): MacroType {
  const [keyType, valueType] = rangeTypes(chk, m.receiver, chk.check(m.receiver, ctx))
  m.firstCtx = ctx.forkWithVariable(m.first, keyType)
  m.secondCtx = m.firstCtx.forkWithVariable(m.second, valueType)
  if (m.filter !== undefined) requireBool(chk, m.filter, m.secondCtx, `${m.kind} filter`)
  switch (m.kind) {
    case 'all':
    case 'exists':
    case 'existsOne':
      requireBool(chk, m.body, m.secondCtx, `${m.kind} predicate`)
      return chk.boolType
    case 'transformList':
      return chk.registry.getListType(chk.check(m.body, m.secondCtx))
    case 'transformMap':
      return chk.registry.getMapType(keyType, chk.check(m.body, m.secondCtx))
    case 'transformMapEntry': {
      const t = chk.check(m.body, m.secondCtx)
      if (t.kind === 'map' || t.kind === 'dyn')
        return t.kind === 'map' ? t : chk.registry.getMapType(chk.dynType, chk.dynType)
      throw chk.createError(
        'invalid_macro_argument',
        `transformMapEntry expression must return a map, got '${celTypeName(chk.formatType(t))}'`,
        m.body,
      )
    }
  }
}

function mapKey(key: unknown): unknown {
  return typeof key === 'number' && Number.isInteger(key) ? BigInt(key) : key
}

function evaluate(ev: MacroEvaluator, m: TwoVarMacro, ctx: MacroContext): unknown {
  const firstCtx = m.firstCtx
  const secondCtx = m.secondCtx
  if (firstCtx === undefined || secondCtx === undefined)
    throw new Error('cel: macro evaluated before type check')
  const entries = rangeEntries(ev.run(m.receiver, ctx))
  const outer = firstCtx.reuse(ctx)
  const inner = secondCtx.reuse(outer)
  const bind = (k: unknown, v: unknown): MacroContext => {
    outer.setIterValue(k, ev)
    return inner.setIterValue(v, ev)
  }
  const run = (node: CelNode, c: MacroContext): unknown => ev.run(node, c)
  switch (m.kind) {
    case 'all':
    case 'exists': {
      // CEL's commutative logic: a decisive result wins over an error in another pass.
      const decisive = m.kind === 'exists'
      let error: unknown
      for (const [k, v] of entries) {
        chargeLoopStep(m.units)
        try {
          const r = run(m.body, bind(k, v))
          if (r === decisive) return decisive
          if (typeof r !== 'boolean') throw new Error('no such overload')
        } catch (err) {
          error ??= err
        }
      }
      if (error !== undefined) throw error
      return !decisive
    }
    case 'existsOne': {
      let count = 0
      for (const [k, v] of entries) {
        chargeLoopStep(m.units)
        const r = run(m.body, bind(k, v))
        if (typeof r !== 'boolean') throw new Error('no such overload')
        if (r) count++
      }
      return count === 1
    }
    default: {
      const list: unknown[] = []
      const map = new Map<unknown, unknown>()
      for (const [k, v] of entries) {
        chargeLoopStep(m.units)
        const c = bind(k, v)
        if (m.filter !== undefined) {
          const keep = run(m.filter, c)
          if (typeof keep !== 'boolean') throw new Error('no such overload')
          if (!keep) continue
        }
        const value = run(m.body, c)
        if (m.kind === 'transformList') list.push(value)
        else if (m.kind === 'transformMap') map.set(mapKey(k), value)
        else {
          for (const [ek, ev2] of rangeEntries(value)) {
            if (map.has(ek)) throw new Error(`insert failed: key ${String(ek)} already exists`)
            map.set(ek, ev2)
          }
        }
      }
      return m.kind === 'transformList' ? list : map
    }
  }
}

function expander(kind: Kind, withFilter: boolean) {
  return ({ ast, args, receiver }: MacroOptions): TwoVarMacro => {
    const first = identifier(args[0], args[0] ?? ast)
    const second = identifier(args[1], args[1] ?? ast)
    if (first === second) {
      throw new MacroArgumentError(`duplicate variable name: ${first}`, args[1] ?? ast)
    }
    const filter = withFilter ? args[2] : undefined
    const body = args[withFilter ? 3 : 2]
    if (receiver === null || body === undefined) throw new Error(`${kind}: missing arguments`)
    // Synchronous evaluation: every function in these environments is synchronous.
    return {
      kind,
      receiver,
      first,
      second,
      filter,
      body,
      units: nodeCount(filter, body),
      async: false,
      typeCheck,
      evaluate,
    }
  }
}

/** Registers the two-variable comprehension macros. */
export function registerComprehensions(env: Environment): void {
  const macro = (signature: string, kind: Kind, withFilter = false): void => {
    env.registerFunction(
      signature,
      expander(kind, withFilter) as unknown as (...a: unknown[]) => unknown,
    )
  }
  macro('list.all(ast, ast, ast): bool', 'all')
  macro('list.exists(ast, ast, ast): bool', 'exists')
  macro('list.existsOne(ast, ast, ast): bool', 'existsOne')
  macro('list.exists_one(ast, ast, ast): bool', 'existsOne')
  macro('list.transformList(ast, ast, ast): list<dyn>', 'transformList')
  macro('list.transformList(ast, ast, ast, ast): list<dyn>', 'transformList', true)
  macro('list.transformMap(ast, ast, ast): map<dyn, dyn>', 'transformMap')
  macro('list.transformMap(ast, ast, ast, ast): map<dyn, dyn>', 'transformMap', true)
  macro('list.transformMapEntry(ast, ast, ast): map<dyn, dyn>', 'transformMapEntry')
  macro('list.transformMapEntry(ast, ast, ast, ast): map<dyn, dyn>', 'transformMapEntry', true)
}
