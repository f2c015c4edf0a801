/**
 * What `validate` says about a valid revocation list: how many entries, how
 * many have expired (and can be pruned), and which entries name an issuer the
 * configuration does not have (they can never match: a typo leaves a token valid).
 */
import { goQuote } from '../go/quote.js'
import type { ConfigWarning } from '../warnings/warning.js'
import type { RevocationList } from './revocation-list.js'

export interface RevocationSummary {
  /** `valid RevocationList (3 entries, 1 expired)` */
  readonly line: string
  /** One per entry whose issuer is not configured. */
  readonly warnings: readonly ConfigWarning[]
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
    .map((entry): ConfigWarning => ({
      code: 'WARN_REVOCATION_ISSUER_UNKNOWN',
      path: `${entry.path}.issuer`,
      why: `the revocation list names ${goQuote(entry.issuer)}, which is not the issuer.url of any jwt entry, so this entry can never refuse a token (a typo leaves the token valid).`,
      fix: 'write the issuer exactly as jwt[].issuer.url does, or remove the entry.',
    }))
  return {
    line: `valid RevocationList (${n} entr${n === 1 ? 'y' : 'ies'}, ${expired} expired)`,
    warnings,
  }
}
