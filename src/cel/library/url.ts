/**
 * Kubernetes URL library (k8s.io/apiserver/pkg/cel/library/urls.go): `url(string)`,
 * `isURL(string)` and the accessors. Parsing follows Go's `url.ParseRequestURI`
 * (an absolute URI or an absolute path; no normalisation), not the WHATWG URL parser.
 */
import type { Environment } from '@marcbachmann/cel-js'

/** The runtime value of a CEL `kubernetes.URL`. */
export class CelURL {
  constructor(
    readonly raw: string,
    readonly scheme: string,
    readonly host: string,
    readonly escapedPath: string,
    readonly rawQuery: string,
  ) {}
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s

/** Parses like Go's url.ParseRequestURI; returns an error text instead of throwing. */
export function parseRequestURI(raw: string): CelURL | string {
  if (raw === '') return 'empty url'
  if (/[\x00-\x1f\x7f ]/.test(raw)) return 'invalid control character in URL'
  let scheme = ''
  let rest = raw
  if (!raw.startsWith('/')) {
    const m = ABSOLUTE.exec(raw)
    if (m === null) return 'invalid URI for request'
    scheme = (m[1] ?? '').toLowerCase()
    rest = m[2] ?? ''
    if (!rest.startsWith('/')) return 'invalid URI for request'
  }
  let rawQuery = ''
  const q = rest.indexOf('?')
  if (q >= 0) {
    rawQuery = rest.slice(q + 1)
    rest = rest.slice(0, q)
  }
  let host = ''
  if (scheme !== '' && rest.startsWith('//')) {
    const authority = rest.slice(2)
    const slash = authority.indexOf('/')
    host = slash < 0 ? authority : authority.slice(0, slash)
    rest = slash < 0 ? '' : authority.slice(slash)
    const at = host.lastIndexOf('@')
    if (at >= 0) host = host.slice(at + 1)
    if (!/^(\[[0-9A-Fa-f:.]+(%25[^\]]*)?\]|[^\[\]:]*)(:[0-9]*)?$/.test(host)) return `invalid host`
  }
  return new CelURL(raw, scheme, host, rest, rawQuery)
}

function toURL(raw: string): CelURL {
  const parsed = parseRequestURI(raw)
  if (typeof parsed === 'string')
    // The input (often a claim) is left out of the message on purpose.
    if (typeof parsed === 'string')
      throw new Error(`URL parse error during conversion from string: ${parsed}`)
  return parsed
}

function hostname(u: CelURL): string {
  const h = u.host
  if (h.startsWith('[')) {
    const end = h.indexOf(']')
    return h.slice(1, end)
  }
  const colon = h.lastIndexOf(':')
  return colon < 0 ? h : h.slice(0, colon)
}

function port(u: CelURL): string {
  const h = u.host
  const after = h.startsWith('[') ? h.slice(h.indexOf(']') + 1) : h
  const colon = after.lastIndexOf(':')
  return colon < 0 ? '' : after.slice(colon + 1)
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

/** Go url.ParseQuery semantics: `&`-separated, `+` is a space, repeated keys collect. */
function query(u: CelURL): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of u.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue
    const eq = part.indexOf('=')
    const key = decode(eq < 0 ? part : part.slice(0, eq))
    const value = decode(eq < 0 ? '' : part.slice(eq + 1))
    const values = out.get(key)
    if (values === undefined) out.set(key, [value])
    else values.push(value)
  }
  return out
}

/** Registers `url()`, `isURL()` and the `kubernetes.URL` accessors. */
export function registerURL(env: Environment): void {
  env
    .registerType('kubernetes.URL', CelURL)
    .registerFunction('url(string): kubernetes.URL', toURL)
    .registerFunction('isURL(string): bool', (s: string) => typeof parseRequestURI(s) !== 'string')
    .registerFunction('kubernetes.URL.getScheme(): string', (u: CelURL) => u.scheme)
    .registerFunction('kubernetes.URL.getHost(): string', (u: CelURL) => u.host)
    .registerFunction('kubernetes.URL.getHostname(): string', hostname)
    .registerFunction('kubernetes.URL.getPort(): string', port)
    .registerFunction('kubernetes.URL.getEscapedPath(): string', (u: CelURL) => u.escapedPath)
    .registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', query)
}
