/**
 * Shared set-up for token pipeline tests: a config for one test issuer and an
 * authenticator over it. With a static issuer (no server) its keys are handed
 * over as a static key set and nothing is fetched; an issuer in memory comes
 * with its own HTTP client and clock options.
 */
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import { fixedClock } from '../../../src/runtime/clock.js'
import {
  createConfigAuthenticator,
  type AuthenticatorOptions,
  type ConfigAuthenticator,
} from '../../../src/token/authenticator.js'
import type { AuthOutcome } from '../../../src/token/types.js'
import { NOW } from '../../helpers/fixed-clock.js'

export type JwtEntry = Record<string, unknown>

/** A `jwt[]` entry for `issuer`, with `patch` merged over the top-level sections. */
export function entryFor(
  issuer: { readonly url: string; readonly caPem?: string | undefined },
  patch: JwtEntry = {},
): JwtEntry {
  const base: JwtEntry = {
    issuer: {
      url: issuer.url,
      ...(issuer.caPem === undefined ? {} : { certificateAuthority: issuer.caPem }),
      audiences: ['my-client'],
    },
    claimMappings: { username: { claim: 'username', prefix: '' } },
  }
  const issuerPatch = (patch.issuer ?? {}) as Record<string, unknown>
  return { ...base, ...patch, issuer: { ...(base.issuer as object), ...issuerPatch } }
}

export async function authenticatorFor(
  entries: JwtEntry[],
  options: AuthenticatorOptions = {},
): Promise<ConfigAuthenticator> {
  const text = JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: entries,
  })
  const parsed = parseAuthenticationConfig(text)
  if (!parsed.ok) throw new Error(`bad test config: ${parsed.errors.join('; ')}`)
  const auth = createConfigAuthenticator(parsed.config, { clock: fixedClock(NOW), ...options })
  await auth.waitForFirstAttempts(10_000)
  return auth
}

/** The outcome reduced to what tests compare. */
export function summarize(outcome: AuthOutcome): unknown {
  switch (outcome.kind) {
    case 'not-mine':
      return { kind: 'not-mine' }
    case 'authenticated':
      return { kind: 'authenticated', user: outcome.user }
    case 'rejected':
      return {
        kind: 'rejected',
        reason: outcome.rejection.reason,
        message: outcome.rejection.message,
        ...(outcome.rejection.transient ? { transient: true } : {}),
      }
  }
}
