/**
 * How long a fetched JWKS may be used before a background refresh: from the
 * response's `Cache-Control` (`s-maxage`, else `max-age`), else `Expires − Date`,
 * bounded to [min, max]. The refresh runs at 80 % of that lifetime.
 */
import type { IncomingHttpHeaders } from 'node:http'

export interface RefreshPolicy {
  readonly minMs: number
  readonly maxMs: number
  readonly defaultMs: number
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = {
  minMs: 60_000,
  maxMs: 24 * 3600_000,
  defaultMs: 5 * 60_000,
}

/** The lifetime the headers grant, in ms, or undefined when they say nothing usable. */
export function cacheLifetimeMs(headers: IncomingHttpHeaders): number | undefined {
  const cc = headers['cache-control']
  if (typeof cc === 'string') {
    let maxAge: number | undefined
    let sMaxAge: number | undefined
    for (const directive of cc.split(',')) {
      const [rawName = '', rawValue] = directive.trim().split('=', 2)
      const name = rawName.trim().toLowerCase()
      const value = rawValue?.trim().replace(/^"|"$/g, '')
      if (value === undefined || !/^\d+$/.test(value)) continue
      if (name === 'max-age') maxAge = Number(value)
      else if (name === 's-maxage') sMaxAge = Number(value)
    }
    const seconds = sMaxAge ?? maxAge
    if (seconds !== undefined) return seconds * 1000
  }
  const expires = headers.expires
  if (typeof expires === 'string') {
    const exp = Date.parse(expires)
    const date = typeof headers.date === 'string' ? Date.parse(headers.date) : Number.NaN
    if (!Number.isNaN(exp) && !Number.isNaN(date)) return Math.max(0, exp - date)
  }
  return undefined
}

/** Delay until the next background refresh: 80 % of the bounded lifetime. */
export function refreshDelayMs(
  headers: IncomingHttpHeaders,
  policy: RefreshPolicy = DEFAULT_REFRESH_POLICY,
): { lifetimeMs: number; refreshInMs: number } {
  const raw = cacheLifetimeMs(headers)
  const lifetimeMs = Math.min(policy.maxMs, Math.max(policy.minMs, raw ?? policy.defaultMs))
  return { lifetimeMs, refreshInMs: Math.floor(lifetimeMs * 0.8) }
}
