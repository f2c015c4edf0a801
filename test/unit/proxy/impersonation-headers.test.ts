import { describe, expect, it } from '@jest/globals'
import { escapeExtraKey, impersonationHeaders } from '../../../src/proxy/impersonation-headers.js'
import type { UserInfo } from '../../../src/token/types.js'

function user(over: Partial<UserInfo> = {}): UserInfo {
  return { username: 'oidc:jane', uid: '', groups: [], extra: {}, ...over }
}

describe('escapeExtraKey (client-go headerKeyEscape)', () => {
  it.each([
    { key: 'scopes', want: 'scopes' },
    { key: 'example.org/display-name', want: 'example.org%2Fdisplay-name' },
    { key: 'example.org/a:b', want: 'example.org%2Fa%3Ab' },
    { key: 'example.org/100%', want: 'example.org%2F100%25' },
    { key: "a!#$&'*+-.^_`|~z", want: "a!#$&'*+-.^_`|~z" },
    { key: 'a b"(),;<=>?@[\\]{}', want: 'a%20b%22%28%29%2C%3B%3C%3D%3E%3F%40%5B%5C%5D%7B%7D' },
    { key: 'é', want: '%C3%A9' },
    { key: 'x\r\ny', want: 'x%0D%0Ay' },
  ])('$key -> $want', ({ key, want }) => {
    expect(escapeExtraKey(key)).toBe(want)
    // kube-apiserver lowercases the header name, then url.PathUnescape gives the key back.
    expect(decodeURIComponent(want.toLowerCase())).toBe(key.toLowerCase())
  })
})

describe('impersonationHeaders', () => {
  it('user only: no Uid header for an empty uid, no groups', () => {
    expect(impersonationHeaders(user())).toEqual({
      ok: true,
      headers: [['Impersonate-User', 'oidc:jane']],
    })
  })

  it('every field, one header per group and per extra value, in order', () => {
    expect(
      impersonationHeaders(
        user({
          uid: 'u-1',
          groups: ['oidc:dev', 'oidc:ops'],
          extra: { 'example.org/team name': ['a', 'b c'], scopes: ['read'] },
        }),
      ),
    ).toEqual({
      ok: true,
      headers: [
        ['Impersonate-User', 'oidc:jane'],
        ['Impersonate-Uid', 'u-1'],
        ['Impersonate-Group', 'oidc:dev'],
        ['Impersonate-Group', 'oidc:ops'],
        ['Impersonate-Extra-example.org%2Fteam%20name', 'a'],
        ['Impersonate-Extra-example.org%2Fteam%20name', 'b c'],
        ['Impersonate-Extra-scopes', 'read'],
      ],
    })
  })

  it.each([
    {
      name: 'CR/LF in a group',
      u: user({ groups: ['ok', 'x\r\nImpersonate-Group: system:masters'] }),
      field: 'groups[1]',
    },
    { name: 'LF in the username', u: user({ username: 'a\nb' }), field: 'username' },
    { name: 'empty username', u: user({ username: '' }), field: 'username' },
    {
      name: 'leading space would be trimmed',
      u: user({ groups: [' system:masters'] }),
      field: 'groups[0]',
    },
    { name: 'trailing tab would be trimmed', u: user({ username: 'admin\t' }), field: 'username' },
    { name: 'non-ASCII uid', u: user({ uid: 'jöe' }), field: 'uid' },
    {
      name: 'NUL in an extra value',
      u: user({ extra: { 'example.org/k': ['ok', 'a\u0000'] } }),
      field: 'extra["example.org/k"][1]',
    },
    { name: 'DEL in a group', u: user({ groups: ['a\u007f'] }), field: 'groups[0]' },
  ])('$name -> refused, naming $field', ({ u, field }) => {
    expect(impersonationHeaders(u)).toEqual({ ok: false, field })
  })

  it('an empty group or extra value is sent as it is', () => {
    expect(impersonationHeaders(user({ groups: [''], extra: { k: [''] } }))).toEqual({
      ok: true,
      headers: [
        ['Impersonate-User', 'oidc:jane'],
        ['Impersonate-Group', ''],
        ['Impersonate-Extra-k', ''],
      ],
    })
  })
})
