import { describe, expect, it } from '@jest/globals'
import { applyRevocationList, findRevocation } from '../../../src/revocation/apply.js'
import { parseRevocationListText } from '../../../src/revocation/parse.js'
import type { RevocationList } from '../../../src/revocation/revocation-list.js'
import type { AuthOutcome, TokenIdentity } from '../../../src/token/types.js'
import { NOW, NOW_S } from '../../helpers/fixed-clock.js'

const A = 'https://a.example.com'
const B = 'https://b.example.com'
const nowMs = NOW.getTime()
const iso = (offsetSeconds: number): string => new Date(nowMs + offsetSeconds * 1000).toISOString()

function list(entries: readonly Record<string, string>[]): RevocationList {
  const result = parseRevocationListText(
    JSON.stringify({ apiVersion: 'kube-oidc-webhook/v1alpha1', kind: 'RevocationList', entries }),
  )
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.list
}

function authenticated(identity: TokenIdentity, username = 'oidc:jane', issuer = A): AuthOutcome {
  return {
    kind: 'authenticated',
    issuer,
    user: { username, uid: '', groups: [], extra: {} },
    identity,
  }
}

/** The path of the entry refusing the outcome, or 'accepted'. */
function verdict(l: RevocationList, outcome: AuthOutcome, at = nowMs): string {
  return findRevocation(outcome, l, at)?.path ?? 'accepted'
}

describe('RevocationList: each selector', () => {
  const l = list([
    { issuer: A, subject: 'jane-sub' },
    { issuer: A, tokenID: 'jti-1' },
    { issuer: A, sessionID: 'sid-1' },
    { issuer: A, username: 'oidc:mallory' },
  ])

  it.each([
    { name: 'subject', identity: { subject: 'jane-sub' }, username: 'x', want: 'entries[0]' },
    { name: 'tokenID (jti)', identity: { tokenID: 'jti-1' }, username: 'x', want: 'entries[1]' },
    {
      name: 'sessionID (sid)',
      identity: { sessionID: 'sid-1' },
      username: 'x',
      want: 'entries[2]',
    },
    { name: 'mapped username', identity: {}, username: 'oidc:mallory', want: 'entries[3]' },
    {
      name: 'other values of every selector',
      identity: { subject: 'jane-sub2', tokenID: 'jti-2', sessionID: 'SID-1' },
      username: 'mallory',
      want: 'accepted',
    },
  ])('$name: $want', ({ identity, username, want }) => {
    expect(verdict(l, authenticated(identity, username))).toBe(want)
  })

  it('an entry names tokens of its issuer only', () => {
    expect(verdict(l, authenticated({ subject: 'jane-sub' }, 'oidc:mallory', B))).toBe('accepted')
  })

  it('an outcome without identity is matched on issuer and username alone', () => {
    const bare: AuthOutcome = {
      kind: 'authenticated',
      issuer: A,
      user: { username: 'oidc:mallory', uid: '', groups: [], extra: {} },
    }
    expect(verdict(l, bare)).toBe('entries[3]')
  })

  it('rejected and not-mine outcomes pass through unchanged', () => {
    const notMine: AuthOutcome = { kind: 'not-mine' }
    expect(applyRevocationList(notMine, l, nowMs)).toBe(notMine)
  })

  it('a refused outcome carries reason revoked, step revocation and the entry in the message', () => {
    const outcome = applyRevocationList(authenticated({ tokenID: 'jti-1' }), l, nowMs)
    expect(outcome.kind).toBe('rejected')
    if (outcome.kind !== 'rejected') return
    expect(outcome.issuer).toBe(A)
    expect({
      reason: outcome.rejection.reason,
      step: outcome.rejection.step,
      message: outcome.rejection.message,
      transient: outcome.rejection.transient,
    }).toEqual({
      reason: 'revoked',
      step: 'revocation',
      message: 'token revoked by the revocation list (entries[1]: tokenID)',
      transient: false,
    })
  })

  it('a token named by several entries is refused by the first in check order (tokenID before subject)', () => {
    expect(verdict(l, authenticated({ subject: 'jane-sub', tokenID: 'jti-1' }))).toBe('entries[1]')
  })
})

