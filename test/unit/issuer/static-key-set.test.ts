/** Static keys (Kubernetes' oidc.Options.KeySet): ready at once, never stale, never fetched. */
import { describe, expect, it } from '@jest/globals'
import { staticKeySet } from '../../../src/issuer/static-key-set.js'
import { staticTestIssuer } from '../../helpers/issuer.js'

const issuer = staticTestIssuer({ algorithms: ['RS256', 'ES256'] })

describe('staticKeySet', () => {
  it('is ready at once, never stale, never refetches', () => {
    const set = staticKeySet(issuer.jwks())
    expect(set.ready).toBe(true)
    expect(set.stale).toBe(false)
    expect(set.refetchForToken()).toBeUndefined()
    expect(set.candidates('default-ES256').map((k) => k.kid)).toEqual(['default-ES256'])
    expect(set.candidates(undefined)).toHaveLength(2)
  })

  it('refuses what is not a JWKS', () => {
    expect(() => staticKeySet('{not json')).toThrow(/^static key set: oidc: failed to decode keys/)
  })
})
