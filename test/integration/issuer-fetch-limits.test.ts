/**
 * The issuer HTTP client's limits as the authenticator sets them, over real
 * HTTPS to a loopback issuer: a discovery answer that is garbage, over the body
 * limit or never sent fails cleanly, with the error in the issuer's status.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { authenticatorFor, entryFor } from '../unit/token/authenticator-helpers.js'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function issuerUp(): Promise<TestIssuer> {
  const i = await startTestIssuer()
  stops.push(() => i.stop())
  return i
}

describe('discovery over HTTPS', () => {
  it('garbage, huge and hanging discovery answers fail cleanly', async () => {
    const i = await issuerUp()
    for (const [mode, want] of [
      ['garbage', /^oidc: failed to decode provider discovery object: /],
      ['huge', /response body larger than 1024 bytes$/],
      ['hang', /context deadline exceeded$/],
    ] as const) {
      i.knobs.discovery = mode
      const auth = await authenticatorFor([entryFor(i)], {
        maxResponseBytes: 1024,
        fetchTimeoutMs: 300,
      })
      expect(auth.issuers()[0]?.lastError).toMatch(want)
      await auth.close()
    }
  })
})
