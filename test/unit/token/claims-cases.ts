/**
 * Table cases for what follows verification: a config patch (mappings, claim
 * rules, user rules) and claims over a signed token, run through a whole
 * authenticator with static keys.
 */
import { staticTestIssuer } from '../../helpers/issuer.js'
import { VALID_EXP_S } from '../../helpers/fixed-clock.js'
import type { Json } from '../../helpers/tokens.js'
import { authenticatorFor, entryFor, summarize, type JwtEntry } from './authenticator-helpers.js'

const issuer = staticTestIssuer({ algorithms: ['RS256'] })

export interface Case {
  name: string
  mappings?: Json
  rules?: Json[]
  userRules?: Json[]
  claims?: Json
  want: unknown
}

export async function run(c: Case): Promise<unknown> {
  const patch: JwtEntry = {}
  if (c.mappings !== undefined) patch.claimMappings = c.mappings
  if (c.rules !== undefined) patch.claimValidationRules = c.rules
  if (c.userRules !== undefined) patch.userValidationRules = c.userRules
  const auth = await authenticatorFor([entryFor(issuer, patch)], {
    keySetFor: (i) => issuer.keySetFor(i),
  })
  try {
    const claims: Json = {
      iss: issuer.url,
      aud: 'my-client',
      exp: VALID_EXP_S,
      sub: 'u-1',
      ...c.claims,
    }
    return summarize(await auth.authenticate(issuer.sign(claims)))
  } finally {
    await auth.close()
  }
}

export const user = (
  username: string,
  more: Partial<{ uid: string; groups: string[]; extra: Record<string, string[]> }> = {},
) => ({
  kind: 'authenticated',
  user: { username, uid: more.uid ?? '', groups: more.groups ?? [], extra: more.extra ?? {} },
})
export const rejected = (reason: string, message: string) => ({ kind: 'rejected', reason, message })
export const byClaim = (claim: string, prefix = '') => ({ username: { claim, prefix } })
export const SUB = byClaim('sub')
