/**
 * A plain, read-only view of an expression's parse tree, for static analysis
 * outside the CEL module (the config warnings read which literal prefix a
 * mapping yields and which claims a rule compares). Parsing only: nothing is
 * type-checked, compiled or evaluated, and macros stay as the calls written.
 */
import type { CelNode } from './ast.js'
import { celEnvironment } from './environment.js'
import type { CelEnvironmentKind } from './types.js'

export type SyntaxNode =
  /** A literal: string, bool, null, number (double), bigint (int, uint), bytes. */
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'ident'; readonly name: string }
  /** `operand.field`, or `operand.?field` when `optional`. */
  | {
      readonly kind: 'select'
      readonly operand: SyntaxNode
      readonly field: string
      readonly optional: boolean
    }
  /** `operand[index]`, or `operand[?index]` when `optional`. */
  | {
      readonly kind: 'index'
      readonly operand: SyntaxNode
      readonly index: SyntaxNode
      readonly optional: boolean
    }
  /** `name(args)`, or `target.name(args)` (macros such as `map` and `all` included). */
  | {
      readonly kind: 'call'
      readonly name: string
      readonly target?: SyntaxNode
      readonly args: readonly SyntaxNode[]
    }
  /** Operators by their cel-js spelling: `+`, `==`, `!=`, `!_`, `&&`, `||`, `?:`, `in`, `<` ... */
  | { readonly kind: 'operator'; readonly op: string; readonly args: readonly SyntaxNode[] }
  | { readonly kind: 'list'; readonly elements: readonly SyntaxNode[] }
  | { readonly kind: 'other' }

/** The parse tree of `expression`, or `undefined` when it does not parse. */
export function parseSyntaxTree(
  expression: string,
  kind: CelEnvironmentKind,
): SyntaxNode | undefined {
  let root: CelNode
  try {
    root = celEnvironment(kind).parse(expression).ast as unknown as CelNode
  } catch {
    return undefined
  }
  return convert(root)
}

function convert(node: CelNode): SyntaxNode {
  const a = node.args
  switch (node.op) {
    case 'value':
      return { kind: 'literal', value: a }
    case 'id':
      return { kind: 'ident', name: String(a) }
    case '.':
    case '.?': {
      const [operand, field] = a as [CelNode, string]
      return { kind: 'select', operand: convert(operand), field, optional: node.op === '.?' }
    }
    case '[]':
    case '[?]': {
      const [operand, index] = a as [CelNode, CelNode]
      return {
        kind: 'index',
        operand: convert(operand),
        index: convert(index),
        optional: node.op === '[?]',
      }
    }
    case 'call': {
      const [name, args] = a as [string, CelNode[]]
      return { kind: 'call', name, args: (args ?? []).map(convert) }
    }
    case 'rcall': {
      const [name, target, args] = a as [string, CelNode, CelNode[]]
      return { kind: 'call', name, target: convert(target), args: (args ?? []).map(convert) }
    }
    case 'list':
      return { kind: 'list', elements: (a as CelNode[]).map(convert) }
    case 'map':
    case 'comprehension':
    case 'accuValue':
    case 'accuInc':
      return { kind: 'other' }
    default:
      if (Array.isArray(a) && a.every(isNode)) {
        return { kind: 'operator', op: node.op, args: (a as CelNode[]).map(convert) }
      }
      if (isNode(a)) return { kind: 'operator', op: node.op, args: [convert(a)] }
      return { kind: 'other' }
  }
}

function isNode(v: unknown): v is CelNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'meta' in v
}
