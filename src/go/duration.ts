/**
 * Go duration strings (`10s`, `1h30m`, `500ms`, `0`), parsed exactly as Go's
 * time.ParseDuration (src/time/format.go) parses them, including its error
 * messages, so flags read like kube-apiserver's.
 */

const NS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 micro sign
  ['\u03bcs', 1_000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
])

const MAX_UINT = 1n << 63n

export class DurationError extends Error {
  readonly code = 'ERR_INVALID_DURATION'
  override readonly name = 'DurationError'
}

/** Go's time.quote: non-ASCII and control bytes as `\xNN`, `"` and `\` escaped. */
function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp >= 0x80 || cp < 0x20) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`
    } else {
      if (ch === '"' || ch === '\\') out += '\\'
      out += ch
    }
  }
  return out + '"'
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/**
 * Parses a Go duration into nanoseconds (a bigint: Go's int64, exact).
 * Throws DurationError with Go's message (`time: invalid duration "x"`).
 */
export function parseGoDuration(input: string): bigint {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${goQuote(input)}`)
  let s = input
  let neg = false
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-')
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw invalid()
  let total = 0n
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid()
    // leadingInt: [0-9]*
    let i = 0
    let v = 0n
    while (isDigit(s[i])) {
      if (v > MAX_UINT / 10n) throw invalid()
      v = v * 10n + BigInt(Number(s[i]))
      if (v > MAX_UINT) throw invalid()
      i++
    }
    const pre = i > 0
    s = s.slice(i)
    // leadingFraction: (\.[0-9]*)?
    let f = 0n
    let scale = 1
    let post = false
    if (s[0] === '.') {
      s = s.slice(1)
      let j = 0
      let overflow = false
      while (isDigit(s[j])) {
        if (!overflow) {
          if (f > (MAX_UINT - 1n) / 10n) {
            overflow = true
          } else {
            const y = f * 10n + BigInt(Number(s[j]))
            if (y > MAX_UINT) overflow = true
            else {
              f = y
              scale *= 10
            }
          }
        }
        j++
      }
      post = j > 0
      s = s.slice(j)
    }
    if (!pre && !post) throw invalid()
    // unit: everything up to the next [0-9.]
    let k = 0
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++
    if (k === 0) throw new DurationError(`time: missing unit in duration ${goQuote(input)}`)
    const unitName = s.slice(0, k)
    s = s.slice(k)
    const unit = NS_PER_UNIT.get(unitName)
    if (unit === undefined) {
      throw new DurationError(
        `time: unknown unit ${goQuote(unitName)} in duration ${goQuote(input)}`,
      )
    }
    if (v > MAX_UINT / unit) throw invalid()
    v *= unit
    if (f > 0n) {
      // Go computes the fraction in float64 too: uint64(float64(f) * (float64(unit) / scale))
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > MAX_UINT) throw invalid()
    }
    total += v
    if (total > MAX_UINT) throw invalid()
  }
  if (neg) return -total
  if (total > MAX_UINT - 1n) throw invalid()
  return total
}

/** Nanoseconds to whole milliseconds (truncated toward zero). */
export function nanosToMillis(ns: bigint): number {
  return Number(ns / 1_000_000n)
}

/** Go's Duration.String() for the values our defaults use (`10s`, `2m0s`, `1h30m0s`, `500ms`). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s'
  const neg = ns < 0n
  let u = neg ? -ns : ns
  let out: string
  if (u < 1_000_000_000n) {
    const [unit, div] =
      u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['\u00b5s', 1_000n] : ['ms', 1_000_000n]
    out = fraction(u, div as bigint) + (unit as string)
  } else {
    const h = u / 3_600_000_000_000n
    u -= h * 3_600_000_000_000n
    const m = u / 60_000_000_000n
    u -= m * 60_000_000_000n
    out = `${fraction(u, 1_000_000_000n)}s`
    if (h > 0n) out = `${h}h${m}m${out}`
    else if (m > 0n) out = `${m}m${out}`
  }
  return neg ? `-${out}` : out
}

function fraction(value: bigint, div: bigint): string {
  const whole = value / div
  const rest = value % div
  if (rest === 0n) return String(whole)
  const digits = String(div).length - 1
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`
}
