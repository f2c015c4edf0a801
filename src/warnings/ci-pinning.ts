/**
 * Whether claimValidationRules pin a CI issuer's tokens to one owner, project
 * or repository: a `claim`/`requiredValue` rule on a pinning claim, or an
 * expression that can only hold when a pinning claim equals a literal (`==`,
 * `in [...]`, `startsWith` past the subject's fixed stem, an anchored
 * `matches`), reached through `&&` (either side) or `||` (both sides).
 */
import type { CompiledClaimValidationRule } from '../config/compiled.js'
import { parseSyntaxTree, type SyntaxNode } from '../cel/syntax-tree.js'
import type { CiIssuer } from './ci-issuers.js'
import { claimAccessed } from './claim-references.js'

/**
 * The claim a comparison reads, when a token without it cannot pass: a plain
 * access, or `claims.?x.orValue("")`.
 */
function pinnedAccess(node: SyntaxNode): string | undefined {
  if (node.kind === 'select' || node.kind === 'index') {
    return node.optional ? undefined : claimAccessed(node)
  }
  const fallback = node.kind === 'call' && node.name === 'orValue' ? node.args[0] : undefined
  if (fallback?.kind === 'literal' && fallback.value === '') return claimAccessed(node)
  return undefined
}

export function rulesPin(rules: readonly CompiledClaimValidationRule[], ci: CiIssuer): boolean {
  return rules.some((rule) => {
    if (rule.kind === 'claim') return ci.pinClaims.includes(rule.claim) && rule.requiredValue !== ''
    const root = parseSyntaxTree(rule.expression.expression, 'claims')
    return root !== undefined && pins(root, ci)
  })
}

function pins(node: SyntaxNode, ci: CiIssuer): boolean {
  if (node.kind === 'operator') {
    const [a, b] = node.args
    if (a === undefined || b === undefined) return false
    switch (node.op) {
      case '&&':
        return pins(a, ci) || pins(b, ci)
      case '||':
        return pins(a, ci) && pins(b, ci)
      case '==':
        return (
          (isPinClaim(a, ci) && isLiteralValue(b, ci, pinnedAccess(a))) ||
          (isPinClaim(b, ci) && isLiteralValue(a, ci, pinnedAccess(b)))
        )
      case 'in':
        return (
          isPinClaim(a, ci) &&
          b.kind === 'list' &&
          b.elements.length > 0 &&
          b.elements.every((e) => isLiteralValue(e, ci, pinnedAccess(a)))
        )
      default:
        return false
    }
  }
  if (node.kind === 'call' && node.target !== undefined && node.args.length === 1) {
    const claim = pinnedAccess(node.target)
    const arg = node.args[0] as SyntaxNode
    if (claim === undefined || !ci.pinClaims.includes(claim)) return false
    if (arg.kind !== 'literal' || typeof arg.value !== 'string') return false
    const stem = claim === 'sub' ? ci.subjectStem : ''
    if (node.name === 'startsWith')
      return arg.value.length > stem.length && arg.value.startsWith(stem)
    if (node.name === 'matches')
      return arg.value.startsWith('^') && arg.value.length > stem.length + 1
  }
  return false
}

function isPinClaim(node: SyntaxNode, ci: CiIssuer): boolean {
  const claim = pinnedAccess(node)
  return claim !== undefined && ci.pinClaims.includes(claim)
}

function isLiteralValue(node: SyntaxNode, ci: CiIssuer, claim: string | undefined): boolean {
  if (node.kind !== 'literal') return false
  if (typeof node.value === 'string') {
    const stem = claim === 'sub' ? ci.subjectStem : ''
    return node.value.length > stem.length
  }
  return typeof node.value === 'number' || typeof node.value === 'bigint'
}
