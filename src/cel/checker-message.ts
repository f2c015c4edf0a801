/**
 * Rewords the commonest cel-js type-check errors as cel-go's checker words them
 * (cel-go checker/errors.go), with cel-go's positions, so compile errors read as
 * kube-apiserver's do (authentication/cel compile_test.go):
 * `undeclared reference to 'user' (in container '')`, `undefined field 'unknown'` at the
 * `.`, `found no matching overload for '_+_' applied to '(map(string, any), int)'` at
 * the operator, `found no matching overload for 'isIP' applied to '(net.CIDR)'` at `(`.
 * Anything else keeps cel-js's text.
 */
import type { CelNode } from './ast.js'
import { celTypeName } from './type-name.js'
import { publicNames } from './rename.js'

export interface CheckerMessage {
  readonly text: string
  readonly at: number | undefined
}

interface CelJsError {
  readonly code?: unknown
  readonly node?: CelNode
  readonly summary?: unknown
}

const BINARY: Readonly<Record<string, string>> = {
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
}

/** A node's static type in cel-go's spelling; the `claims` variable is `map(string, any)` upstream. */
function typeText(node: CelNode | undefined): string {
  if (node === undefined) return 'dyn'
  if (node.op === 'id' && node.args === 'claims') return 'map(string, any)'
  return celTypeName(publicNames(node.checkedType?.name ?? 'dyn'))
}

function find(input: string, token: string, from: number, to = input.length): number | undefined {
  const at = input.indexOf(token, from)
  return at >= 0 && at < to ? at : undefined
}

/** cel-go's wording and offset for a cel-js checker error, or undefined to keep cel-js's. */
export function checkerMessage(err: unknown): CheckerMessage | undefined {
  const { code, node, summary } = (err ?? {}) as CelJsError
  if (node === undefined || typeof summary !== 'string') return undefined
  const input = node.input
  switch (code) {
    case 'unknown_variable':
      return {
        text: `undeclared reference to '${String(node.args)}' (in container '')`,
        at: node.start,
      }
    case 'no_such_key': {
      if (node.op !== '.') return undefined
      const [operand, field] = node.args as [CelNode, string]
      return { text: `undefined field '${field}'`, at: find(input, '.', operand.end, node.end) }
    }
    case 'no_such_overload': {
      if (node.op === '!_' || node.op === '-_') {
        const operand = node.args as CelNode
        return {
          text: `found no matching overload for '${node.op}' applied to '(${typeText(operand)})'`,
          at: node.start,
        }
      }
      const fn = BINARY[node.op]
      if (fn === undefined || !Array.isArray(node.args)) return undefined
      const [left, right] = node.args as [CelNode, CelNode]
      const op = node.op === 'in' ? 'in' : node.op
      return {
        text: `found no matching overload for '${fn}' applied to '(${typeText(left)}, ${typeText(right)})'`,
        at: find(input, op, left.end, right.start),
      }
    }
    case 'no_matching_overload': {
      if (node.op === 'call') {
        const [name, args] = node.args as [string, CelNode[]]
        return {
          text: `found no matching overload for '${publicNames(name)}' applied to '(${args.map(typeText).join(', ')})'`,
          at: find(input, '(', node.start, node.end),
        }
      }
      if (node.op === 'rcall') {
        const [name, receiver, args] = node.args as [string, CelNode, CelNode[]]
        return {
          text: `found no matching overload for '${publicNames(name)}' applied to '${typeText(receiver)}.(${args.map(typeText).join(', ')})'`,
          at: find(input, '(', receiver.end, node.end),
        }
      }
      return undefined
    }
  }
  return undefined
}
