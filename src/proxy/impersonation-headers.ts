/**
 * The impersonation headers that stand for an authenticated user, written as
 * client-go's impersonating round tripper writes them
 * (k8s.io/client-go `transport/round_trippers.go`): `Impersonate-User`,
 * `Impersonate-Uid` when the uid is not empty, one `Impersonate-Group` per
 * group, and one `Impersonate-Extra-<key>` per extra value with the key
 * percent-encoded byte by byte where it is not an HTTP token character (and
 * `%` itself), which kube-apiserver's impersonation filter undoes with
 * `url.PathUnescape` after lowercasing the header name.
 */
import type { UserInfo } from '../token/types.js'

export const IMPERSONATE_USER = 'Impersonate-User'
export const IMPERSONATE_UID = 'Impersonate-Uid'
export const IMPERSONATE_GROUP = 'Impersonate-Group'
export const IMPERSONATE_EXTRA_PREFIX = 'Impersonate-Extra-'

/** RFC 9110 tchar, the table client-go copied from net/http's isTokenTable. */
const TOKEN_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/

/** client-go `headerKeyEscape`: every byte that is not a token character, and `%`, as `%XX`. */
export function escapeExtraKey(key: string): string {
  let out = ''
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out +=
      byte < 0x80 && ch !== '%' && TOKEN_CHAR.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * A value that arrives at kube-apiserver exactly as written: visible ASCII,
 * inner spaces allowed. Control characters (CR, LF) would split the header;
 * leading or trailing whitespace is trimmed by every HTTP parser, which would
 * turn a group " system:masters" into "system:masters"; bytes beyond ASCII are
 * read differently by different parsers.
 */
const SAFE_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/

export type ImpersonationResult =
  | { readonly ok: true; readonly headers: ReadonlyArray<readonly [string, string]> }
  /** `field` names what cannot be sent (`groups[2]`, `extra["example.org/x"][0]`); never the value. */
  | { readonly ok: false; readonly field: string }

/** The headers for `user`, or the first field whose value cannot be sent unchanged. */
export function impersonationHeaders(user: UserInfo): ImpersonationResult {
  if (user.username === '' || !SAFE_VALUE.test(user.username))
    return { ok: false, field: 'username' }
  const headers: [string, string][] = [[IMPERSONATE_USER, user.username]]
  if (user.uid !== '') {
    if (!SAFE_VALUE.test(user.uid)) return { ok: false, field: 'uid' }
    headers.push([IMPERSONATE_UID, user.uid])
  }
  for (const [i, group] of user.groups.entries()) {
    if (!SAFE_VALUE.test(group)) return { ok: false, field: `groups[${i}]` }
    headers.push([IMPERSONATE_GROUP, group])
  }
  for (const [key, values] of Object.entries(user.extra)) {
    const name = IMPERSONATE_EXTRA_PREFIX + escapeExtraKey(key)
    for (const [i, value] of values.entries()) {
      if (!SAFE_VALUE.test(value))
        return { ok: false, field: `extra[${JSON.stringify(key)}][${i}]` }
      headers.push([name, value])
    }
  }
  return { ok: true, headers }
}

/** True for any header name the impersonation filter reads: a client may not send one. */
export function isImpersonationHeader(lowerName: string): boolean {
  return lowerName.startsWith('impersonate-')
}
