/**
 * Go's text forms that kube-apiserver's error messages are built from, so that
 * our messages read byte for byte like the apiserver's: `%q` of a string and of
 * a `[]string`, and `time.Time.String()` (always UTC here).
 */

const SIMPLE_ESCAPES: Record<string, string> = {
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

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

/** Go's `%q` / `strconv.Quote` for a string (printable Unicode kept, the rest escaped). */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const simple = SIMPLE_ESCAPES[ch]
    if (simple !== undefined) {
      out += simple
      continue
    }
    const cp = ch.codePointAt(0) ?? 0
    if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`
    else if (cp === 0xfffd && ch !== '\ufffd') out += '\\ufffd'
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || (cp >= 0xd800 && cp < 0xe000)) {
      out += `\\u${hex(cp, 4)}`
    } else if (cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) out += `\\u${hex(cp, 4)}`
    else out += ch
  }
  return out + '"'
}

/** Go's `%q` of a `[]string`: `["a" "b"]`; nil or empty prints `[]`. */
export function goQuoteList(items: readonly string[] | undefined): string {
  return `[${(items ?? []).map(goQuote).join(' ')}]`
}

const GO_ZERO_TIME = '0001-01-01 00:00:00 +0000 UTC'
const MAX_DATE_SECONDS = 8_640_000_000_000

/**
 * Go's `time.Time.String()` for a UTC instant: `2006-01-02 15:04:05.999999999 +0000 UTC`
 * (fraction only when non-zero, trailing zeros dropped).
 */
export function goTime(date: Date): string {
  const ms = date.getTime()
  if (Number.isNaN(ms)) return GO_ZERO_TIME
  const iso = date.toISOString() // YYYY-MM-DDTHH:mm:ss.sssZ or ±YYYYYY-...
  const [day, rest = ''] = iso.split('T')
  const clock = rest.slice(0, 8)
  const fraction = rest.slice(9, 12).replace(/0+$/, '')
  return `${day} ${clock}${fraction === '' ? '' : `.${fraction}`} +0000 UTC`
}

/** Go's `time.Unix(sec, 0).UTC().String()`; seconds outside JS Date's range print as Go's zero time would not, so they are clamped. */
export function goUnixTime(seconds: number): string {
  if (seconds === Number.NEGATIVE_INFINITY || seconds < -62_135_596_800) {
    // Before year 1: Go prints negative years; such tokens are expired either way.
    return GO_ZERO_TIME
  }
  const clamped = Math.min(seconds, MAX_DATE_SECONDS)
  return goTime(new Date(clamped * 1000))
}

export { GO_ZERO_TIME }
