import { goQuote } from '../go/quote.js'

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
  | 'Too long'
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
      this.type === 'Required value' ||
      this.type === 'Forbidden' ||
      this.type === 'Internal error' ||
      this.type === 'Too long'
    if (!valueless && this.value !== undefined) body += `: ${formatValue(this.value)}`
    if (this.detail) body += `: ${this.detail}`
    return `${this.path}: ${body}`
  }
}

/** How field.Error prints a bad value: Go's %q for strings, bare numbers and booleans, Go's JSON otherwise. */
export function formatValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  return goJSONMarshal(value)
}

const GO_JSON_HTML_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/** encoding/json.Marshal's text: JSON.stringify plus Go's HTML-safe escapes. */
function goJSONMarshal(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => GO_JSON_HTML_ESCAPES[c] ?? c,
  )
}

export const required = (path: string, detail = '') =>
  new FieldError(path, 'Required value', undefined, detail)
export const invalid = (path: string, value: unknown, detail: string) =>
  new FieldError(path, 'Invalid value', value, detail)
export const duplicate = (path: string, value: unknown) =>
  new FieldError(path, 'Duplicate value', value, '')
export const forbidden = (path: string, detail: string) =>
  new FieldError(path, 'Forbidden', undefined, detail)
export const tooMany = (path: string, actual: number, max: number) =>
  new FieldError(
    path,
    'Too many',
    actual,
    `must have at most ${max} ${max === 1 ? 'item' : 'items'}`,
  )
/** apimachinery field.TooLong; the value is not printed (it is long by definition). */
export const tooLong = (path: string, max: number) =>
  new FieldError(path, 'Too long', undefined, `may not be more than ${max} bytes`)
