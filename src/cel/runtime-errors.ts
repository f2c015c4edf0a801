/**
 * Runtime behaviour and error texts of cel-go (v0.27, as vendored by Kubernetes 1.37)
 * installed on a checked cel-js tree: each operator, call, selection and
 * comprehension node's handler is wrapped so that a failure reads as cel-go's does,
 * and the few results cel-js computes differently (int64 bounds, timestamp and duration
 * arithmetic, a uint list index) come out as cel-go's.
 *
 * cel-go's wording depends on how it dispatched the call (interpreter/interpretable.go,
 * common/decls/decls.go): an operator whose left operand lacks the trait it needs
 * fails with `no such overload: _+_`; one whose operand has the trait but not the
 * right partner with a bare `no such overload`; a function chosen among typed
 * overloads with `no such overload: f(string, list)`.
 */
import { EvaluationError } from '@marcbachmann/cel-js'
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator'
import type { CelNode, ComprehensionArgs } from './ast.js'
import { visitEvaluated } from './ast.js'
import { celTypeNameOf, celTypeStringOf, goTypeNameOf, goValueText } from './go-type-names.js'
import { OPTIONAL_ELEMENT, OPTIONAL_ENTRY } from './optional-elements.js'
import { publicNames } from './rename.js'
import { celEquals } from './values.js'
import { isClaimsRoot } from './activation.js'
import { isDuration } from './library/time-values.js'
import { negateDuration, timeOperation } from './library/time-operators.js'

/** An error whose message is already cel-go's text. */
export class GoRuntimeError extends Error {}

const MAX_INT64 = (1n << 63n) - 1n
const MIN_INT64 = -(1n << 63n)
const INTEGER_OVERFLOW = 'integer overflow'

type Trait = (v: unknown) => boolean

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null

const isInt = (v: unknown): boolean => typeof v === 'bigint'
const isUint = (v: unknown): boolean => v instanceof UnsignedInt
const isDouble = (v: unknown): boolean => typeof v === 'number'
const isNumber = (v: unknown): boolean => isInt(v) || isUint(v) || isDouble(v)
const isString = (v: unknown): boolean => typeof v === 'string'
const isBytes = (v: unknown): boolean => v instanceof Uint8Array
const isList = (v: unknown): boolean => Array.isArray(v) || v instanceof Set
const isTime = (v: unknown): boolean => v instanceof Date || isDuration(v)
const isMap = (v: unknown): boolean =>
  v instanceof Map ||
  (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)

// cel-go's trait masks per type (common/types/types.go).
const ADDER: Trait = (v) => isNumber(v) || isString(v) || isBytes(v) || isList(v) || isTime(v)
const SUBTRACTOR: Trait = (v) => isNumber(v) || isTime(v)
const MULTIPLIER: Trait = isNumber
const DIVIDER: Trait = isNumber
const MODDER: Trait = (v) => isInt(v) || isUint(v)
const COMPARER: Trait = (v) =>
  typeof v === 'boolean' || isNumber(v) || isString(v) || isBytes(v) || isTime(v)
const SIZER: Trait = (v) => isString(v) || isBytes(v) || isList(v) || isMap(v)

const OPERATOR_TRAITS: ReadonlyMap<string, Trait> = new Map([
  ['+', ADDER],
  ['-', SUBTRACTOR],
  ['*', MULTIPLIER],
  ['/', DIVIDER],
  ['%', MODDER],
  ['<', COMPARER],
  ['<=', COMPARER],
  ['>', COMPARER],
  ['>=', COMPARER],
])

const NO_SUCH_OVERLOAD = 'no such overload'

function libraryError(
  err: unknown,
  node: CelNode,
): (EvaluationError & { code: string }) | undefined {
  if (!(err instanceof EvaluationError)) return undefined
  const at = (err as { node?: unknown }).node
  return at === undefined || at === node ? (err as EvaluationError & { code: string }) : undefined
}

