/**
 * A password in a URL from the IdP is never printed: a `jwks_uri` or distributed-claims
 * endpoint with `user:password@` shows as `user:***@` (as Go's net/http client
 * shows it) in `status.error`, the readiness conditions and the logs. Issuers
 * in memory: nothing answers at 127.0.0.1:1.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import { memoryNetwork, type MemoryNetwork } from '../../helpers/memory-issuer.js'
import { captureLogger } from '../http/fixture.js'
import {
  authenticatorFor as authenticatorOn,
  entryFor,
  summarize,
  type JwtEntry,
} from '../token/authenticator-helpers.js'
import type { AuthenticatorOptions } from '../../../src/token/authenticator.js'

const SECRET = 's3cret-pw'

describe('URLs with credentials from the IdP', () => {
  const stops: Array<() => Promise<void>> = []
  afterEach(async () => {
    while (stops.length > 0) await stops.pop()?.()
  })

  let net: MemoryNetwork
  beforeEach(() => {
    net = memoryNetwork()
  })

  const authenticatorFor = (entries: JwtEntry[], options: AuthenticatorOptions = {}) =>
    authenticatorOn(entries, { ...net.options(), ...options })

  it('a jwks_uri with a password is redacted in conditions, lastError and logs', async () => {
    const i = net.issuer()
    i.knobs.jwksURI = `https://alice:${SECRET}@127.0.0.1:1/jwks`
    const lines: string[] = []
    const auth = await authenticatorFor([entryFor(i)], { logger: captureLogger(lines) })
    stops.push(() => auth.close())
    const outcome = await auth.authenticate(
      i.sign({ iss: i.url, aud: 'my-client', exp: VALID_EXP_S, username: 'jane' }),
    )
    const status = auth.issuers()[0]
    expect(status?.conditions.find((c) => c.type === 'DiscoveryValid')?.message).toBe(
      'discovered https://alice:***@127.0.0.1:1/jwks',
    )
    expect(status?.lastError).toMatch(
      /^oidc: get keys failed Get "https:\/\/alice:\*\*\*@127\.0\.0\.1:1\/jwks": /,
    )
    expect(summarize(outcome)).toMatchObject({
      message: expect.stringContaining('alice:***@127.0.0.1:1') as unknown as string,
    })
    const everything = JSON.stringify({ status, outcome: summarize(outcome), lines })
    expect(lines.join('')).toContain('alice:***@')
    expect(everything).not.toContain(SECRET)
  })

  it.each([
    [
      'an endpoint that serves no JWT',
      'nope',
      200,
      'oidc: could not expand distributed claims: getting untrusted issuer from endpoint https://bob:***@HOST/claims/x failed for claim "groups": malformed token',
    ],
    [
      'an endpoint whose JWT lacks the claim',
      'SIGNED',
      200,
      'oidc: could not expand distributed claims: jwt returned by distributed claim endpoint "https://bob:***@HOST/claims/x" did not contain claim: groups',
    ],
  ])('a distributed-claims endpoint with a password: %s', async (_name, body, status, message) => {
    const i = net.issuer()
    const signed = i.sign({ iss: i.url, aud: 'my-client', exp: VALID_EXP_S })
    const plain = i.serveClaims('/claims/x', body === 'SIGNED' ? signed : body, status)
    const endpoint = plain.replace('https://', `https://bob:${SECRET}@`)
    const auth = await authenticatorFor([
      entryFor(i, {
        claimMappings: {
          username: { claim: 'username', prefix: '' },
          groups: { claim: 'groups', prefix: '' },
        },
      }),
    ])
    stops.push(() => auth.close())
    const token = i.sign({
      iss: i.url,
      aud: 'my-client',
      exp: VALID_EXP_S,
      username: 'jane',
      _claim_names: { groups: 'src' },
      _claim_sources: { src: { endpoint } },
    })
    const outcome = summarize(await auth.authenticate(token))
    expect(outcome).toMatchObject({
      message: message.replace('HOST', new URL(i.origin).host),
    })
    expect(JSON.stringify(outcome)).not.toContain(SECRET)
  })
})
