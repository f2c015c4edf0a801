/**
 * helmet's security headers, computed once at startup so the lean
 * `POST /authenticate` path can send exactly what the express app sends
 * without running middleware per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'

export type SecurityHeaders = ReadonlyArray<readonly [string, string]>

/** Runs helmet's middleware once against a stub response and returns the headers it set. */
export function captureSecurityHeaders(): SecurityHeaders {
  const headers = new Map<string, string>()
  const stub = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value))
      return stub
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase())
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())
    },
  }
  let called = false
  helmet()(
    { headers: {} } as IncomingMessage,
    stub as unknown as ServerResponse,
    (err?: unknown) => {
      if (err !== undefined) throw err
      called = true
    },
  )
  if (!called) throw new Error('helmet did not complete synchronously')
  return [...headers.entries()]
}

const flatCache = new WeakMap<SecurityHeaders, readonly string[]>()

/** The headers as the flat `[name, value, name, value, ...]` list `writeHead` takes; computed once per set. */
export function flatSecurityHeaders(headers: SecurityHeaders): readonly string[] {
  let flat = flatCache.get(headers)
  if (flat === undefined) {
    flat = headers.flat()
    flatCache.set(headers, flat)
  }
  return flat
}

/** Sets the captured headers on a response. */
export function applySecurityHeaders(res: ServerResponse, headers: SecurityHeaders): void {
  for (const [name, value] of headers) res.setHeader(name, value)
}
