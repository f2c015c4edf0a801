/**
 * Runtime bounds and result conversion for compiled expressions.
 *
 * kube-apiserver evaluates each expression with a per-call cost limit of 1,000,000
 * (k8s.io/apiserver/pkg/authentication/cel `PerCallLimit`); cel-go's tracker adds
 * cost as nodes evaluate and cancels with "operation cancelled: actual cost limit
 * exceeded". cel-js has no such tracker, so compile.ts instruments the parsed tree:
 * every comprehension iteration is charged the static size of its loop step, and every
 * function or operator call is charged 1 plus a size-proportional amount (string
 * length / 10, list and map sizes), in the spirit of cel-go's cost model. The numbers
 * are not cel-go's exactly; the bound on work is the point.
 */
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator'
import type { CelNode, ComprehensionArgs, EvaluateFn } from './ast.js'
import { syntacticChildren, visitEvaluated } from './ast.js'
import { CelEvaluationError } from './types.js'
import { INTERNAL_PREFIX, publicNames } from './rename.js'
import { valueSize } from './values.js'
import { LIBRARY_CALL_COSTS } from './library/call-costs.js'
import { goMessageForCode, instrumentGoRuntime } from './runtime-errors.js'

/** kube-apiserver's per-call runtime cost limit. */
export const PER_CALL_COST_LIMIT = 1_000_000

export const COST_LIMIT_MESSAGE = 'operation cancelled: actual cost limit exceeded'

/**
 * CPU-time bound per evaluation (process CPU, so a busy machine does not make
 * legitimate expressions fail). cel-js runs a loop step several times slower
 * than cel-go, so cel-go's cost limit alone lets one hostile expression burn
 * 100 ms or more of CPU. The deadline caps that; it sits well above what a
 * legitimate expression needs even before the JIT has warmed up (a 10k-element
 * `map` takes ~5 ms warm, up to ~20 ms on its first runs). A deliberate
 * difference from kube-apiserver, which has only the cost limit.
 */
export const EVALUATION_TIME_LIMIT_MS = 25 // of process CPU time, not wall time
/**
 * The deadline is only enforced once an evaluation has spent this many cost units,
 * so ordinary expressions (a pass over 10k groups costs ~50k; a filter then a map,
 * ~100k) are judged by the deterministic cost limit alone, never by timing.
 */
export const TIME_LIMIT_AFTER_UNITS = 200_000
export const TIME_LIMIT_MESSAGE = 'operation cancelled: evaluation time limit exceeded'
const CHARGES_PER_CLOCK_CHECK = 64
/** In CPU microseconds: other processes' load on the machine does not count against an evaluation. */
let deadline = 0
function cpuMicros(): number {
  const { user, system } = process.cpuUsage()
  return user + system
}
let chargesUntilClockCheck = CHARGES_PER_CLOCK_CHECK
let timedOut = false

// Evaluation is synchronous and never re-entrant, so one module-level budget suffices.
let remaining = PER_CALL_COST_LIMIT
// Sticky: `all`/`exists` absorb errors from their steps (CEL's commutative error
// semantics), so once the limit is hit every later charge fails again and loops stop.
let exceeded = false

class CostLimitExceeded extends Error {}

// Thrown repeatedly after the limit; preallocated so absorbed rethrows stay cheap.
const COST_LIMIT_ERROR = new CostLimitExceeded(COST_LIMIT_MESSAGE)

function checkClock(): void {
  if (PER_CALL_COST_LIMIT - remaining > TIME_LIMIT_AFTER_UNITS && cpuMicros() > deadline) {
    timedOut = true
    remaining = -1
  }
}

function stopIfOverBudget(): void {
  if (remaining < 0) {
    exceeded = true
    throw COST_LIMIT_ERROR
  }
}

function charge(units: number): void {
  remaining -= units
  if (--chargesUntilClockCheck <= 0) {
    chargesUntilClockCheck = CHARGES_PER_CLOCK_CHECK
    checkClock()
  }
  stopIfOverBudget()
}

