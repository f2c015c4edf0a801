/**
 * A key set that never fetches: Kubernetes' `oidc.Options.KeySet`. An issuer
 * given one is ready at once, without discovery; unit tests use it with static
 * keys, as Kubernetes' own tests do.
 */
import { importKeySet } from './jwk-import.js'
import type { FetchOutcome, KeySet } from './key-set.js'

/** Imports `jwks` (a JWKS document, as JSON text or an object); throws when it is not one. */
export function staticKeySet(jwks: string | object): KeySet {
  const body = Buffer.from(typeof jwks === 'string' ? jwks : JSON.stringify(jwks), 'utf8')
  const imported = importKeySet(body)
  if (!imported.ok) throw new TypeError(`static key set: ${imported.message}`)
  const set = imported.set
  return {
    ready: true,
    stale: false,
    lastError: undefined,
    candidates: (kid) => (kid === undefined || kid === '' ? set.keys : (set.byKid.get(kid) ?? [])),
    refetchForToken: (): Promise<FetchOutcome> | undefined => undefined,
  }
}