function checkedInt(v: unknown): unknown {
  if (typeof v === 'bigint' && (v > MAX_INT64 || v < MIN_INT64)) {
    throw new GoRuntimeError(INTEGER_OVERFLOW)
  }
  return v
}

/** cel-go's text for a failed binary operator, or `undefined` to keep the library's. */
function binaryMessage(op: string, left: unknown, code: string): string | undefined {
  if (code !== 'no_such_overload') return undefined
  if (op === 'in') return NO_SUCH_OVERLOAD
  const trait = OPERATOR_TRAITS.get(op)
  if (trait === undefined) return undefined
  return trait(left) ? NO_SUCH_OVERLOAD : `no such overload: _${op}_`
}

type BinaryHandle = (left: unknown, right: unknown, ast: unknown, ev: unknown) => unknown

function wrapBinary(node: CelNode, handle: BinaryHandle): BinaryHandle {
  const op = node.op
  return (left, right, ast, ev) => {
    if (isObject(left) && isObject(right)) {
      const time = timeOperation(op, left, right)
      if (time !== undefined) return time.value
    }
    if (op === '%' && left === MIN_INT64 && right === -1n)
      throw new GoRuntimeError(INTEGER_OVERFLOW)
    // stdlib inAggregate: the lazy claims map has no container trait.
    if (op === 'in' && isClaimsRoot(right)) throw new GoRuntimeError(NO_SUCH_OVERLOAD)
    let result: unknown
    try {
      result = handle(left, right, ast, ev)
    } catch (err) {
      const lib = libraryError(err, node)
      // Equality never fails in cel-go: values of different types are unequal.
      if (lib?.code === 'no_such_overload' && (op === '==' || op === '!=')) return op === '!='
      const message = lib && binaryMessage(op, left, lib.code)
      if (message !== undefined) throw new GoRuntimeError(message)
      throw err
    }
    return checkedInt(result)
  }
}

type UnaryHandle = (value: unknown, ast: unknown, ev: unknown) => unknown

function wrapUnary(node: CelNode, handle: UnaryHandle): UnaryHandle {
  const negate = node.op === '-_'
  return (value, ast, ev) => {
    if (negate && isDuration(value)) return negateDuration(value)
    let result: unknown
    try {
      result = handle(value, ast, ev)
    } catch (err) {
      const lib = libraryError(err, node)
      if (lib?.code !== 'no_such_overload') throw err
      // `-` needs cel-go's Negater trait (int, double, duration); bool has it but is refused.
      const negater =
        typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean'
      throw new GoRuntimeError(!negate || negater ? NO_SUCH_OVERLOAD : 'no such overload: -_')
    }
    return checkedInt(result)
  }
}

function indexText(key: unknown): string {
  return goValueText(key)
}

/** cel-go's `IndexOrError` (common/types/list.go) and the bounds check of attribute qualifiers. */
function listIndexFailure(list: unknown, key: unknown): string | undefined {
  const size = Array.isArray(list) ? list.length : (list as Set<unknown>).size
  let index: number
  if (typeof key === 'bigint') index = Number(key)
  else if (key instanceof UnsignedInt) index = Number(key.valueOf())
  else if (typeof key === 'number') {
    if (!Number.isInteger(key)) return `unsupported index value ${indexText(key)} in list`
    index = key
  } else return `unsupported index type '${celTypeNameOf(key)}' in list`
  return index < 0 || index >= size ? `index out of bounds: ${indexText(key)}` : undefined
}

function wrapAccess(node: CelNode, handle: BinaryHandle): BinaryHandle {
  const index = node.op === '[]'
  return (target, key, ast, ev) => {
    // cel-go indexes a list with a uint as with the same int.
    if (index && key instanceof UnsignedInt && isList(target) && key.valueOf() <= MAX_INT64) {
      return handle(target, key.valueOf(), ast, ev)
    }
    try {
      return handle(target, key, ast, ev)
    } catch (err) {
      const lib = libraryError(err, node)
      if (lib === undefined) throw err
      const failure = index && isList(target) ? listIndexFailure(target, key) : undefined
      if (failure !== undefined) throw new GoRuntimeError(failure)
      if (lib.code === 'no_such_key' || lib.code === 'index_out_of_bounds') {
        throw new GoRuntimeError(`no such key: ${indexText(key)}`)
      }
      throw err
    }
  }
}

