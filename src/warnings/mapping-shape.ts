/** The shape of what a username or groups mapping yields (claim + prefix, or expression). */
import type { CompiledPrefixedMapping } from '../config/compiled.js'
import { EMAIL_SHAPE, expressionShape } from './expression-shape.js'
import { ANY_STRING, concat, exactly, type StringShape } from './string-shape.js'

export function mappingShape(mapping: CompiledPrefixedMapping): StringShape {
  if (mapping.kind === 'expression') return expressionShape(mapping.expression.expression)
  // kube-apiserver only accepts the `email` claim with email_verified enforced.
  return concat(exactly(mapping.prefix), mapping.claim === 'email' ? EMAIL_SHAPE : ANY_STRING)
}

/** How the mapping is described in a warning: `prefix "oidc:"`, `no prefix`. */
export function describeShape(shape: StringShape): string {
  if (shape.exact) return `always ${JSON.stringify(shape.prefix)}`
  return shape.prefix === '' ? 'no fixed prefix' : `prefix ${JSON.stringify(shape.prefix)}`
}
