/**
 * The `token review` line, captured from the logger for a table of reviews
 * through the real reviewer, result cache and token pipeline (a loopback
 * issuer, real signed tokens): exact fields, in order, and never a token, a
 * signature segment or a payload.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ResultCache } from '../../../src/cache/result-cache.js'
import { createLogger, type Logger } from '../../../src/log/logger.js'
import { createReviewer } from '../../../src/server/reviewer.js'
import type { ConfigAuthenticator } from '../../../src/token/authenticator.js'
import {
  REJECT_REASONS,
  TokenRejected,
  type AuthOutcome,
  type TokenAuthenticator,
} from '../../../src/token/types.js'
import { EXPIRED_S, VALID_EXP_S, at } from '../../helpers/fixed-clock.js'
import { startTestIssuer, type TestIssuer } from '../../helpers/issuer.js'
import { hs256Jwt, type Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor } from '../token/authenticator-helpers.js'
import type { TokenReviewer } from '../../../src/http/token-reviewer.js'

let issuer: TestIssuer
let auth: ConfigAuthenticator

beforeAll(async () => {
  issuer = await startTestIssuer({ algorithms: ['RS256'] })
  auth = await authenticatorFor([
    entryFor(issuer, {
      claimMappings: {
        username: { claim: 'username', prefix: '' },
        groups: { claim: 'groups', prefix: 'oidc:' },
      },
      claimValidationRules: [{ expression: '!has(claims.deny)', message: 'deny is set' }],
      userValidationRules: [
        {
          expression: "!user.username.startsWith('system:')",
          message: 'username may not start with system:',
        },
      ],
    }),
  ])
})
afterAll(async () => {
  await auth.close()
  await issuer.stop()
})

function capture(level: 'info' | 'warn' = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const logger = createLogger({
    level,
    destination: {
      write(line: string) {
        lines.push(line)
      },
    },
  })
  return { logger, lines }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** The parsed line with `time` and `latencyMs` checked for form, then left out of the comparison. */
function fieldsOf(line: string): [string, unknown][] {
  expect(line.endsWith('}\n')).toBe(true)
  expect(line.indexOf('\n')).toBe(line.length - 1)
  const parsed = JSON.parse(line) as Record<string, unknown>
  expect(parsed.time).toMatch(ISO_TIME)
  expect(typeof parsed.latencyMs).toBe('number')
  expect(parsed.latencyMs as number).toBeGreaterThanOrEqual(0)
  return Object.entries(parsed).filter(([k]) => k !== 'time' && k !== 'latencyMs')
}

const head = [
  ['level', 'info'],
  ['service', 'kube-oidc-webhook'],
]
const tail = (cacheHit: boolean) => [
  ['cacheHit', cacheHit],
  ['msg', 'token review'],
]
const authenticated = (user: string, cacheHit = false) => [
  ...head,
  ['result', 'authenticated'],
  ['issuer', 'ISSUER'],
  ['user', user],
  ...tail(cacheHit),
]
const rejected = (reason: string, step: string, error: string, cacheHit = false) => [
  ...head,
  ['result', 'rejected'],
  ['issuer', 'ISSUER'],
  ['reason', reason],
  ['step', step],
  ['error', error],
  ...tail(cacheHit),
]
const notMine = (cacheHit = false) => [...head, ['result', 'not_mine'], ...tail(cacheHit)]

interface Case {
  name: string
  token: () => string
  want: (string | boolean)[][]
}

/** A claim every token carries and no line may show: the payload stays out of the log. */
const PAYLOAD_MARKER = 'payload-marker-5b1e9c'

const claims = (extra: Json = {}): Json => {
  const merged: Json = {
    iss: issuer.url,
    aud: 'my-client',
    exp: VALID_EXP_S,
    username: 'jane',
    note: PAYLOAD_MARKER,
    ...extra,
  }
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k]
  return merged
}
const DENY_MESSAGE =
  "oidc: error evaluating claim validation expression: validation expression '!has(claims.deny)' failed: deny is set"
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