describe('RevocationList: issuedBefore', () => {
  const cutoff = iso(-3600) // one hour before NOW
  const cutoffS = NOW_S - 3600

  it.each([
    { name: 'iat one second older', iat: cutoffS - 1, want: 'entries[0]' },
    { name: 'iat equal to the cut-off', iat: cutoffS, want: 'accepted' },
    { name: 'iat newer', iat: cutoffS + 1, want: 'accepted' },
    { name: 'no iat (counts as older)', iat: undefined, want: 'entries[0]' },
  ])('issuer-wide, $name: $want', ({ iat, want }) => {
    const l = list([{ issuer: A, issuedBefore: cutoff }])
    const identity =
      iat === undefined ? { subject: 'anyone' } : { subject: 'anyone', issuedAt: iat }
    expect(verdict(l, authenticated(identity))).toBe(want)
  })

  it.each([
    { name: 'that subject, older', subject: 'bob', iat: cutoffS - 1, want: 'entries[0]' },
    { name: 'that subject, without iat', subject: 'bob', iat: undefined, want: 'entries[0]' },
    { name: 'that subject, newer', subject: 'bob', iat: cutoffS + 60, want: 'accepted' },
    { name: 'another subject, older', subject: 'alice', iat: cutoffS - 1, want: 'accepted' },
    { name: 'no subject, older', subject: undefined, iat: cutoffS - 1, want: 'accepted' },
  ])('with subject, $name: $want', ({ subject, iat, want }) => {
    const l = list([{ issuer: A, subject: 'bob', issuedBefore: cutoff }])
    const identity: TokenIdentity = {
      ...(subject === undefined ? {} : { subject }),
      ...(iat === undefined ? {} : { issuedAt: iat }),
    }
    expect(verdict(l, authenticated(identity))).toBe(want)
  })

  it('with subject, does not refuse that subject outright', () => {
    const l = list([{ issuer: A, subject: 'bob', issuedBefore: cutoff }])
    expect(verdict(l, authenticated({ subject: 'bob', issuedAt: NOW_S }))).toBe('accepted')
  })

  it('the newest cut-off in force decides, whatever the file order', () => {
    const l = list([
      { issuer: A, issuedBefore: iso(-7200) },
      { issuer: A, issuedBefore: iso(-60) },
      { issuer: A, issuedBefore: iso(-3600) },
    ])
    expect(verdict(l, authenticated({ issuedAt: NOW_S - 120 }))).toBe('entries[1]')
    expect(verdict(l, authenticated({ issuedAt: NOW_S - 30 }))).toBe('accepted')
  })

  it('an expired newer cut-off leaves the older one in force', () => {
    const l = list([
      { issuer: A, issuedBefore: iso(-60), expiresAt: iso(-1) },
      { issuer: A, issuedBefore: iso(-3600) },
    ])
    expect(verdict(l, authenticated({ issuedAt: NOW_S - 120 }))).toBe('accepted')
    expect(verdict(l, authenticated({ issuedAt: NOW_S - 7200 }))).toBe('entries[1]')
  })
})

describe('RevocationList: expiresAt', () => {
  const l = list([{ issuer: A, tokenID: 'jti-1', expiresAt: iso(60) }])
  const outcome = authenticated({ tokenID: 'jti-1' })

  it('applies before expiresAt', () => {
    expect(verdict(l, outcome, nowMs + 59_999)).toBe('entries[0]')
  })

  it('is ignored from expiresAt on', () => {
    expect(verdict(l, outcome, nowMs + 60_000)).toBe('accepted')
  })

  it('of two entries naming the same value, the one still in force applies', () => {
    const twice = list([
      { issuer: A, tokenID: 'jti-1', expiresAt: iso(-1) },
      { issuer: A, tokenID: 'jti-1', expiresAt: iso(3600) },
    ])
    expect(verdict(twice, outcome)).toBe('entries[1]')
  })

  it('expiredCount counts the entries past expiresAt', () => {
    const mixed = list([
      { issuer: A, tokenID: 'a', expiresAt: iso(-1) },
      { issuer: A, tokenID: 'b', expiresAt: iso(1) },
      { issuer: A, tokenID: 'c' },
    ])
    expect(mixed.expiredCount(nowMs)).toBe(1)
  })
})
