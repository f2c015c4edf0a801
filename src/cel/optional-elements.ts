/**
 * Optional elements in list and map literals (cel-go's optional syntax, on in Kubernetes
 * since 1.28): `[?a, b]` holds `a`'s value only if the optional `a` has one, and
 * `{?"k": v}` holds the entry only if the optional `v` has a value. cel-js has optional
 * types but not this syntax, so the compiler
 *
 * 1. blanks each such `?` in the source (`markOptionalElements`), keeping every other
 *    offset, and remembers where it was;
 * 2. after parsing, wraps each marked element (or entry value) in the internal call
 *    `k8s_optionalElement(e)`, typed `optional(T) -> T` (or `dyn -> dyn`), and makes the
 *    literal drop the elements that call found empty (`expandOptionalElements`);
 * 3. words a type error as cel-go does (`optionalElementMessage`): an optional element must
 *    be `optional_type(T)` or `dyn`.
 */
import type { CelNode, EvaluateFn } from './ast.js'
import { visitSyntax } from './ast.js'
import { celTypeName } from './type-name.js'
import { INTERNAL_PREFIX, publicNames } from './rename.js'

/** The internal functions wrapped around each optional list element and map entry value. */
export const OPTIONAL_ELEMENT = `${INTERNAL_PREFIX}optionalElement`
export const OPTIONAL_ENTRY = `${INTERNAL_PREFIX}optionalEntry`

/** What `k8s_optionalElement` returns for an empty optional: the literal drops it. */
export const ABSENT: unique symbol = Symbol('absent optional element')

type Context = 'list' | 'map' | 'index' | 'paren' | 'struct'

const STRING_PREFIX = /^[rRbB]{1,2}$/

/** Where a `?` sits, with the source it came from blanked at those offsets. */
export interface MarkedSource {
  readonly source: string
  readonly markers: readonly number[]
}

/**
 * Finds the `?` that open an optional element (after `[` or `{` of a list or map literal,
 * or after one of its commas) and replaces each with a space. Strings, comments, optional
 * selection (`a.?b`), optional index (`a[?k]`) and the conditional operator are left alone.
 */
export function markOptionalElements(expression: string): MarkedSource {
  const markers: number[] = []
  const stack: Context[] = []
  let previous = '' // the previous significant token: punctuation, or 'value' / 'in'
  let i = 0
  const n = expression.length
  while (i < n) {
    const c = expression[i] as string
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === '/' && expression[i + 1] === '/') {
      while (i < n && expression[i] !== '\n') i++
      continue
    }
    if (c === '"' || c === "'") {
      i = skipString(expression, i, false)
      previous = 'value'
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      const start = i
      while (i < n && /[A-Za-z0-9_]/.test(expression[i] as string)) i++
      const word = expression.slice(start, i)
      const quote = expression[i]
      if ((quote === '"' || quote === "'") && STRING_PREFIX.test(word)) {
        i = skipString(expression, i, /r/i.test(word))
        previous = 'value'
      } else previous = word === 'in' ? 'in' : 'value'
      continue
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expression[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(expression[i] as string)) i++
      previous = 'value'
      continue
    }
    const opensAfterValue = previous === 'value' || /^[)\]}]$/.test(previous)
    if (c === '(') stack.push('paren')
    else if (c === '[') stack.push(opensAfterValue ? 'index' : 'list')
    else if (c === '{') stack.push(opensAfterValue ? 'struct' : 'map')
    else if (c === ')' || c === ']' || c === '}') stack.pop()
    else if (c === '?') {
      const context = stack[stack.length - 1]
      const opener = previous === '[' || previous === '{' || previous === ','
      if ((context === 'list' || context === 'map') && opener && startsOperand(expression, i + 1))
        markers.push(i)
    }
    previous = c
    i++
  }
  let source = expression
  for (const at of markers) source = `${source.slice(0, at)} ${source.slice(at + 1)}`
  return { source, markers }
}

/** Whether an expression (not a closing bracket, separator or the end) follows. */
function startsOperand(expression: string, from: number): boolean {
  const rest = expression.slice(from).trimStart()
  return rest !== '' && !/^[\]}),:?]/.test(rest)
}

/** The offset after a string literal starting at its opening quote. */
function skipString(expression: string, at: number, raw: boolean): number {
  const quote = expression[at] as string
  const triple = expression.startsWith(quote.repeat(3), at)
  const close = triple ? quote.repeat(3) : quote
  let i = at + close.length
  while (i < expression.length) {
    if (!raw && expression[i] === '\\') {
      i += 2
      continue
    }
    if (expression.startsWith(close, i)) return i + close.length
    if (!triple && expression[i] === '\n') return i
    i++
  }
  return i
}

