/**
 * A typed view of @marcbachmann/cel-js parse trees, for the few walks the compiler
 * does (syntactic checks, renames, email detection, cost instrumentation). The
 * library's own `ASTNode` type is read-only; these walks mutate on purpose, once, at
 * compile time.
 */

/** cel-js's checked type declaration, as far as we read it. */
export interface CelTypeDecl {
  readonly name: string
  readonly kind: string
  readonly hasDynType: boolean
  readonly hasPlaceholderType: boolean
}

export type EvaluateFn = (ev: unknown, node: CelNode, ctx: unknown) => unknown

/** A parsed expression node. `args` depends on `op` (see `syntacticChildren`). */
export interface CelNode {
  readonly op: string
  args: unknown
  readonly start: number
  readonly end: number
  readonly input: string
  readonly meta: {
    readonly alternate?: CelNode
    readonly macro?: { evaluate: (ev: unknown, macro: unknown, ctx: unknown) => unknown }
    readonly evaluate?: EvaluateFn
  }
  readonly checkedType?: CelTypeDecl
  handle?: (...args: unknown[]) => unknown
  evaluate: EvaluateFn
}

/** Arguments of a comprehension node (the expansion of all/exists/map/filter). */
export interface ComprehensionArgs {
  readonly iterable: CelNode
  readonly init: CelNode
  readonly step: CelNode
  /** Loop-continue test of all/exists; absent for map/filter/exists_one. */
  readonly condition?: (accu: unknown) => boolean
}

function isNode(v: unknown): v is CelNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'meta' in v
}

/** Children as written in the source (macro expansions not included). */
export function syntacticChildren(node: CelNode): CelNode[] {
  const a = node.args
  switch (node.op) {
    case 'value':
    case 'id':
    case 'accuValue':
    case 'accuInc':
      return []
    case '.':
    case '.?':
      return isNode((a as unknown[])[0]) ? [(a as CelNode[])[0] as CelNode] : []
    case 'call':
      return [...((a as [string, CelNode[]])[1] ?? [])]
    case 'rcall': {
      const [, receiver, args] = a as [string, CelNode, CelNode[]]
      return [receiver, ...args]
    }
    case 'map':
      return (a as Array<[CelNode, CelNode]>).flat()
    case 'comprehension': {
      const c = a as ComprehensionArgs
      return [c.iterable, c.init, c.step]
    }
    default:
      if (Array.isArray(a)) return a.filter(isNode)
      return isNode(a) ? [a] : []
  }
}

/** Visits every node written in the source, pre-order. */
export function visitSyntax(root: CelNode, visit: (node: CelNode) => void): void {
  const stack = [root]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    visit(node)
    stack.push(...syntacticChildren(node))
  }
}

/** Visits every node that evaluates, macro expansions included, pre-order. */
export function visitEvaluated(root: CelNode, visit: (node: CelNode) => void): void {
  const seen = new Set<CelNode>()
  const stack = [root]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (seen.has(node)) continue
    seen.add(node)
    visit(node)
    const alternate = node.meta.alternate
    if (alternate !== undefined) stack.push(alternate)
    else stack.push(...syntacticChildren(node))
  }
}

/** Line and column (1-based) of an offset, for cel-go style `<input>:line:col` prefixes. */
export function position(input: string, offset: number): { line: number; column: number } {
  let line = 1
  let column = 1
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input[i] === '\n') {
      line++
      column = 1
    } else column++
  }
  return { line, column }
}
