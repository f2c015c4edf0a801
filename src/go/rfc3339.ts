/**
 * Go's `time.Parse(time.RFC3339, s)` (the form of `metav1.Time` in Kubernetes
 * objects): `2006-01-02T15:04:05Z07:00` with optional fractional seconds. Each
 * field is range-checked as Go does (no February 30, no second 60), which
 * `Date.parse` does not.
 */
import { parseGoRfc3339 } from './rfc3339-nano.js'

/**
 * The stricter form this service writes and reads in its own files: `.` before at
 * most nine fraction digits, offsets up to `23:59`. Go's parser accepts more
 * (`parseGoRfc3339`), and does the range checks and the arithmetic.
 */
const STRICT_RFC3339 =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/

/** Milliseconds since the epoch (fractions below a millisecond dropped), or `undefined` when `text` is not RFC 3339. */
export function parseRfc3339(text: string): number | undefined {
  if (!STRICT_RFC3339.test(text)) return undefined
  const time = parseGoRfc3339(text)
  if (time === undefined) return undefined
  return Number(time.seconds) * 1000 + Math.floor(time.nanos / 1_000_000)
}

/** RFC 3339 in UTC with second precision, or milliseconds when not whole (`2026-12-03T10:00:00Z`). */
export function formatRfc3339(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}