const cases: Case[] = [
  {
    name: 'authenticated: who and from which issuer',
    token: () => issuer.sign(claims({ groups: ['dev'] })),
    want: authenticated('jane'),
  },
  {
    name: 'username with quotes and a newline is JSON-escaped',
    token: () => issuer.sign(claims({ username: 'ja"ne\n{"level":"error"}' })),
    want: authenticated('ja"ne\n{"level":"error"}'),
  },
  {
    name: 'expired',
    token: () => issuer.sign(claims({ exp: EXPIRED_S })),
    want: rejected(
      'expired',
      'verify',
      'oidc: verify token: oidc: token is expired (Token Expiry: 2029-12-31 23:59:59 +0000 UTC)',
    ),
  },
  {
    name: 'not yet valid',
    token: () => issuer.sign(claims({ nbf: at(61) })),
    want: rejected(
      'not_yet_valid',
      'verify',
      'oidc: verify token: oidc: current time 2030-01-01 00:00:00 +0000 UTC before the nbf (not before) time: 2030-01-01 00:01:01 +0000 UTC',
    ),
  },
  {
    name: 'audience mismatch',
    token: () => issuer.sign(claims({ aud: 'not-my-client' })),
    want: rejected(
      'audience_mismatch',
      'verify',
      'oidc: verify token: oidc: expected audience "my-client" got ["not-my-client"]',
    ),
  },
  {
    name: 'bad signature',
    token: () => issuer.sign(claims(), { key: stranger }),
    want: rejected(
      'bad_signature',
      'verify',
      'oidc: verify token: failed to verify signature: failed to verify id token signature',
    ),
  },
  {
    name: 'unsupported algorithm',
    token: () => hs256Jwt(Buffer.from('secret'), claims()),
    want: rejected(
      'unsupported_algorithm',
      'verify',
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "HS256"',
    ),
  },
  {
    name: 'malformed claims',
    token: () => issuer.sign(claims({ sub: 5 })),
    want: rejected(
      'malformed',
      'verify',
      'oidc: verify token: oidc: failed to unmarshal claims: json: cannot unmarshal number into Go struct field idToken.sub of type string',
    ),
  },
  {
    name: 'username claim missing',
    token: () => issuer.sign(claims({ username: undefined })),
    want: rejected(
      'username_mapping_failed',
      'username',
      'oidc: parse username claims "username": claim not present',
    ),
  },
  {
    name: 'groups claim of the wrong type',
    token: () => issuer.sign(claims({ groups: 5 })),
    want: rejected(
      'groups_mapping_failed',
      'groups',
      'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string',
    ),
  },
  {
    name: 'claim validation rule',
    token: () => issuer.sign(claims({ deny: true })),
    want: rejected('claim_rule_failed', 'claim-rules', DENY_MESSAGE),
  },
  {
    name: 'user validation rule',
    token: () => issuer.sign(claims({ username: 'system:admin' })),
    want: rejected(
      'user_rule_failed',
      'user-rules',
      "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' failed: username may not start with system:",
    ),
  },
  {
    name: 'token too large',
    token: () => issuer.sign(claims({ pad: 'x'.repeat(300 * 1024) })),
    // Refused before an issuer is chosen: the issuer field is empty.
    want: rejected(
      'token_too_large',
      'select-issuer',
      'token too large: more than 262144 bytes',
    ).map(([k, v]) => [k as string, k === 'issuer' ? '' : (v as string | boolean)]),
  },
  {
    name: 'not mine: another issuer',
    token: () => issuer.sign(claims({ iss: 'https://elsewhere.example' })),
    want: notMine(),
  },
  { name: 'not mine: not a JWT', token: () => 'not-a-jwt-at-all', want: notMine() },
]

/** `want` with the issuer's URL in place of `ISSUER`. */
function expected(want: (string | boolean)[][]): [string, unknown][] {
  return want.map(([k, v]) => [k as string, v === 'ISSUER' ? issuer.url : v])
}

/** The reviewer as `serve` builds it, logging to `logger`. */
function reviewerFor(logger: Logger, current: TokenAuthenticator = auth): TokenReviewer {
  return createReviewer({ current: () => current, cache: new ResultCache(), logger })
}

function expectNoTokenIn(output: string, token: string): void {
  expect(output).not.toContain(token)
  for (const segment of token.split('.'))
    if (segment.length >= 8) expect(output).not.toContain(segment)
  const [header, payload] = token.split('.')
  expect(output).not.toContain(`${header}.${payload}`)
  // Nor the decoded claims: neither the payload's JSON nor a value only it holds.
  const decoded = Buffer.from(payload ?? '', 'base64url').toString('utf8')
  if (decoded.length >= 8) expect(output).not.toContain(decoded)
  expect(output).not.toContain(PAYLOAD_MARKER)
}

describe('token review log line', () => {
  it.each(cases)('$name', async (c) => {
    const { logger, lines } = capture()
    const reviewer = reviewerFor(logger)
    const token = c.token()
    await reviewer.review(token, ['api'])
    expect(lines).toHaveLength(1)
    expect(fieldsOf(lines[0] ?? '')).toEqual(expected(c.want))
    expectNoTokenIn(lines.join(''), token)
  })

  it('a cache hit writes its own line, marked cacheHit', async () => {
    const { logger, lines } = capture()
    const reviewer = reviewerFor(logger)
    const token = issuer.sign(claims())
    // The second hit writes the part it kept from the first: still the same line.
    await reviewer.review(token, ['api'])
    await reviewer.review(token, ['api'])
    await reviewer.review(token, ['api'])
    const rejectedToken = issuer.sign(claims({ deny: true }))
    await reviewer.review(rejectedToken, ['api'])
    await reviewer.review(rejectedToken, ['api'])
    await reviewer.review('not-a-jwt', [])
    await reviewer.review('not-a-jwt', [])
    expect(lines.map(fieldsOf)).toEqual(
      [
        authenticated('jane'),
        authenticated('jane', true),
        authenticated('jane', true),
        rejected('claim_rule_failed', 'claim-rules', DENY_MESSAGE),
        rejected('claim_rule_failed', 'claim-rules', DENY_MESSAGE, true),
        notMine(),
        notMine(true),
      ].map(expected),
    )
    expectNoTokenIn(lines.join(''), token)
    expectNoTokenIn(lines.join(''), rejectedToken)
  })

  it('every refusal reason is written with its reason, step and message', async () => {
    const { logger, lines } = capture()
    const message = 'message with "quotes", a \\ and a\nnewline'
    for (const reason of REJECT_REASONS) {
      const outcome: AuthOutcome = {
        kind: 'rejected',
        issuer: issuer.url,
        rejection: new TokenRejected(reason, 'verify', message),
      }
      await reviewerFor(logger, { authenticate: async () => outcome }).review('t', [])
    }
    expect(lines.map(fieldsOf)).toEqual(
      REJECT_REASONS.map((reason) => expected(rejected(reason, 'verify', message))),
    )
  })

  it('nothing is written at warn', async () => {
    const { logger, lines } = capture('warn')
    await reviewerFor(logger).review(issuer.sign(claims()), [])
    expect(lines).toEqual([])
  })
})
