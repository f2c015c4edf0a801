/**
 * cel-js already defines some functions with semantics that differ from cel-go
 * (`string(double)` formatting, Unicode-wide `lowerAscii`, `matches` on JavaScript
 * RegExp instead of RE2). Its registry refuses a second overload with the same signature,
 * so the compiler renames such calls in the parsed AST to internal names registered
 * with the Kubernetes behaviour, and maps the names back in messages.
 */

/** Prefix of internal function names; never valid in user expressions (see compile.ts). */
export const INTERNAL_PREFIX = 'k8s_'

/** Global calls renamed: `string(x)` -> `k8s_string(x)`. */
export const RENAMED_CALLS: ReadonlySet<string> = new Set([
  'string',
  'matches',
  'int',
  'uint',
  'double',
  'bool',
  'timestamp',
  'duration',
])

/** Member calls renamed: `s.lowerAscii()` -> `s.k8s_lowerAscii()`. */
export const RENAMED_METHODS: ReadonlySet<string> = new Set([
  'lowerAscii',
  'upperAscii',
  'matches',
  // Counted in code points with cel-go's bounds (strings.ts); lists share the names.
  'indexOf',
  'lastIndexOf',
  'substring',
  'split',
  // Timestamp and duration accessors (library/time.ts).
  'getFullYear',
  'getMonth',
  'getDayOfYear',
  'getDayOfMonth',
  'getDate',
  'getDayOfWeek',
  'getHours',
  'getMinutes',
  'getSeconds',
  'getMilliseconds',
])

const INTERNAL_NAME = new RegExp(`${INTERNAL_PREFIX}(\\w+)`, 'g')

/** Replaces internal names in a message with the names the user wrote. */
export function publicNames(message: string): string {
  return message.replace(INTERNAL_NAME, '$1')
}
