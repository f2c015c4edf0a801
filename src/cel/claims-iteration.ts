/**
 * A comprehension over `claims` itself sees the claim values (see activation.ts), which
 * need not be strings although `claims` is a map with string keys; kube's iteration
 * variable is then whatever the value is. This retypes, after type-checking, the
 * iteration variable cel-js derived from the map's key type, so that values of any type
 * pass its runtime check.
 */
import type { CelNode } from './ast.js'
import { visitSyntax } from './ast.js'

interface IterationContext {
  iterType: unknown
}

function isClaims(node: CelNode | null | undefined): boolean {
  return node?.op === 'id' && node.args === 'claims'
}

export function retypeClaimsIteration(root: CelNode): void {
  visitSyntax(root, (node) => {
    if (node.op !== 'rcall') return
    const receiver = (node.args as [string, CelNode])[1]
    if (!isClaims(receiver)) return
    const valueType = (receiver.checkedType as { valueType?: unknown } | undefined)?.valueType
    if (valueType === undefined) return
    const alternate = node.meta.alternate
    if (alternate?.op === 'comprehension') {
      const ctx = (alternate.args as { iterCtx?: IterationContext }).iterCtx
      if (ctx !== undefined) ctx.iterType = valueType
    }
    const macro = node.meta.macro as { firstCtx?: IterationContext } | undefined
    if (macro?.firstCtx !== undefined) macro.firstCtx.iterType = valueType
  })
}