interface MutableMeta {
  evaluate?: EvaluateFn
}

/** What cel-js's `ASTNode.clone` needs: an operation's name and its check and evaluate. */
interface NodeOperation {
  readonly name: string
  readonly check: unknown
  readonly evaluate: unknown
}

interface CloneableNode extends CelNode {
  clone(op: NodeOperation, args: unknown): CelNode
}

function markerBefore(markers: Set<number>, from: number, to: number): boolean {
  for (const m of markers) {
    if (m >= from && m < to) {
      markers.delete(m)
      return true
    }
  }
  return false
}

/**
 * Makes a literal drop its absent elements. A `dyn` element that is not an optional at
 * all fails the wrapper's overload; that becomes cel-go's error (without the value).
 */
function dropAbsent(node: CelNode, filter: (value: unknown) => unknown, what: string): void {
  const meta = node.meta as MutableMeta
  const evaluate = meta.evaluate
  if (evaluate === undefined) return
  meta.evaluate = (ev, n, ctx) => {
    try {
      return filter(evaluate.call(n, ev, n, ctx))
    } catch (err) {
      const message = err instanceof Error ? err.message : ''
      if (message.includes(`'${OPTIONAL_ELEMENT}(`) || message.includes(`'${OPTIONAL_ENTRY}(`))
        throw new Error(`cannot initialize optional ${what} from non-optional value`, {
          cause: err,
        })
      throw err
    }
  }
}

const withoutAbsentElements = (value: unknown): unknown =>
  Array.isArray(value) ? value.filter((v) => v !== ABSENT) : value

function withoutAbsentEntries(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  const entries = value as Record<string, unknown>
  for (const key of Object.keys(entries)) if (entries[key] === ABSENT) delete entries[key]
  return value
}

/**
 * Wraps every marked element of the parsed tree in `k8s_optionalElement(...)` and makes
 * its list or map drop the empty ones. `call` is any parsed call node, whose operation
 * the wrappers reuse. Runs once per expression, before type-checking.
 */
export function expandOptionalElements(
  root: CelNode,
  markers: readonly number[],
  call: CelNode,
): void {
  if (markers.length === 0) return
  const pending = new Set(markers)
  const meta = call.meta as unknown as { check: unknown; evaluate: unknown }
  const callOp: NodeOperation = { name: 'call', check: meta.check, evaluate: meta.evaluate }
  const wrap = (node: CelNode, name = OPTIONAL_ELEMENT): CelNode =>
    (node as CloneableNode).clone(callOp, [name, [node]])
  visitSyntax(root, (node) => {
    if (node.op === 'list') {
      const elements = node.args as CelNode[]
      let wrapped = false
      elements.forEach((element, i) => {
        const from = i === 0 ? node.start : (elements[i - 1] as CelNode).end
        if (!markerBefore(pending, from, element.start)) return
        elements[i] = wrap(element)
        wrapped = true
      })
      if (wrapped) dropAbsent(node, withoutAbsentElements, 'list element')
    } else if (node.op === 'map') {
      const entries = node.args as Array<[CelNode, CelNode]>
      let wrapped = false
      entries.forEach((entry, i) => {
        const from = i === 0 ? node.start : (entries[i - 1] as [CelNode, CelNode])[1].end
        if (!markerBefore(pending, from, entry[0].start)) return
        entry[1] = wrap(entry[1], OPTIONAL_ENTRY)
        wrapped = true
      })
      if (wrapped) dropAbsent(node, withoutAbsentEntries, 'entry')
    }
  })
  // A blanked `?` that opens no element would silently change the expression.
  const [unmatched] = pending
  if (unmatched !== undefined) throw new UnmatchedMarker(unmatched)
}

/** Reported like a parse error: `Syntax error: unexpected '?'` at the mark. */
class UnmatchedMarker extends Error {
  readonly summary = "unexpected '?'"
  readonly range: { readonly start: number }
  constructor(at: number) {
    super("unexpected '?'")
    this.range = { start: at }
  }
}

/**
 * cel-go's checker error for an optional element that is neither `optional_type(T)` nor
 * `dyn`: `expected type 'optional_type(int)' but found 'int'`, at the element.
 */
export function optionalElementMessage(err: unknown): { text: string; at: number } | undefined {
  const node = (err as { node?: CelNode } | null)?.node
  if (node?.op !== 'call') return undefined
  const [name, args] = node.args as [string, CelNode[]]
  const element = args[0]
  if ((name !== OPTIONAL_ELEMENT && name !== OPTIONAL_ENTRY) || element === undefined)
    return undefined
  const found = celTypeName(publicNames(element.checkedType?.name ?? 'dyn'))
  return {
    text: `expected type 'optional_type(${found})' but found '${found}'`,
    at: element.start,
  }
}
