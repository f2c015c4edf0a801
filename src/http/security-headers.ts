/**
 * The security headers of every response the service writes itself, computed
 * once at startup with helmet so the lean `POST /authenticate` path, the
 * express routes and the health port send exactly the same set without
 * running middleware per request.
 *
 * The set is helmet configured for a JSON API, as OWASP's REST Security Cheat
 * Sheet lists it, not helmet's defaults for HTML pages: no browser renders
 * these answers, so the headers that only steer how a page is rendered,
 * framed, prefetched or opened in a browsing context (`Cross-Origin-Opener-Policy`,
 * `Origin-Agent-Cluster`, `X-DNS-Prefetch-Control`, `X-Download-Options`,
 * `X-Permitted-Cross-Domain-Policies`, `X-XSS-Protection`) are left out, and
 * the CSP forbids everything (`default-src 'none'`) rather than allowing the
 * page's own scripts and styles. `Cache-Control: no-store` is added: an
 * answer names a user and must not be kept by anything between us and the
 * API server. About 300 bytes instead of helmet's ~600 default, on every
 * review (docs/performance.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'

export type SecurityHeaders = ReadonlyArray<readonly [string, string]>

/** helmet's options for an API that answers JSON only. */
const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
}

/** Set beside helmet's headers: a review answer names a user and is never to be stored. */
const CACHE_CONTROL: readonly [string, string] = ['cache-control', 'no-store']

/** Runs helmet's middleware once against a stub response and returns the headers it set, plus `Cache-Control`. */
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
  helmet(API_HELMET_OPTIONS)(
    { headers: {} } as IncomingMessage,
    stub as unknown as ServerResponse,
    (err?: unknown) => {
      if (err !== undefined) throw err
      called = true
    },
  )
  if (!called) throw new Error('helmet did not complete synchronously')
  headers.set(...CACHE_CONTROL)
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
