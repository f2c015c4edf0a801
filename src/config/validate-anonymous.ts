/**
 * The top-level `anonymous` block, checked as kube-apiserver's
 * ValidateAuthenticationConfiguration checks it (validation.go): conditions
 * need `enabled: true`. Nothing else about it is validated there, and it has no
 * effect here: kube-apiserver answers anonymous requests itself and never sends
 * them to a webhook.
 */
import { invalid } from './field-error.js'
import type { FieldError } from './field-error.js'
import type { AnonymousAuthConfig } from './types.js'

export function validateAnonymous(anonymous: AnonymousAuthConfig): FieldError[] {
  const conditions = anonymous.conditions ?? []
  if (anonymous.enabled === true || conditions.length === 0) return []
  return [
    invalid(
      'anonymous.conditions',
      goInternalConditions(conditions),
      'enabled should be set to true when conditions are defined',
    ),
  ]
}

/**
 * field.Error prints the bad value as JSON; the internal Go type behind it has
 * no json tags, so each condition shows its Go field name, `Path`.
 */
function goInternalConditions(
  conditions: NonNullable<AnonymousAuthConfig['conditions']>,
): { Path: string }[] {
  return conditions.map((c) => ({ Path: c.path ?? '' }))
}
