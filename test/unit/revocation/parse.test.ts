import { describe, expect, it } from '@jest/globals'
import {
  MAX_REVOCATION_BYTES,
  MAX_REVOCATION_ENTRIES,
  parseRevocationList,
  parseRevocationListText,
} from '../../../src/revocation/parse.js'

const HEAD = 'apiVersion: kube-oidc-webhook/v1alpha1\nkind: RevocationList\n'
const ISSUER = 'https://issuer.example.com'

function errorsOf(text: string): readonly string[] {
  const result = parseRevocationListText(text)
  if (result.ok) throw new Error('expected the list to be refused')
  return result.errors
}

describe('parseRevocationList: accepted lists', () => {
  it('each selector, subject with issuedBefore, and expiresAt (quoted or not) become entries in file order', () => {
    const result = parseRevocationListText(`${HEAD}entries:
- issuer: ${ISSUER}
  subject: "248289761001"
  expiresAt: "2030-06-01T00:00:00Z"
- issuer: ${ISSUER}
  tokenID: 7f3c2a9e
- issuer: ${ISSUER}
  sessionID: sid-1
- issuer: ${ISSUER}
  username: "oidc:jane"
- issuer: ${ISSUER}
  issuedBefore: "2030-01-01T02:00:00+02:00"
- issuer: ${ISSUER}
  subject: bob
  issuedBefore: "2030-01-01T00:00:00.250Z"
- issuer: ${ISSUER}
  tokenID: unquoted-time
  expiresAt: 2030-06-01T00:00:00Z
`)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.list.entries).toEqual([
      {
        path: 'entries[0]',
        issuer: ISSUER,
        subject: '248289761001',
        expiresAt: Date.parse('2030-06-01T00:00:00Z'),
      },
      { path: 'entries[1]', issuer: ISSUER, tokenID: '7f3c2a9e' },
      { path: 'entries[2]', issuer: ISSUER, sessionID: 'sid-1' },
      { path: 'entries[3]', issuer: ISSUER, username: 'oidc:jane' },
      { path: 'entries[4]', issuer: ISSUER, issuedBefore: Date.parse('2030-01-01T00:00:00Z') },
      {
        path: 'entries[5]',
        issuer: ISSUER,
        subject: 'bob',
        issuedBefore: Date.parse('2030-01-01T00:00:00.250Z'),
      },
      {
        path: 'entries[6]',
        issuer: ISSUER,
        tokenID: 'unquoted-time',
        expiresAt: Date.parse('2030-06-01T00:00:00Z'),
      },
    ])
    expect(result.list.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('JSON is accepted as well', () => {
    const result = parseRevocationListText(
      JSON.stringify({
        apiVersion: 'kube-oidc-webhook/v1alpha1',
        kind: 'RevocationList',
        entries: [{ issuer: ISSUER, tokenID: 'abc' }],
      }),
    )
    expect(result.ok && result.list.entries).toEqual([
      { path: 'entries[0]', issuer: ISSUER, tokenID: 'abc' },
    ])
  })

  it.each([
    ['no entries field', HEAD],
    ['an empty list', `${HEAD}entries: []\n`],
    ['entries: null', `${HEAD}entries: null\n`],
  ])('%s is an empty list', (_name, text) => {
    const result = parseRevocationListText(text)
    expect(result.ok && result.list.entries).toEqual([])
  })

  it('the hash is of the bytes: the same entries written differently hash differently', () => {
    const a = parseRevocationListText(`${HEAD}entries: [{issuer: ${ISSUER}, tokenID: a}]\n`)
    const b = parseRevocationListText(`${HEAD}entries:\n- {issuer: ${ISSUER}, tokenID: a}\n`)
    expect(a.ok && b.ok && a.list.hash !== b.list.hash).toBe(true)
  })
})

describe('parseRevocationList: refused lists name each bad field by its path', () => {
  it.each([
    {
      name: 'no selector',
      entries: `- issuer: ${ISSUER}`,
      errors: [
        'entries[0]: Required value: one of subject, tokenID, sessionID, username or issuedBefore',
      ],
    },
    {
      name: 'no issuer',
      entries: '- tokenID: a',
      errors: [
        'entries[0].issuer: Required value: the jwt[].issuer.url of the issuer whose tokens are revoked',
      ],
    },
    {
      name: 'an issuer that is not https',
      entries: '- {issuer: "http://issuer.example.com", tokenID: a}',
      errors: [
        'entries[0].issuer: Invalid value: "http://issuer.example.com": must be an https URL, as jwt[].issuer.url is',
      ],
    },
    {
      name: 'two selectors',
      entries: `- {issuer: ${ISSUER}, tokenID: a, sessionID: b}`,
      errors: [
        'entries[0].sessionID: Forbidden: may not be combined with tokenID: an entry names one of subject, tokenID, sessionID, username or issuedBefore, and only subject may go with issuedBefore',
      ],
    },
    {
      name: 'issuedBefore with a selector other than subject',
      entries: `- {issuer: ${ISSUER}, username: u, issuedBefore: "2030-01-01T00:00:00Z"}`,
      errors: [
        'entries[0].issuedBefore: Forbidden: may not be combined with username: an entry names one of subject, tokenID, sessionID, username or issuedBefore, and only subject may go with issuedBefore',
      ],
    },
    {
      name: 'an empty value',
      entries: `- {issuer: ${ISSUER}, subject: ""}`,
      errors: ['entries[0].subject: Invalid value: "": must not be empty'],
    },
    {
      name: 'a value over 1024 bytes',
      entries: `- {issuer: ${ISSUER}, username: "${'é'.repeat(513)}"}`,
      errors: ['entries[0].username: Too long: may not be more than 1024 bytes'],
    },
    {
      name: 'times that are not RFC 3339',
      entries: `- {issuer: ${ISSUER}, issuedBefore: "2030-02-30T00:00:00Z", expiresAt: "tomorrow"}`,
      errors: [
        'entries[0].issuedBefore: Invalid value: "2030-02-30T00:00:00Z": must be an RFC 3339 time such as "2026-12-03T10:00:00Z"',
        'entries[0].expiresAt: Invalid value: "tomorrow": must be an RFC 3339 time such as "2026-12-03T10:00:00Z"',
      ],
    },
    {
      name: 'every bad entry, not only the first',
      entries: `- {issuer: ${ISSUER}, tokenID: fine}\n- {issuer: ${ISSUER}}\n- {tokenID: x}`,
      errors: [
        'entries[1]: Required value: one of subject, tokenID, sessionID, username or issuedBefore',
        'entries[2].issuer: Required value: the jwt[].issuer.url of the issuer whose tokens are revoked',
      ],
    },
  ])('$name', ({ entries, errors }) => {
    expect(errorsOf(`${HEAD}entries:\n${entries}\n`)).toEqual(errors)
  })

  it.each([
    {
      name: 'an unknown field, with its path',
      text: `${HEAD}entries:\n- {issuer: ${ISSUER}, subjet: a}\n`,
      errors: ['strict decoding error: unknown field "entries[0].subjet"'],
    },
    {
      name: 'an unknown top-level field',
      text: `${HEAD}items: []\n`,
      errors: ['strict decoding error: unknown field "items"'],
    },
    {
      name: 'a duplicate YAML key',
      text: `${HEAD}entries:\n- issuer: ${ISSUER}\n  tokenID: a\n  tokenID: b\n`,
      errors: [
        'strict decoding error: yaml: unmarshal errors:\n  line 6: key "tokenID" already set in map',
      ],
    },
    {
      name: 'a duplicate JSON field',
      text: `{"apiVersion":"kube-oidc-webhook/v1alpha1","kind":"RevocationList","entries":[{"issuer":"${ISSUER}","tokenID":"a","tokenID":"b"}]}`,
      errors: ['strict decoding error: duplicate field "entries[0].tokenID"'],
    },
    {
      name: 'a wrong type',
      text: `${HEAD}entries:\n- {issuer: ${ISSUER}, subject: 42}\n`,
      errors: [
        'json: cannot unmarshal number into Go struct field RevocationEntry.entries.subject of type string',
      ],
    },
    {
      name: 'entries that is not a list',
      text: `${HEAD}entries: {issuer: ${ISSUER}}\n`,
      errors: [
        'json: cannot unmarshal object into Go struct field RevocationList.entries of type []v1alpha1.RevocationEntry',
      ],
    },
    {
      name: 'another kind',
      text: 'apiVersion: kube-oidc-webhook/v1alpha1\nkind: AuthenticationConfiguration\n',
      errors: [
        'no kind "AuthenticationConfiguration" is registered for version "kube-oidc-webhook/v1alpha1" in scheme "kube-oidc-webhook" (expected kind RevocationList with apiVersion kube-oidc-webhook/v1alpha1)',
      ],
    },
    {
      name: 'another version',
      text: 'apiVersion: kube-oidc-webhook/v1\nkind: RevocationList\n',
      errors: [
        'no kind "RevocationList" is registered for version "kube-oidc-webhook/v1" in scheme "kube-oidc-webhook" (expected kind RevocationList with apiVersion kube-oidc-webhook/v1alpha1)',
      ],
    },
    {
      name: 'two documents',
      text: `${HEAD}---\n${HEAD}`,
      errors: ['yaml: the file holds 2 documents; a RevocationList file must hold exactly one'],
    },
    {
      name: 'an empty file',
      text: '',
      errors: ['empty config data'],
    },
  ])('$name', ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors)
  })

  it(`more than ${MAX_REVOCATION_ENTRIES} entries are refused before any entry is checked`, () => {
    const entries = Array.from({ length: MAX_REVOCATION_ENTRIES + 1 }, () => ({}))
    const text = JSON.stringify({
      apiVersion: 'kube-oidc-webhook/v1alpha1',
      kind: 'RevocationList',
      entries,
    })
    expect(errorsOf(text)).toEqual([
      `entries: Too many: ${MAX_REVOCATION_ENTRIES + 1}: must have at most ${MAX_REVOCATION_ENTRIES} items`,
    ])
  })

  it(`content over ${MAX_REVOCATION_BYTES} bytes is refused unread`, () => {
    const result = parseRevocationList(Buffer.alloc(MAX_REVOCATION_BYTES + 1, 0x20))
    expect(result).toEqual({
      ok: false,
      errors: [
        `revocation list is ${MAX_REVOCATION_BYTES + 1} bytes, more than the ${MAX_REVOCATION_BYTES}-byte limit of this webhook`,
      ],
    })
  })

  it('content that is not UTF-8 is refused', () => {
    const result = parseRevocationList(Buffer.from([0x61, 0xff, 0x62]))
    expect(result).toEqual({
      ok: false,
      errors: ['error converting YAML to JSON: yaml: invalid UTF-8 in data'],
    })
  })
})
