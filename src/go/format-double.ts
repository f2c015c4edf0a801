/**
 * Formats a CEL double as cel-go's `string(double)` does: Go's
 * `strconv.FormatFloat(v, 'g', -1, 64)`: shortest round-trip digits, exponent form
 * when the decimal exponent is < -4 or >= 6 (strconv/ftoa.go `formatDigits`, shortest case),
 * so 123456789 -> `1.23456789e+08` and 1000000 -> `1e+06`.
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'

  const exponential = value.toExponential()
  const at = exponential.indexOf('e')
  const exponent = Number(exponential.slice(at + 1))
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+'
    const digits = String(Math.abs(exponent)).padStart(2, '0')
    return `${exponential.slice(0, at)}e${sign}${digits}`
  }
  // In this range JavaScript's shortest round-trip decimal form equals Go's %f of the shortest digits.
  return String(value)
}
