/**
 * The parts of Go's net/url.Parse that kube-apiserver's issuer URL checks depend on
 * (validation.go validateURL): the parse errors, verbatim, and the scheme,
 * userinfo, raw query and fragment it reports. Go's URL type is not reproduced.
 */
import { goQuote } from './quote.js'

export type GoURLResult =
  | {
      ok: true
      /** Lower-cased, as Go stores it. */
      scheme: string
      hasUser: boolean
      rawQuery: string
      /** Unescaped fragment; `https://x#` has an empty one. */
      fragment: string
    }
  | { ok: false; error: string }

class GoURLError extends Error {}

/** Mirrors url.Parse(rawURL); `error` is Go's `(*url.Error).Error()` text. */
export function parseGoURL(rawURL: string): GoURLResult {
  const hash = rawURL.indexOf('#')
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash)
  const frag = hash < 0 ? '' : rawURL.slice(hash + 1)
  let parsed: { scheme: string; hasUser: boolean; rawQuery: string }
  try {
    parsed = parse(u)
  } catch (err) {
    return { ok: false, error: urlError(u, err) }
  }
  let fragment = ''
  if (frag !== '') {
    try {
      fragment = unescape(frag, 'fragment')
    } catch (err) {
      return { ok: false, error: urlError(rawURL, err) }
    }
  }
  return { ok: true, ...parsed, fragment }
}

/**
 * Mirrors url.ParseRequestURI(rawURL): the whole string is a URL (no fragment), it must
 * be absolute or start with `/`, and an empty string is `empty url`.
 */
export function parseGoRequestURI(rawURL: string): { ok: true } | { ok: false; error: string } {
  try {
    parse(rawURL, true)
  } catch (err) {
    return { ok: false, error: urlError(rawURL, err) }
  }
  return { ok: true }
}

function urlError(url: string, err: unknown): string {
  if (!(err instanceof GoURLError)) throw err
  return `parse ${goQuote(url)}: ${err.message}`
}

function parse(
  rawURL: string,
  viaRequest = false,
): { scheme: string; hasUser: boolean; rawQuery: string } {
  if (/[\x00-\x1f\x7f]/.test(rawURL))
    throw new GoURLError('net/url: invalid control character in URL')
  if (rawURL === '' && viaRequest) throw new GoURLError('empty url')
  if (rawURL === '*') return { scheme: '', hasUser: false, rawQuery: '' }
  let [scheme, rest] = getScheme(rawURL)
  scheme = scheme.toLowerCase()
  let rawQuery = ''
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1)
  } else {
    const q = rest.indexOf('?')
    if (q >= 0) {
      rawQuery = rest.slice(q + 1)
      rest = rest.slice(0, q)
    }
  }
  if (!rest.startsWith('/')) {
    // Rootless paths with a scheme are opaque: nothing more is parsed.
    if (scheme !== '') return { scheme, hasUser: false, rawQuery }
    if (viaRequest) throw new GoURLError('invalid URI for request')
    const slash = rest.indexOf('/')
    const segment = slash < 0 ? rest : rest.slice(0, slash)
    if (segment.includes(':'))
      throw new GoURLError('first path segment in URL cannot contain colon')
  }
  let hasUser = false
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) {
      rest = authority.slice(slash)
      authority = authority.slice(0, slash)
    }
    hasUser = parseAuthority(authority)
  }
  unescape(rest, 'path')
  return { scheme, hasUser, rawQuery }
}

function getScheme(rawURL: string): [string, string] {
  for (let i = 0; i < rawURL.length; i++) {
    const c = rawURL[i] as string
    if (/[a-zA-Z]/.test(c)) continue
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', rawURL]
      continue
    }
    if (c === ':') {
      if (i === 0) throw new GoURLError('missing protocol scheme')
      return [rawURL.slice(0, i), rawURL.slice(i + 1)]
    }
    return ['', rawURL]
  }
  return ['', rawURL]
}

/** Returns whether a userinfo part (even an empty one, `https://@host`) is present. */
function parseAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@')
  parseHost(at < 0 ? authority : authority.slice(at + 1))
  if (at < 0) return false
  const userinfo = authority.slice(0, at)
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo))
    throw new GoURLError('net/url: invalid userinfo')
  const colon = userinfo.indexOf(':')
  if (colon < 0) unescape(userinfo, 'userPassword')
  else {
    unescape(userinfo.slice(0, colon), 'userPassword')
    unescape(userinfo.slice(colon + 1), 'userPassword')
  }
  return true
}

function parseHost(host: string): void {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']')
    if (close < 0) throw new GoURLError("missing ']' in host")
    const colonPort = host.slice(close + 1)
    if (!validOptionalPort(colonPort))
      throw new GoURLError(`invalid port ${goQuote(colonPort)} after host`)
    const zone = host.slice(0, close).indexOf('%25')
    if (zone >= 0) {
      unescape(host.slice(0, zone), 'host')
      unescape(host.slice(zone, close), 'zone')
      unescape(host.slice(close), 'host')
      return
    }
  } else {
    const colon = host.lastIndexOf(':')
    if (colon >= 0) {
      const colonPort = host.slice(colon)
      if (!validOptionalPort(colonPort))
        throw new GoURLError(`invalid port ${goQuote(colonPort)} after host`)
    }
  }
  unescape(host, 'host')
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port)
}

type Mode = 'host' | 'zone' | 'path' | 'fragment' | 'userPassword'

// ASCII characters Go's shouldEscape accepts unescaped in a host (or zone).
const HOST_OK = /[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/

/** Go's unescape, only for its errors (the unescaped value is not needed). */
function unescape(s: string, mode: Mode): string {
  const bytes = Buffer.from(s, 'utf8')
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i] as number
    if (c === 0x25 /* % */) {
      if (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
        const bad = bytes.subarray(i, Math.min(i + 3, bytes.length)).toString('utf8')
        throw new GoURLError(`invalid URL escape ${goQuote(bad)}`)
      }
      const seq = bytes.subarray(i, i + 3).toString('latin1')
      if (mode === 'host' && hexValue(bytes[i + 1] as number) < 8 && seq !== '%25') {
        throw new GoURLError(`invalid URL escape ${goQuote(seq)}`)
      }
      if (mode === 'zone') {
        const v = hexValue(bytes[i + 1] as number) * 16 + hexValue(bytes[i + 2] as number)
        if (seq !== '%25' && v !== 0x20 && !HOST_OK.test(String.fromCharCode(v)) && v < 0x80) {
          throw new GoURLError(`invalid URL escape ${goQuote(seq)}`)
        }
      }
      i += 3
      continue
    }
    if ((mode === 'host' || mode === 'zone') && c < 0x80 && !HOST_OK.test(String.fromCharCode(c))) {
      throw new GoURLError(`invalid character ${goQuote(String.fromCharCode(c))} in host name`)
    }
    i++
  }
  return s
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined &&
    ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  )
}

function hexValue(c: number): number {
  return parseInt(String.fromCharCode(c), 16)
}
