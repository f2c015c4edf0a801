/**
 * The one way a URL is shown: with the password of its userinfo replaced, as
 * Go's net/http client shows a URL in its errors (`stripPassword`:
 * `https://user:***@host/...`; a user name alone is kept, as `url.Redacted`
 * keeps it). Works on text that is not a parseable URL too, so nothing that
 * looks like `scheme://user:password@` is ever printed as is.
 */

/** `rawURL` with any userinfo password replaced by `***`. */
export function redactURL(rawURL: string): string {
  const schemeEnd = rawURL.indexOf('://')
  if (schemeEnd < 0) return rawURL
  const authorityStart = schemeEnd + 3
  let authorityEnd = rawURL.length
  for (const stop of ['/', '?', '#']) {
    const at = rawURL.indexOf(stop, authorityStart)
    if (at >= 0 && at < authorityEnd) authorityEnd = at
  }
  const authority = rawURL.slice(authorityStart, authorityEnd)
  const at = authority.lastIndexOf('@')
  if (at < 0) return rawURL
  const userinfo = authority.slice(0, at)
  const colon = userinfo.indexOf(':')
  if (colon < 0) return rawURL
  return `${rawURL.slice(0, authorityStart)}${userinfo.slice(0, colon)}:***${rawURL.slice(authorityStart + at)}`
}

/** `text` with every URL in it redacted (for messages that embed a URL from elsewhere). */
export function redactURLsIn(text: string): string {
  return text.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>]+/g, (url) => redactURL(url))
}
