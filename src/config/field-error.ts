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

  toString(): string {
    const parts = [`${this.path}: ${this.type}`]
    if (this.type === 'Too many') {
      parts[0] += `: ${String(this.value)}`
    } else if (this.value !== undefined && this.type !== 'Required value' && this.type !== 'Forbidden') {
      parts[0] += `: ${formatValue(this.value)}`
    }
    if (this.detail) parts.push(this.detail)
    return parts.join(': ')
  }
}

/** Go's %q for strings, bare numbers and booleans, JSON otherwise. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value) ?? 'null'
}

/** Go's strconv.Quote for the common cases (JSON escaping is close enough for ASCII). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}

export const required = (path: string, detail = '') => new FieldError(path, 'Required value', undefined, detail)
export const invalid = (path: string, value: unknown, detail: string) =>
  new FieldError(path, 'Invalid value', value, detail)
export const duplicate = (path: string, value: unknown) => new FieldError(path, 'Duplicate value', value, '')
export const forbidden = (path: string, detail: string) => new FieldError(path, 'Forbidden', undefined, detail)
export const tooMany = (path: string, actual: number, max: number) =>
  new FieldError(path, 'Too many', actual, `must have at most ${max} items`)
