/**
 * The parts of cel-go's optional library (cel/library.go, the latest version, which
 * `cel.OptionalTypes()` selects in kube-apiserver) that cel-js lacks:
 * `optional.ofNonZeroValue(v)`, the macros `o.optMap(x, e)` and `o.optFlatMap(x, e)`,
 * `list.first()`, `list.last()`, `optional.unwrap(list)` and `list.unwrapOpt()`.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { Optional } from '@marcbachmann/cel-js'
import type { CelNode } from '../ast.js'
import { celTypeName } from '../type-name.js'
import type { MacroChecker, MacroContext, MacroEvaluator, MacroType } from './comprehensions.js'
import { identifier } from './comprehensions.js'

/** Go's zero time (0001-01-01T00:00:00Z), cel-go's zero timestamp. */
const ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z')

/** cel-go `traits.Zeroer`: the values `ofNonZeroValue` turns into `optional.none()`. */
function isZeroValue(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true
  if (typeof v === 'number') return v === 0
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0
  if (v instanceof Map || v instanceof Set) return v.size === 0
  if (v instanceof Date) return v.getTime() === ZERO_TIME_MS
  if (typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v)
    if (proto === Object.prototype || proto === null) return Object.keys(v).length === 0
    const maybe = v as { seconds?: unknown; nanos?: unknown; valueOf(): unknown }
    if (typeof maybe.seconds === 'bigint' && typeof maybe.nanos === 'number')
      return maybe.seconds === 0n && maybe.nanos === 0 // a duration
    const primitive = maybe.valueOf()
    if (typeof primitive === 'bigint') return primitive === 0n // a uint
  }
  return false
}

function unwrapList(list: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const item of list) {
    if (!(item instanceof Optional)) throw new Error('no such overload')
    if (item.hasValue()) out.push(item.value())
  }
  return out
}

type Kind = 'optMap' | 'optFlatMap'

interface OptionalMacro {
  readonly kind: Kind
  readonly receiver: CelNode
  readonly variable: string
  readonly body: CelNode
  readonly async: false
  bodyCtx?: MacroContext
  typeCheck(chk: MacroChecker, macro: OptionalMacro, ctx: MacroContext): MacroType
  evaluate(ev: MacroEvaluator, macro: OptionalMacro, ctx: MacroContext): unknown
}

function typeCheck(chk: MacroChecker, m: OptionalMacro, ctx: MacroContext): MacroType {
  const receiverType = chk.check(m.receiver, ctx)
  let elementType: MacroType
  if (receiverType.kind === 'dyn') elementType = chk.dynType
  else if (receiverType.kind === 'optional' && receiverType.valueType !== undefined)
    elementType = receiverType.valueType
  else
    throw chk.createError(
      'no_matching_overload',
      `found no matching overload for '${m.kind}' applied to '${celTypeName(chk.formatType(receiverType))}'`,
      m.receiver,
    )
  m.bodyCtx = ctx.forkWithVariable(m.variable, elementType)
  const bodyType = chk.check(m.body, m.bodyCtx)
  if (m.kind === 'optMap') return chk.registry.getType(`optional<${chk.formatType(bodyType)}>`)
  if (bodyType.kind === 'optional' || bodyType.kind === 'dyn') return bodyType
  throw chk.createError(
    'invalid_macro_argument',
    `optFlatMap expression must return an optional, got '${celTypeName(chk.formatType(bodyType))}'`,
    m.body,
  )
}

function evaluate(ev: MacroEvaluator, m: OptionalMacro, ctx: MacroContext): unknown {
  const bodyCtx = m.bodyCtx
  if (bodyCtx === undefined) throw new Error('cel: macro evaluated before type check')
  const receiver = ev.run(m.receiver, ctx)
  if (!(receiver instanceof Optional)) throw new Error('no such overload')
  if (!receiver.hasValue()) return Optional.none()
  const result = ev.run(m.body, bodyCtx.reuse(ctx).setIterValue(receiver.value(), ev))
  if (m.kind === 'optMap') return Optional.of(result)
  if (!(result instanceof Optional)) throw new Error('no such overload')
  return result
}

function expander(kind: Kind) {
  return ({
    ast,
    args,
    receiver,
  }: {
    ast: CelNode
    args: CelNode[]
    receiver: CelNode | null
  }): OptionalMacro => {
    const variable = identifier(args[0], args[0] ?? ast)
    const body = args[1]
    if (receiver === null || body === undefined) throw new Error(`${kind}: missing arguments`)
    return { kind, receiver, variable, body, async: false, typeCheck, evaluate }
  }
}

/** Registers the optional-library functions and macros cel-js lacks. */
export function registerOptionalExtras(env: Environment): void {
  for (const kind of ['optMap', 'optFlatMap'] as const)
    env.registerFunction(
      `optional.${kind}(ast, ast): optional<dyn>`,
      expander(kind) as unknown as (...a: unknown[]) => unknown,
    )
  env
    .registerFunction(
      'OptionalNamespace.ofNonZeroValue(A): optional<A>',
      (_: unknown, v: unknown) => (isZeroValue(v) ? Optional.none() : Optional.of(v)),
    )
    .registerFunction('list<A>.first(): optional<A>', (l: unknown[]) =>
      l.length === 0 ? Optional.none() : Optional.of(l[0]),
    )
    .registerFunction('list<A>.last(): optional<A>', (l: unknown[]) =>
      l.length === 0 ? Optional.none() : Optional.of(l[l.length - 1]),
    )
    .registerFunction(
      'OptionalNamespace.unwrap(list<optional<A>>): list<A>',
      (_: unknown, l: unknown[]) => unwrapList(l),
    )
    .registerFunction('list<optional<A>>.unwrapOpt(): list<A>', unwrapList)
}
