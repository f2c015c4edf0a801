/**
 * The source offset cel-go's parser records for an expression, where its checker and
 * validators report errors: the operator of a selection, index, conditional or binary
 * operation, the `(` of a call, the first character of anything else.
 */
import type { CelNode } from '../ast.js'

const TOKENS: Readonly<Record<string, string>> = {
  '.': '.',
  '.?': '.',
  '[]': '[',
  '[?]': '[',
  '?:': '?',
  '&&': '&&',
  '||': '||',
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  in: 'in',
}

function after(node: CelNode, token: string, from: number): number {
  const at = node.input.indexOf(token, from)
  return at >= 0 && at < node.end ? at : node.start
}

export function goOffset(node: CelNode): number {
  switch (node.op) {
    case 'call':
      return after(node, '(', node.start)
    case 'rcall':
      return after(node, '(', (node.args as [string, CelNode])[1].end)
  }
  const token = TOKENS[node.op]
  if (token === undefined || !Array.isArray(node.args)) return node.start
  const first = (node.args as CelNode[])[0]
  return first === undefined ? node.start : after(node, token, first.end)
}
