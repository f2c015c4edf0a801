/**
 * Kubernetes CEL field-name escaping (k8s.io/apiserver/pkg/cel/escaping.go `Unescape`).
 * Claim names such as `kubernetes.io` are not CEL identifiers, so expressions write
 * `kubernetes__dot__io` and the lookup un-escapes the name first.
 */

/** CEL reserved words that may be written as `__word__` (escaping.go `celReservedSymbols`). */
export const CEL_RESERVED_SYMBOLS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
])

const ESCAPE_SEQUENCE = /__[^_]+__/g

/**
 * Un-escapes a field name: `__dot__` -> `.`, `__dash__` -> `-`, `__slash__` -> `/`,
 * `__underscores__` -> `__`, and a whole name `__<reserved>__` -> `<reserved>`.
 * Returns `undefined` when the name holds an escape-shaped sequence that is not a valid escape.
 */
export function unescapeFieldName(escaped: string): string | undefined {
  if (!escaped.includes('__')) return escaped
  let ok = true
  const unescaped = escaped.replace(ESCAPE_SEQUENCE, (sequence) => {
    const contents = sequence.slice(2, -2)
    switch (contents) {
      case 'underscores':
        return '__'
      case 'dot':
        return '.'
      case 'dash':
        return '-'
      case 'slash':
        return '/'
    }
    if (CEL_RESERVED_SYMBOLS.has(contents)) {
      // A reserved word may only be escaped as the whole name.
      if (sequence.length !== escaped.length) ok = false
      return contents
    }
    ok = false
    return ''
  })
  return ok ? unescaped : undefined
}
