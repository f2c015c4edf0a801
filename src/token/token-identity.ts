/**
 * The few claims of a verified token that a revocation list can name (`sub`,
 * `jti`, `sid`, `iat`), read once per verification and kept with the cached
 * answer in place of the token.
 */
import type { TokenIdentity } from './types.js'

/** Longest claim value kept; a revocation entry cannot name anything longer. */
export const MAX_IDENTITY_CLAIM_LENGTH = 1024

// go-oidc's jsonTime accepts a JSON number or a quoted numeral; anything else
// failed verification already.
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_IDENTITY_CLAIM_LENGTH ? value : undefined
}

function secondsClaim(value: unknown): number | undefined {
  let seconds: number
  if (typeof value === 'number') seconds = value
  else if (typeof value === 'string' && NUMBER_LITERAL.test(value)) seconds = Number(value)
  else return undefined
  return Number.isFinite(seconds) ? Math.trunc(seconds) : undefined
}

/** Reads `sub`, `jti`, `sid` and `iat` from a verified payload; absent or ill-typed claims are left out. */
export function tokenIdentity(claims: Readonly<Record<string, unknown>>): TokenIdentity {
  const subject = stringClaim(claims['sub'])
  const tokenID = stringClaim(claims['jti'])
  const sessionID = stringClaim(claims['sid'])
  const issuedAt = secondsClaim(claims['iat'])
  // Assigned member by member rather than spread: this runs on every verified
  // token, and four spreads of fresh literals cost more than the rest of it.
  const identity: { -readonly [K in keyof TokenIdentity]: TokenIdentity[K] } = {}
  if (subject !== undefined) identity.subject = subject
  if (tokenID !== undefined) identity.tokenID = tokenID
  if (sessionID !== undefined) identity.sessionID = sessionID
  if (issuedAt !== undefined) identity.issuedAt = issuedAt
  return identity
}
