/**
 * `in` and `size()` on the `claims` map itself. kube-apiserver (1.34 on) hands CEL
 * the claims as a lazy map that supports lookups, `has()` and iteration only, so
 * `'x' in claims` fails with `no such overload` and `size(claims)` with
 * `no such overload: size` on every token: a validation rule using either refuses
 * everyone, a mapping using either fails every review. The config is still valid
 * (the type checker accepts both), hence a warning rather than an error.
 */
import type { SyntaxNode } from '../cel/syntax-tree.js'
import { parseSyntaxTree } from '../cel/syntax-tree.js'
import type { JWTAuthenticator } from '../config/types.js'
import type { ConfigWarning } from './warning.js'

/** `claims`, or `dyn(claims)` (the same runtime value). */
function isClaimsMap(node: SyntaxNode | undefined): boolean {
  if (node === undefined) return false
  if (node.kind === 'ident') return node.name === 'claims'
  return (
    node.kind === 'call' &&
    node.name === 'dyn' &&
    node.target === undefined &&
    node.args.length === 1 &&
    isClaimsMap(node.args[0])
  )
}

/** The first unsupported operation on `claims` in the tree: `in` or `size`. */
function unsupportedOperation(node: SyntaxNode | undefined): 'in' | 'size' | undefined {
  if (node === undefined) return undefined
  switch (node.kind) {
    case 'operator':
      if (node.op === 'in' && isClaimsMap(node.args[1])) return 'in'
      return firstOf(node.args)
    case 'call':
      if (node.name === 'size') {
        const operand = node.target ?? (node.args.length === 1 ? node.args[0] : undefined)
        if (isClaimsMap(operand)) return 'size'
      }
      return unsupportedOperation(node.target) ?? firstOf(node.args)
    case 'select':
      return unsupportedOperation(node.operand)
    case 'index':
      return unsupportedOperation(node.operand) ?? unsupportedOperation(node.index)
    case 'list':
      return firstOf(node.elements)
    case 'ident':
    case 'literal':
    case 'other':
      return undefined
  }
}

function firstOf(nodes: readonly SyntaxNode[]): 'in' | 'size' | undefined {
  for (const n of nodes) {
    const found = unsupportedOperation(n)
    if (found !== undefined) return found
  }
  return undefined
}

/** The claims expressions of one `jwt` entry, with their field paths, in file order. */
function claimsExpressions(entry: JWTAuthenticator, path: string): [string, string][] {
  const found: [string, string][] = []
  entry.claimValidationRules?.forEach((rule, k) => {
    if (rule.expression)
      found.push([`${path}.claimValidationRules[${k}].expression`, rule.expression])
  })
  const mappings = entry.claimMappings
  for (const name of ['username', 'groups', 'uid'] as const) {
    const expression = mappings?.[name]?.expression
    if (expression) found.push([`${path}.claimMappings.${name}.expression`, expression])
  }
  mappings?.extra?.forEach((extra, k) => {
    if (extra.valueExpression)
      found.push([`${path}.claimMappings.extra[${k}].valueExpression`, extra.valueExpression])
  })
  return found
}

export function claimsMapOperationWarnings(entry: JWTAuthenticator, path: string): ConfigWarning[] {
  const warnings: ConfigWarning[] = []
  for (const [at, expression] of claimsExpressions(entry, path)) {
    const operation = unsupportedOperation(parseSyntaxTree(expression, 'claims'))
    if (operation === undefined) continue
    warnings.push({
      code: 'WARN_CLAIMS_MAP_OPERATION',
      path: at,
      why:
        operation === 'in'
          ? `"in claims" fails with "no such overload" on every token: since Kubernetes 1.34 the claims map supports lookups, has() and iteration only, so this expression errors for everyone.`
          : `size() of the claims map fails with "no such overload: size" on every token: since Kubernetes 1.34 the claims map supports lookups, has() and iteration only, so this expression errors for everyone.`,
      fix:
        operation === 'in'
          ? `test for a claim with has(claims.name), or claims[?'name'].hasValue() for a name that is not an identifier.`
          : `count the claims you need with has() on each, or drop the size() test.`,
    })
  }
  return warnings
}
