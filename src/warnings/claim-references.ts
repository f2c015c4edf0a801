/** Which claims an expression reads: `claims.x`, `claims.?x`, `claims["x"]`, `claims[?"x"]`. */
import type { SyntaxNode } from '../cel/syntax-tree.js'
import { parseSyntaxTree } from '../cel/syntax-tree.js'
import { isClaimsRoot } from './expression-shape.js'

/** The claim a node reads directly, if it is a claim access (optional or not). */
export function claimAccessed(node: SyntaxNode): string | undefined {
  if (node.kind === 'select' && isClaimsRoot(node.operand)) return node.field
  if (
    node.kind === 'index' &&
    isClaimsRoot(node.operand) &&
    node.index.kind === 'literal' &&
    typeof node.index.value === 'string'
  ) {
    return node.index.value
  }
  // claims.?x.orValue(...) reads x too.
  if (node.kind === 'call' && node.name === 'orValue' && node.target !== undefined) {
    return claimAccessed(node.target)
  }
  return undefined
}

export function referencedClaims(expression: string): string[] {
  const root = parseSyntaxTree(expression, 'claims')
  const found = new Set<string>()
  const visit = (node: SyntaxNode | undefined): void => {
    if (node === undefined) return
    const claim = claimAccessed(node)
    if (claim !== undefined) found.add(claim)
    switch (node.kind) {
      case 'select':
        return visit(node.operand)
      case 'index':
        visit(node.operand)
        return visit(node.index)
      case 'call':
        visit(node.target)
        return node.args.forEach(visit)
      case 'operator':
        return node.args.forEach(visit)
      case 'list':
        return node.elements.forEach(visit)
      case 'ident':
      case 'literal':
      case 'other':
        return
    }
  }
  visit(root)
  return [...found]
}
