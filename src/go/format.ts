import { goQuote } from './quote.js'

/**
 * Go's text forms that kube-apiserver's error messages are built from, so that
 * our messages read byte for byte like the apiserver's: `%q` of a string and of
 * a `[]string`, and `time.Time.String()` (always UTC here).
 */

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
