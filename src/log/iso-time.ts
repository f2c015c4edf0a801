/**
 * The `time` field of every log line: an ISO 8601 UTC timestamp with
 * milliseconds, as `Date.prototype.toISOString` writes it. Formatting a Date
 * per line costs more than the rest of a review's log line; here the part up
 * to the seconds is formatted once per second and the milliseconds come from
 * a table, so a line pays one lookup and one concatenation.
 */

const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))

let cachedSecond = Number.NaN
/** `2026-12-03T13:40:00.` for `cachedSecond`. */
let cachedPrefix = ''

/** `epochMs` (default now) as `2026-12-03T13:40:00.123Z`. */
export function isoTime(epochMs: number = Date.now()): string {
  const second = Math.floor(epochMs / 1000)
  if (second !== cachedSecond) {
    const formatted = new Date(second * 1000).toISOString()
    // Outside years 0000-9999 toISOString uses a longer form: no caching there.
    if (formatted.length !== 24) return new Date(epochMs).toISOString()
    cachedSecond = second
    cachedPrefix = formatted.slice(0, 20)
  }
  return cachedPrefix + (MILLIS[epochMs - second * 1000] ?? '000') + 'Z'
}
