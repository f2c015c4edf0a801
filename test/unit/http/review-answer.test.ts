/**
 * The answer body of `POST /authenticate` is built from pre-serialised parts;
 * it must be byte for byte what serialising the TokenReview object gives.
 */
import { describe, expect, it } from '@jest/globals'
import { TOKEN_REVIEW_API_VERSIONS } from '../../../src/http/parse-token-review.js'
import {
  renderReviewAnswer,
  renderTokenReview,
  tokenReviewStatus,
} from '../../../src/http/token-review.js'
import { TokenRejected, type AuthOutcome, type UserInfo } from '../../../src/token/types.js'

const ISSUER = 'https://issuer.example.com'

function authenticated(user: Partial<UserInfo>): AuthOutcome {
  return {
    kind: 'authenticated',
    issuer: ISSUER,
    user: { username: 'jane', uid: '', groups: [], extra: {}, ...user },
  }
}

const outcomes: [string, AuthOutcome][] = [
  ['username only', authenticated({})],
  ['uid and groups', authenticated({ uid: 'u-1', groups: ['oidc:dev', 'oidc:ops'] })],
  [
    'names that need escaping',
    authenticated({
      username: 'ja"ne\\\n\u2028<script>\u00e9\u{1f511}',
      uid: '\u0000\t',
      groups: ['"', '\ud800', ''],
    }),
  ],
  [
    'extra with values',
    authenticated({ groups: ['g'], extra: { 'example.com/team': ['a', 'b'], 'x/y': ['c'] } }),
  ],
  ['extra with only empty values (omitted)', authenticated({ extra: { 'example.com/team': [] } })],
  [
    'rejected',
    {
      kind: 'rejected',
      issuer: ISSUER,
      rejection: new TokenRejected('expired', 'verify', 'oidc: token is "expired"\n'),
    },
  ],
  ['not mine', { kind: 'not-mine' }],
]

describe('renderReviewAnswer', () => {
  for (const apiVersion of TOKEN_REVIEW_API_VERSIONS) {
    it.each(outcomes)(`${apiVersion}: %s`, (_name, outcome) => {
      const want = renderTokenReview(apiVersion, tokenReviewStatus(outcome))
      expect(renderReviewAnswer(apiVersion, outcome)).toBe(want)
      expect(JSON.parse(want)).toMatchObject({ apiVersion, kind: 'TokenReview' })
    })
  }
})

describe.each([
  ['reused (a cache hit)', true],
  ['not reused', false],
])('renderReviewAnswer on repeats, %s', (_name, reused) => {
  it('answers the same user object the same way every time, in either apiVersion', () => {
    const outcome = authenticated({ uid: 'u-1', groups: ['oidc:dev'] })
    for (let i = 0; i < 3; i++) {
      for (const apiVersion of TOKEN_REVIEW_API_VERSIONS) {
        expect(renderReviewAnswer(apiVersion, outcome, reused)).toBe(
          renderTokenReview(apiVersion, tokenReviewStatus(outcome)),
        )
      }
    }
  })

  it('renders each user object from its own fields, whatever was rendered before', () => {
    const first = authenticated({ groups: ['oidc:dev'] })
    const second = authenticated({ groups: ['oidc:ops'] })
    const v1 = TOKEN_REVIEW_API_VERSIONS[0]
    expect(renderReviewAnswer(v1, first, reused)).toContain('"groups":["oidc:dev"]')
    expect(renderReviewAnswer(v1, second, reused)).toContain('"groups":["oidc:ops"]')
    expect(renderReviewAnswer(v1, first, reused)).toContain('"groups":["oidc:dev"]')
  })

  it('stays correct past the bound on remembered users', () => {
    const v1 = TOKEN_REVIEW_API_VERSIONS[0]
    for (let i = 0; i < 3000; i++) {
      const outcome = authenticated({ username: `user-${i}` })
      expect(renderReviewAnswer(v1, outcome, reused)).toBe(
        renderTokenReview(v1, tokenReviewStatus(outcome)),
      )
    }
  })
})
