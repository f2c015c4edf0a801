/**
 * Property-based tests (fast-check, fixed seed, bounded runs) over the parts
 * that see attacker-controlled input first: the TokenReview decoder, the
 * untrusted-issuer peek, and the claim mappings.
 */
import fc from 'fast-check'
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { HttpError } from '../../src/http/errors.js'
import { decodeTokenReview } from '../../src/http/parse-token-review.js'
import { mapExtra, mapGroups } from '../../src/token/map-claims.js'
import { TokenRejected } from '../../src/token/types.js'
import { peekUntrustedIssuer } from '../../src/token/untrusted-issuer.js'

const RUNS = { seed: 42, numRuns: 200 }
const token = fc.string({ minLength: 8, maxLength: 200 }).map((s) => `tok-${s}-en`)

const reviewShaped = fc.record(
  {
    kind: fc.oneof(fc.constant('TokenReview'), fc.string(), fc.integer()),
    apiVersion: fc.oneof(
      fc.constantFrom('authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1'),
      fc.string(),
    ),
    spec: fc.oneof(
      fc.record(
        {
          token: fc.oneof(token, fc.jsonValue()),
          audiences: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
)

describe('decodeTokenReview', () => {
  it('throws nothing but HttpError, on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          reviewShaped.map((r) => JSON.stringify(r)),
        ),
        (text) => {
          try {
            const review = decodeTokenReview(text)
            expect(typeof review.token).toBe('string')
            expect(review.token.length).toBeGreaterThan(0)
            expect(review.audiences.every((a) => typeof a === 'string')).toBe(true)
          } catch (err) {
            expect(err).toBeInstanceOf(HttpError)
          }
        },
      ),
      RUNS,
    )
  })

  it('never echoes the token in its error', () => {
    fc.assert(
      fc.property(reviewShaped, token, (review, t) => {
        const body = JSON.stringify({
          ...review,
          spec: {
            ...(typeof review.spec === 'object' && review.spec !== null ? review.spec : {}),
            token: t,
            audiences: [t, 1],
          },
        })
        try {
          decodeTokenReview(body)
        } catch (err) {
          expect((err as HttpError).message.includes(t)).toBe(false)
          expect([400]).toContain((err as HttpError).statusCode)
          return
        }
      }),
      RUNS,
    )
  })
})

describe('peekUntrustedIssuer', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64url')
  it('never throws, on any string or any three JSON-ish parts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .tuple(fc.string(), fc.oneof(fc.json(), fc.string()), fc.string())
            .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
          fc.jsonValue().map((v) => `x.${b64(JSON.stringify({ iss: v }))}.y`),
        ),
        (t) => {
          const peeked = peekUntrustedIssuer(t)
          if (peeked !== undefined) {
            expect(typeof peeked.issuer).toBe('string')
            expect(peeked.parts.join('.')).toBe(t)
          }
        },
      ),
      RUNS,
    )
  })
})

describe('claim mapping', () => {
  const parsed = parseAuthenticationConfig(
    JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: 'https://issuer.example', audiences: ['a'] },
          claimMappings: {
            username: { claim: 'sub', prefix: '' },
            groups: { expression: 'claims.?groups.orValue([])' },
            extra: [
              { key: 'example.org/a', valueExpression: 'claims.?a.orValue(null)' },
              { key: 'example.org/b', valueExpression: 'claims.?b.orValue("")' },
            ],
          },
        },
        {
          issuer: { url: 'https://claim.example', audiences: ['a'] },
          claimMappings: {
            username: { claim: 'sub', prefix: '' },
            groups: { claim: 'groups', prefix: 'p:' },
          },
        },
      ],
    }),
  )
  if (!parsed.ok) throw new Error(parsed.errors.join('; '))
  const [celEntry, claimEntry] = parsed.config.jwt
  const claimValue = fc.oneof(
    fc.jsonValue(),
    fc.array(fc.oneof(fc.string(), fc.constant(null), fc.integer())),
    fc.string(),
  )

  it('groups and extra are arrays of strings (never null inside) or a TokenRejected', () => {
    fc.assert(
      fc.property(
        fc.record({ groups: claimValue, a: claimValue, b: claimValue }, { requiredKeys: [] }),
        (claims) => {
          const activation = () => toClaimsActivation(claims)
          for (const entry of [celEntry, claimEntry]) {
            const m = entry!.claimMappings
            try {
              const groups = mapGroups(m.groups, claims, activation)
              expect(Array.isArray(groups)).toBe(true)
              for (const g of groups) expect(typeof g).toBe('string')
              const extra = mapExtra(m.extra, claims, activation)
              for (const values of Object.values(extra)) {
                expect(values.length).toBeGreaterThan(0)
                for (const v of values) expect(typeof v).toBe('string')
              }
            } catch (err) {
              expect(err).toBeInstanceOf(TokenRejected)
            }
          }
        },
      ),
      RUNS,
    )
  })
})
