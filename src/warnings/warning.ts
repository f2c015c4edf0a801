/**
 * A config warning: something kube-apiserver accepts and this webhook applies
 * as written, but that is risky or has no effect. Each has a stable code (for
 * scripts and docs/reference/warnings.md), the field it is about, one line of
 * why and one line of how to fix it. Warnings never change whether a config
 * loads; `validate --warnings-as-errors` makes them fatal.
 */
export const WARNING_CODES = [
  'WARN_USERNAME_OVERLAP',
  'WARN_GROUPS_OVERLAP',
  'WARN_USERNAME_SYSTEM_PREFIX',
  'WARN_GROUPS_SYSTEM_PREFIX',
  'WARN_CI_ISSUER_UNPINNED',
  'WARN_AUDIENCE_SHARED',
  'WARN_ANONYMOUS_NO_EFFECT',
  'WARN_EGRESS_SELECTOR_NO_EFFECT',
  'WARN_REVOCATION_ISSUER_UNKNOWN',
  'WARN_CLAIMS_MAP_OPERATION',
] as const
export type WarningCode = (typeof WARNING_CODES)[number]

export interface ConfigWarning {
  readonly code: WarningCode
  /** The field the warning is about, as in field errors: `jwt[1].claimMappings.username`. */
  readonly path: string
  /** One line: what can go wrong. */
  readonly why: string
  /** One line: what to change. */
  readonly fix: string
}

/** The line `validate` prints: `Warning: <path>: <why> Fix: <fix> [<code>]`. */
export function formatWarning(warning: ConfigWarning): string {
  return `Warning: ${warning.path}: ${warning.why} Fix: ${warning.fix} [${warning.code}]`
}
