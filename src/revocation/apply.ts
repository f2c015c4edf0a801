/**
 * The revocation check of one review: after verification and after the result
 * cache, so a cached answer is refused as soon as the list names it and
 * accepted again as soon as the list no longer does.
 */
import { TokenRejected, type AuthOutcome } from '../token/types.js'
import { describeSelector, type RevocationEntry } from './revocation-entry.js'
import type { RevocationList } from './revocation-list.js'

/** The entry of `list` that refuses this outcome at `nowMs`; `undefined` when none does or it is not authenticated. */
export function findRevocation(
  outcome: AuthOutcome,
  list: RevocationList,
  nowMs: number,
): RevocationEntry | undefined {
  if (outcome.kind !== 'authenticated') return undefined
  return list.match(
    { issuer: outcome.issuer, username: outcome.user.username, identity: outcome.identity },
    nowMs,
  )
}

// One rejection per entry, built on first use: a revoked token may be retried often.
const rejections = new WeakMap<RevocationEntry, TokenRejected>()

/** The rejection for tokens refused by `entry`: reason `revoked`, the entry's path and selector in the message. */
export function revocationRejection(entry: RevocationEntry): TokenRejected {
  let rejection = rejections.get(entry)
  if (rejection === undefined) {
    rejection = new TokenRejected(
      'revoked',
      'revocation',
      `token revoked by the revocation list (${entry.path}: ${describeSelector(entry)})`,
    )
    rejections.set(entry, rejection)
  }
  return rejection
}

/** `outcome`, or its refusal when `list` names it at `nowMs`. */
export function applyRevocationList(
  outcome: AuthOutcome,
  list: RevocationList,
  nowMs: number,
): AuthOutcome {
  if (outcome.kind !== 'authenticated') return outcome
  const entry = findRevocation(outcome, list, nowMs)
  if (entry === undefined) return outcome
  return { kind: 'rejected', issuer: outcome.issuer, rejection: revocationRejection(entry) }
}