/**
 * Charges one pass of a loop body that a library macro runs itself (two-variable
 * comprehensions, `sortBy`), as instrumented comprehension steps are charged.
 */
export function chargeLoopStep(units: number): void {
  charge(units)
}

/**
 * Charges work a library function does beyond what its call was charged: cel-go's
 * tracker figure where it has one (`distinct`, `sort`, the sets functions), or
 * the size of what it builds.
 */
export function chargeWork(units: number): void {
  charge(Math.ceil(units))
}

function isContainer(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false
  if (Array.isArray(v) || v instanceof Map) return true
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * Walks `value` (lists, maps, their keys and values), one unit per element or
 * entry and ceil(length/10) per string, calling `spend` every few hundred units
 * so a caller can stop the walk. Returns the units not yet spent. The walk visits
 * a value once per reference to it, as comparing or copying it would.
 */
function walk(value: unknown, spend: (units: number) => void): number {
  let pending = 1
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'string') pending += Math.ceil(v.length / 10)
    else if (Array.isArray(v)) {
      pending += v.length
      for (const item of v as unknown[]) {
        if (typeof item === 'string' || isContainer(item)) stack.push(item)
      }
    } else if (v instanceof Map) {
      pending += v.size
      for (const [k, item] of v as Map<unknown, unknown>) stack.push(k, item)
    } else if (isContainer(v)) {
      const record = v as Record<string, unknown>
      for (const k in record) {
        pending++
        stack.push(k, record[k])
      }
    }
    if (pending >= 256) {
      spend(pending)
      pending = 0
    }
  }
  return pending
}

/** Charges the walk of a nested value (what traversing, comparing or copying it costs). */
export function chargeDeep(value: unknown): void {
  charge(walk(value, charge))
}

class WalkCapped extends Error {}
const WALK_CAPPED = new WalkCapped()

/** The walk size of `value`, or `cap` when it is at least that large (the walk stops there). */
function walkSizeUpTo(value: unknown, cap: number): number {
  let total = 0
  try {
    total += walk(value, (units) => {
      total += units
      if (total >= cap) throw WALK_CAPPED
    })
  } catch (err) {
    if (err === WALK_CAPPED) return cap
    throw err
  }
  return Math.min(total, cap)
}

/**
 * Charges comparing two containers: the walk of the smaller one, found by walking
 * both with a growing cap so the work stays proportional to the smaller side.
 */
function chargeComparison(left: unknown, right: unknown): void {
  for (let cap = 256; ; cap *= 4) {
    const a = walkSizeUpTo(left, cap)
    const b = walkSizeUpTo(right, cap)
    if (a < cap || b < cap) {
      charge(Math.min(a, b))
      return
    }
    charge(cap)
  }
}

function sizeCost(values: readonly unknown[], from = 0): number {
  let units = 0
  for (let i = from; i < values.length; i++) {
    const v = values[i]
    units += typeof v === 'string' ? v.length / 10 : valueSize(v)
  }
  return Math.ceil(units)
}

/** Nodes evaluated per pass through `step`, not counting nested loop steps (they charge themselves). */
function stepCost(step: CelNode, steps: ReadonlySet<CelNode>): number {
  let count = 0
  const stack = [step]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node !== step && steps.has(node)) continue
    count++
    const alternate = node.meta.alternate
    if (alternate !== undefined) stack.push(alternate)
    else stack.push(...syntacticChildren(node))
  }
  return count
}