/** The function name as written, the values it was called with (receiver first), and its argument nodes. */
interface Call {
  readonly name: string
  readonly values: readonly unknown[]
  readonly argumentNodes: readonly CelNode[]
}

/** cel-go's text for a call no overload accepted at run time. */
function noOverloadMessage(call: Call): string {
  const { name, values } = call
  const [first] = values
  switch (name) {
    case 'size':
      return SIZER(first) ? NO_SUCH_OVERLOAD : 'no such overload: size'
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      // Declared with type guards off: the implementation's own check answers.
      return NO_SUCH_OVERLOAD
    case 'matches': {
      // A literal pattern is compiled with the program into a call that only checks the string.
      const pattern = call.argumentNodes[call.argumentNodes.length - 1]
      if (pattern?.op === 'value') return NO_SUCH_OVERLOAD
      return isString(first) ? NO_SUCH_OVERLOAD : 'no such overload: matches'
    }
    case 'find':
    case 'findAll':
      // Kubernetes' Find(All)RegexOptimization: a literal pattern makes a call that
      // checks only the string, with cel-go's bare error.
      return call.argumentNodes[0]?.op === 'value' ? NO_SUCH_OVERLOAD : genericNoOverload(call)
    case 'sort':
      return 'no such overload: sort'
    case 'flatten': {
      const depth = values.length > 1 ? celTypeStringOf(values[1]) : ''
      return `no such overload: ${celTypeStringOf(first)}.flatten(${depth})`
    }
  }
  return genericNoOverload(call)
}

/** common/decls/decls.go `MaybeNoSuchOverload`: the function and the runtime type names. */
function genericNoOverload(call: Call): string {
  return `no such overload: ${call.name}(${call.values.map(celTypeNameOf).join(', ')})`
}

/**
 * ext/strings.go `join`: the runtime type guard looks at the first element only
 * (types.go `defaultIsAssignableRuntimeType`); a later non-string fails in the join.
 */
function joinMessage(call: Call): string {
  const [list] = call.values
  const items = Array.isArray(list) ? (list as unknown[]) : []
  if (items.length > 0 && !isString(items[0])) return noOverloadMessage(call)
  const bad = items.find((item) => !isString(item))
  return `join: invalid input: ${goValueText(bad)}`
}

function callMessage(call: Call, code: string, message: string): string | undefined {
  switch (code) {
    case 'no_matching_overload':
      return noOverloadMessage(call)
    case 'invalid_list_element_type':
      return call.name === 'join' ? joinMessage(call) : undefined
    case 'numeric_overflow':
      return /unsigned/i.test(message) ? 'unsigned integer overflow' : INTEGER_OVERFLOW
    case 'optional_value_missing':
      return 'optional.none() dereference'
  }
  return undefined
}

type CallHandle = (values: unknown[], b: unknown, c: unknown) => unknown

/**
 * Kubernetes' `list(A).indexOf(A)` binds A at run time from the list, so a `dyn`
 * argument of another type is searched for (and not found) rather than refused.
 */
function listSearch(name: string, values: readonly unknown[]): { value: bigint } | undefined {
  const [list, item] = values
  if (values.length !== 2 || !Array.isArray(list)) return undefined
  if (name === 'indexOf') return { value: BigInt(list.findIndex((v) => celEquals(v, item))) }
  if (name !== 'lastIndexOf') return undefined
  for (let i = list.length - 1; i >= 0; i--)
    if (celEquals(list[i], item)) return { value: BigInt(i) }
  return { value: -1n }
}

