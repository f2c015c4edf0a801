/**
 * The shape of what a claim-mapping expression yields: for a string result the
 * string, for a list result each element. Understood: string literals, `+`,
 * conditionals, list literals, `dyn(x)`, `map` (its transform), `filter` (its input, less
 * what a `!x.startsWith('...')` predicate drops), `orValue` and `format` on a
 * literal. Anything else may be any string.
 */
import { parseSyntaxTree, type SyntaxNode } from '../cel/syntax-tree.js'
import { ANY_STRING, concat, exactly, prefixed, union, type StringShape } from './string-shape.js'

/** No strings at all (an empty list): the identity of `union`. */
const NOTHING = undefined

type Shape = StringShape | typeof NOTHING

function either(a: Shape, b: Shape): Shape {
  if (a === NOTHING) return b
  if (b === NOTHING) return a
  return union(a, b)
}

/**
 * A verified email address cannot start with `system:` (':' is not allowed
 * unquoted in an address), which is why kube-apiserver's --oidc-username-claim
 * adds no prefix for `email` by default.
 */
export const EMAIL_SHAPE: StringShape = { prefix: '', exact: false, excludes: ['system:'] }

export function expressionShape(expression: string): StringShape {
  const root = parseSyntaxTree(expression, 'claims')
  if (root === undefined) return ANY_STRING
  return shapeOf(root, new Map()) ?? ANY_STRING
}

/** `vars`: comprehension variables bound to the shape of their list's elements. */
function shapeOf(node: SyntaxNode, vars: ReadonlyMap<string, Shape>): Shape {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? exactly(node.value) : ANY_STRING
    case 'ident':
      return vars.has(node.name) ? vars.get(node.name) : ANY_STRING
    case 'select':
      return isClaimsRoot(node.operand) && node.field === 'email' ? EMAIL_SHAPE : ANY_STRING
    case 'list':
      return node.elements.reduce<Shape>((acc, e) => either(acc, shapeOf(e, vars)), NOTHING)
    case 'operator':
      return operatorShape(node.op, node.args, vars)
    case 'call':
      return callShape(node, vars)
    default:
      return ANY_STRING
  }
}

function operatorShape(
  op: string,
  args: readonly SyntaxNode[],
  vars: ReadonlyMap<string, Shape>,
): Shape {
  if (op === '?:' && args.length === 3) {
    return either(shapeOf(args[1] as SyntaxNode, vars), shapeOf(args[2] as SyntaxNode, vars))
  }
  if (op === '+' && args.length === 2) {
    const [left, right] = args as [SyntaxNode, SyntaxNode]
    const a = shapeOf(left, vars)
    const b = shapeOf(right, vars)
    // A string literal on the left makes this a string concatenation; otherwise
    // it may be lists joined, whose elements come from either side.
    if (isStringExpression(left) && a !== NOTHING) {
      return concat(a, b ?? ANY_STRING)
    }
    if (left.kind === 'list' || right.kind === 'list') return either(a, b)
    // Either a string concatenation (prefix of the left side, exclusions lost:
    // a short left side can be completed into anything) or lists joined.
    const joined = either(a, b)
    return joined === NOTHING ? NOTHING : prefixed(joined.prefix)
  }
  return ANY_STRING
}

function callShape(
  node: Extract<SyntaxNode, { kind: 'call' }>,
  vars: ReadonlyMap<string, Shape>,
): Shape {
  const { name, target, args } = node
  // `dyn(x)` only changes x's static type (claims values are `any`, which no
  // comprehension accepts).
  if (target === undefined && name === 'dyn' && args.length === 1) {
    return shapeOf(args[0] as SyntaxNode, vars)
  }
  if (target === undefined) return ANY_STRING
  if (name === 'map' && (args.length === 2 || args.length === 3)) {
    const variable = args[0]
    const transform = args[args.length - 1] as SyntaxNode
    if (variable?.kind !== 'ident') return ANY_STRING
    const inner = new Map(vars).set(variable.name, shapeOf(target, vars) ?? ANY_STRING)
    return shapeOf(transform, inner)
  }
  if (name === 'filter' && args.length === 2) {
    const [variable, predicate] = args as [SyntaxNode, SyntaxNode]
    const input = shapeOf(target, vars)
    if (input === NOTHING || variable.kind !== 'ident') return input
    const dropped = droppedPrefixes(predicate, variable.name)
    return { ...input, excludes: [...input.excludes, ...dropped] }
  }
  if (name === 'orValue' && args.length === 1) {
    const fallback = shapeOf(args[0] as SyntaxNode, vars)
    return either(optionalValueShape(target, vars), fallback)
  }
  if (name === 'format' && target.kind === 'literal' && typeof target.value === 'string') {
    const verb = target.value.indexOf('%')
    return verb === -1 ? exactly(target.value) : prefixed(target.value.slice(0, verb))
  }
  return ANY_STRING
}

/** The value inside `x.?y` / `x[?y]` / `optional.of(v)`, as far as known. */
function optionalValueShape(node: SyntaxNode, vars: ReadonlyMap<string, Shape>): Shape {
  if (node.kind === 'call' && node.name === 'of' && node.args.length === 1) {
    return shapeOf(node.args[0] as SyntaxNode, vars)
  }
  if (node.kind === 'select' && node.optional && isClaimsRoot(node.operand)) {
    return node.field === 'email' ? EMAIL_SHAPE : ANY_STRING
  }
  return ANY_STRING
}

/** Prefixes `x` can never start with when `predicate` holds: `!x.startsWith('p') && ...`. */
function droppedPrefixes(predicate: SyntaxNode, variable: string): string[] {
  if (predicate.kind !== 'operator') return []
  if (predicate.op === '&&') {
    return predicate.args.flatMap((a) => droppedPrefixes(a, variable))
  }
  if (predicate.op !== '!_' || predicate.args.length !== 1) return []
  const inner = predicate.args[0] as SyntaxNode
  if (
    inner.kind === 'call' &&
    inner.name === 'startsWith' &&
    inner.target?.kind === 'ident' &&
    inner.target.name === variable &&
    inner.args.length === 1 &&
    inner.args[0]?.kind === 'literal' &&
    typeof inner.args[0].value === 'string'
  ) {
    return [inner.args[0].value]
  }
  return []
}

/** Certainly a string: a string literal, `'x'.format(...)`, or a `+` chain starting with one. */
function isStringExpression(node: SyntaxNode): boolean {
  if (node.kind === 'literal') return typeof node.value === 'string'
  if (node.kind === 'operator' && node.op === '+') {
    const left = node.args[0]
    return left !== undefined && isStringExpression(left)
  }
  return node.kind === 'call' && node.name === 'format' && node.target?.kind === 'literal'
}

export function isClaimsRoot(node: SyntaxNode): boolean {
  return node.kind === 'ident' && node.name === 'claims'
}