// Calls whose cost does not grow with their arguments (cel-go charges them a constant).
const CONSTANT_COST_CALLS: ReadonlySet<string> = new Set([
  'size',
  'has',
  'dyn',
  'type',
  `${INTERNAL_PREFIX}int`,
  `${INTERNAL_PREFIX}uint`,
  `${INTERNAL_PREFIX}double`,
  `${INTERNAL_PREFIX}bool`,
])
// Calls whose work follows every string in a list argument, not the list's length.
const DEEP_CHARGED_CALLS: ReadonlySet<string> = new Set(['join', 'format'])
const SIZED_BINARY: ReadonlySet<string> = new Set(['+', '==', '!=', 'in', '<', '<=', '>', '>='])
// String and pattern first: `matches` is renamed (rename.ts), `find`/`findAll` are Kubernetes' own.
const REGEX_CALLS: ReadonlySet<string> = new Set([`${INTERNAL_PREFIX}matches`, 'find', 'findAll'])

/**
 * cel-go's runtime cost of `matches` (interpreter/runtimecost.go) and Kubernetes' of
 * `find`/`findAll` (apiserver/pkg/cel/library/cost.go): ceil((1 + |s|) * 0.1) *
 * ceil(|pattern| * 0.25). Charged before the match runs, so a huge claim against a
 * long pattern is refused before any work. Sizes are UTF-16 lengths (cel-go counts
 * code points), which can only overcharge.
 */
function regexCost(values: readonly unknown[]): number {
  const [s, pattern] = values
  const sLength = typeof s === 'string' ? s.length : 0
  const pLength = typeof pattern === 'string' ? pattern.length : 0
  return Math.ceil((1 + sLength) * 0.1) * Math.ceil(pLength * 0.25)
}

function dispatcher(node: CelNode): EvaluateFn {
  const { alternate, macro, evaluate } = node.meta
  if (alternate !== undefined) return (ev, _n, ctx) => alternate.evaluate(ev, alternate, ctx)
  if (macro !== undefined) return (ev, _n, ctx) => macro.evaluate(ev, macro, ctx)
  if (evaluate === undefined) throw new Error('cel: node without evaluator')
  return (ev, n, ctx) => evaluate.call(n, ev, n, ctx)
}

/**
 * Adds cost accounting to a parsed and type-checked tree. Must run after `check()`
 * (which fixes each node's handler) and before the first evaluation.
 */
export function instrumentCost(root: CelNode): void {
  // cel-go's runtime behaviour first, so cost is charged around it.
  instrumentGoRuntime(root)
  const steps = new Map<CelNode, ComprehensionArgs>()
  visitEvaluated(root, (node) => {
    if (node.op === 'comprehension') {
      const args = node.args as ComprehensionArgs
      steps.set(args.step, args)
    }
  })
  for (const [step, args] of steps) {
    const units = stepCost(step, new Set(steps.keys()))
    const inner = dispatcher(step)
    // For all/exists: the accumulator value that ends the loop at once (false for
    // all, true for exists), returned instead of throwing once the limit is hit.
    const condition = args.condition
    const stop = typeof condition === 'function' ? (!condition(false) ? false : true) : undefined
    step.evaluate = (ev, n, ctx) => {
      if (exceeded && stop !== undefined) return stop
      charge(units)
      return inner(ev, n, ctx)
    }
  }
  // map, filter and exists_one cannot stop early, so a loop whose steps alone would
  // exceed the remaining budget fails before it starts instead of after the work.
  visitEvaluated(root, (node) => {
    if (node.op !== 'comprehension' || typeof node.handle !== 'function') return
    const args = node.args as ComprehensionArgs
    if (typeof args.condition === 'function') return
    const units = stepCost(args.step, new Set(steps.keys()))
    const handle = node.handle
    node.handle = (items, ...rest) => {
      if (valueSize(items) * units > remaining) charge(remaining + 1)
      return handle(items, ...rest)
    }
  })
  visitEvaluated(root, (node) => {
    const handle = node.handle
    if (typeof handle !== 'function') return
    if (node.op === 'call' || node.op === 'rcall') {
      const name = (node.args as [string])[0]
      if (CONSTANT_COST_CALLS.has(name)) return
      // call: handle(args, node, ev); rcall: handle([receiver, ...args], ev, node)
      if (REGEX_CALLS.has(name)) {
        node.handle = (values, b, c) => {
          charge(1 + regexCost(values as unknown[]))
          const result = handle(values, b, c)
          // RE2 in JS runs several times slower than Go's, and one call over a large
          // claim is a lot of work at once: look at the clock after every match.
          checkClock()
          stopIfOverBudget()
          return result
        }
        return
      }
      if (DEEP_CHARGED_CALLS.has(name)) {
        node.handle = (values, b, c) => {
          charge(1)
          chargeDeep(values)
          return handle(values, b, c)
        }
        return
      }
      const figure = LIBRARY_CALL_COSTS.get(name)
      node.handle = (values, b, c) => {
        charge(figure?.(values as unknown[]) ?? 1 + sizeCost(values as unknown[]))
        return handle(values, b, c)
      }
    } else if (SIZED_BINARY.has(node.op)) {
      const op = node.op
      node.handle = (left, right, b, c) => {
        charge(1 + sizeCost([left, right]))
        // Nested values compare element by element, past what their top-level size shows.
        if (op === 'in') {
          if (isContainer(left) && Array.isArray(right)) chargeDeep(right)
        } else if (isContainer(left) && isContainer(right)) chargeComparison(left, right)
        return handle(left, right, b, c)
      }
    }
  })
}