function wrapCall(
  node: CelNode,
  handle: CallHandle,
  name: string,
  argumentNodes: CelNode[],
): CallHandle {
  const publicName = publicNames(name)
  return (values, b, c) => {
    // The lazy claims map has no sizer trait: evalUnary's "no such overload: size".
    if (publicName === 'size' && values.length === 1 && isClaimsRoot(values[0]))
      throw new GoRuntimeError('no such overload: size')
    try {
      return handle(values, b, c)
    } catch (err) {
      const lib = libraryError(err, node)
      const search =
        lib?.code === 'no_matching_overload' ? listSearch(publicName, values) : undefined
      if (search !== undefined) return search.value
      const summary = lib?.summary
      const message =
        lib && callMessage({ name: publicName, values, argumentNodes }, lib.code, summary ?? '')
      if (message !== undefined) throw new GoRuntimeError(message)
      throw err
    }
  }
}

type ComprehensionHandle = (items: unknown, args: unknown, ev: unknown, ctx: unknown) => unknown

function wrapComprehension(node: CelNode, handle: ComprehensionHandle): ComprehensionHandle {
  const iterable = (node.args as ComprehensionArgs).iterable
  return (items, args, ev, ctx) => {
    try {
      return handle(items, args, ev, ctx)
    } catch (err) {
      const at = (err as { node?: unknown }).node
      const code = (err as { code?: unknown }).code
      if (
        err instanceof EvaluationError &&
        at === iterable &&
        code === 'invalid_comprehension_range'
      ) {
        // interpreter.go evalFold: ValOrErr(foldRange, "got '%T', expected iterable type")
        throw new GoRuntimeError(`got '${goTypeNameOf(items)}', expected iterable type`)
      }
      throw err
    }
  }
}

const BINARY: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  'in',
])

/** Installs cel-go's runtime behaviour and error texts on a checked tree (before cost instrumentation). */
export function instrumentGoRuntime(root: CelNode): void {
  visitEvaluated(root, (node) => {
    const handle = node.handle
    if (typeof handle !== 'function') return
    if (BINARY.has(node.op))
      node.handle = wrapBinary(node, handle as BinaryHandle) as CelNode['handle']
    else if (node.op === '!_' || node.op === '-_') {
      node.handle = wrapUnary(node, handle as UnaryHandle) as CelNode['handle']
    } else if (node.op === '.' || node.op === '[]') {
      node.handle = wrapAccess(node, handle as BinaryHandle) as CelNode['handle']
    } else if (node.op === 'call') {
      const [name, args] = node.args as [string, CelNode[]]
      // Optional literal elements report their own cel-go text (optional-elements.ts).
      if (name === OPTIONAL_ELEMENT || name === OPTIONAL_ENTRY) return
      node.handle = wrapCall(node, handle as CallHandle, name, args) as CelNode['handle']
    } else if (node.op === 'rcall') {
      const [name, , args] = node.args as [string, CelNode, CelNode[]]
      node.handle = wrapCall(node, handle as CallHandle, name, args) as CelNode['handle']
    } else if (node.op === 'comprehension') {
      node.handle = wrapComprehension(node, handle as ComprehensionHandle) as CelNode['handle']
    }
  })
}

/**
 * cel-go's text for a library error that reached the top without passing a wrapped
 * handler (logical operators and conditionals, which cel-go answers with a bare
 * `no such overload`), or `undefined`.
 */
export function goMessageForCode(code: unknown, message: string): string | undefined {
  switch (code) {
    case 'invalid_logical_operand':
    case 'invalid_condition_type':
      return NO_SUCH_OVERLOAD
    case 'division_by_zero':
      return 'division by zero'
    case 'modulo_by_zero':
      return 'modulus by zero'
    case 'numeric_overflow':
      return /unsigned/i.test(message) ? 'unsigned integer overflow' : INTEGER_OVERFLOW
    case 'optional_value_missing':
      return 'optional.none() dereference'
  }
  return undefined
}
