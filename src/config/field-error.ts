/**
 * Field errors shaped and printed like k8s.io/apimachinery's field.Error, so our
 * messages read like kube-apiserver's:
 *   jwt[0].issuer.url: Invalid value: "http://x": URL scheme must be https
 */
export type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Duplicate value'
  | 'Too many'
  | 'Forbidden'
  | 'Unsupported value'
  | 'Internal error'

export class FieldError {
  constructor(
    readonly path: string,
    readonly type: FieldErrorType,
    /** The offending value; `undefined` prints no value (as for Required/Forbidden). */
    readonly value: unknown,
    readonly detail: string,
  ) {}

  /** apimachinery field.Error.Error(): `<path>: <type>[: <value>][: <detail>]`. */
  toString(): string {
    let body: string = this.type
    const valueless =
      this.type === 'Required value' || this.type === 'Forbidden' || this.type === 'Internal error'
    if (!valueless && this.value !== undefined) body += `: ${formatValue(this.value)}`
    if (this.detail) body += `: ${this.detail}`
    return `${this.path}: ${body}`
  }
}

/** How field.Error prints a bad value: Go's %q for strings, bare numbers and booleans, JSON otherwise. */
export function formatValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value) ?? 'null'
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
}

/** Go's strconv.Quote (the `%q` verb) for a JavaScript string. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) {
      out += short
      continue
    }
    const cp = ch.codePointAt(0) ?? 0
    if (PRINTABLE.test(ch)) out += ch
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd' // a lone surrogate reaches Go as U+FFFD
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += `\\U${cp.toString(16).padStart(8, '0')}`
  }
  return `${out}"`
}

export const required = (path: string, detail = '') => new FieldError(path, 'Required value', undefined, detail)
export const invalid = (path: string, value: unknown, detail: string) =>
  new FieldError(path, 'Invalid value', value, detail)
export const duplicate = (path: string, value: unknown) => new FieldError(path, 'Duplicate value', value, '')
export const forbidden = (path: string, detail: string) => new FieldError(path, 'Forbidden', undefined, detail)
export const tooMany = (path: string, actual: number, max: number) =>
  new FieldError(path, 'Too many', actual, `must have at most ${max} ${max === 1 ? 'item' : 'items'}`)