/** Converts a CEL result to plain JS: Map and object maps to plain objects, uint to bigint. */
export function toPlain(value: unknown): unknown {
  return copyPlain(value)
}

function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(copyPlain)
  if (value instanceof UnsignedInt) return value.valueOf()
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), copyPlain(v)]))
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]))
  }
  return value
}

const MAX_MESSAGE = 300

/** Turns anything thrown during evaluation into a `CelEvaluationError` with the CEL text. */
export function toEvaluationError(err: unknown): CelEvaluationError {
  if (err instanceof CelEvaluationError) return err
  let message: string
  if (err instanceof CostLimitExceeded) message = timedOut ? TIME_LIMIT_MESSAGE : COST_LIMIT_MESSAGE
  else if (err instanceof RangeError && /call stack/i.test(err.message))
    message = 'expression too deeply nested'
  else {
    const summary = (err as { summary?: unknown } | null)?.summary
    message =
      typeof summary === 'string' ? summary : err instanceof Error ? err.message : String(err)
    message = goMessageForCode((err as { code?: unknown } | null)?.code, message) ?? message
    message = publicNames(message)
      .replace(/^No such key: /, 'no such key: ')
      .replace(/dyn<([\w.]+)>/g, '$1')
      // cel-js quotes the offending value here; it can be a claim.
      .replace(/invalid string value ".*"$/s, 'invalid string value')
  }
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}...`
  return new CelEvaluationError(message, { cause: err })
}

/** Runs `run` with a fresh cost budget, converting the result and any error. */
export function evaluateBounded(run: () => unknown): unknown {
  remaining = PER_CALL_COST_LIMIT
  exceeded = false
  timedOut = false
  chargesUntilClockCheck = CHARGES_PER_CLOCK_CHECK
  deadline = cpuMicros() + EVALUATION_TIME_LIMIT_MS * 1000
  let result: unknown
  try {
    result = run()
  } catch (err) {
    throw toEvaluationError(exceeded ? COST_LIMIT_ERROR : err)
  }
  // The limit may have been hit inside a loop whose error CEL semantics absorbed.
  if (exceeded) throw toEvaluationError(COST_LIMIT_ERROR)
  // Copying the result must fit in what is left of the budget (a result can
  // reference one value many times, so its copy can dwarf the work charged).
  if (isContainer(result) && walkSizeUpTo(result, remaining + 1) > remaining) {
    throw toEvaluationError(COST_LIMIT_ERROR)
  }
  return toPlain(result)
}

/** Cost units the last evaluation spent (for tests comparing with kube-apiserver's figures). */
export function lastEvaluationCost(): number {
  return PER_CALL_COST_LIMIT - remaining
}
