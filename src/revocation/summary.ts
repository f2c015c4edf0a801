/**
 * What `validate` says about a valid revocation list: how many entries, how
 * many have expired (and can be pruned), and which entries name an issuer the
 * configuration does not have (they can never match: a typo leaves a token valid).
 */
import { goQuote } from '../go/quote.js'
import type { RevocationList } from './revocation-list.js'

export interface RevocationSummary {
  /** `valid RevocationList (3 entries, 1 expired)` */
  readonly line: string
  /** One line per entry whose issuer is not configured. */
  readonly warnings: readonly string[]
}

export function revocationSummary(
  list: RevocationList,
  configuredIssuers: readonly string[],
  nowMs: number,
): RevocationSummary {
  const n = list.entries.length
  const expired = list.expiredCount(nowMs)
  const known = new Set(configuredIssuers)
  const warnings = list.entries
    .filter((entry) => !known.has(entry.issuer))
    .map(
      (entry) =>
        `revocation list: ${entry.path}.issuer: ${goQuote(entry.issuer)} is not the issuer.url of any jwt entry of the configuration; the entry can never match`,
    )
  return {
    line: `valid RevocationList (${n} entr${n === 1 ? 'y' : 'ies'}, ${expired} expired)`,
    warnings,
  }
}
