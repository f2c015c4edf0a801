/**
 * cel-go's `has(e.f)` accepts any operand `e` (parser.go `expandHasMacro` only
 * requires the argument to be a field selection), so Kubernetes' own tests use
 * `has(claims.data[0].groups__dot__io)`. cel-js only accepts a selection chain
 * rooted at an identifier. This rewrites the other forms, in the source text, to
 * the equivalent presence test `(e).?f.hasValue()`: `e` is evaluated as usual
 * (its errors still fail the expression) and only `f` is tested for presence,
 * through the same map lookup (and field-name un-escaping) as `e.f`.
 */
import type { CelNode } from './ast.js'
import { visitSyntax } from './ast.js'

/** At most this many `has()` calls are rewritten in one expression (each needs a re-parse). */
const MAX_REWRITES = 32

function selectionRootIsIdentifier(node: CelNode): boolean {
  let current = node
  while (current.op === '.' || current.op === '.?') current = (current.args as [CelNode, string])[0]
  return current.op === 'id'
}

/** The first `has(e.f)` whose `e` is not an identifier-rooted selection chain. */
function findRewritable(
  root: CelNode,
): { call: CelNode; operand: CelNode; field: string } | undefined {
  let found: { call: CelNode; operand: CelNode; field: string } | undefined
  visitSyntax(root, (node) => {
    if (found !== undefined || node.op !== 'call') return
    const [name, args] = node.args as [string, CelNode[]]
    const arg = args[0]
    if (name !== 'has' || args.length !== 1 || arg === undefined || arg.op !== '.') return
    if (selectionRootIsIdentifier(arg)) return
    const [operand, field] = arg.args as [CelNode, string]
    found = { call: node, operand, field }
  })
  return found
}

/**
 * Returns the source to compile: `expression` itself, or a rewrite of its
 * `has()` calls that cel-js would refuse. `parse` gives the root node of a source.
 */
export function rewriteHasOperands(expression: string, parse: (source: string) => CelNode): string {
  let source = expression
  for (let i = 0; i < MAX_REWRITES; i++) {
    const hit = findRewritable(parse(source))
    if (hit === undefined) return source
    const operand = source.slice(hit.operand.start, hit.operand.end)
    source = `${source.slice(0, hit.call.start)}(${operand}).?${hit.field}.hasValue()${source.slice(hit.call.end)}`
  }
  return source
}
