/**
 * One entry of a RevocationList once validated: the issuer, what it names
 * (exactly one selector, or `subject` with `issuedBefore`) and until when it applies.
 */
import { formatRfc3339 } from '../go/rfc3339.js'

/** The fields an entry may name, in the order they are checked and described. */
export const SELECTORS = ['subject', 'tokenID', 'sessionID', 'username', 'issuedBefore'] as const
export type Selector = (typeof SELECTORS)[number]

export interface RevocationEntry {
  /** Where the entry sits in the file: `entries[3]`. */
  readonly path: string
  /** The configured `jwt[].issuer.url` whose tokens it names. */
  readonly issuer: string
  readonly subject?: string
  readonly tokenID?: string
  readonly sessionID?: string
  /** The mapped username (prefix included), as `status.user.username` shows it. */
  readonly username?: string
  /** Milliseconds since the epoch: tokens whose `iat` is older (or absent) are refused. */
  readonly issuedBefore?: number
  /** Milliseconds since the epoch: from then on the entry is ignored. */
  readonly expiresAt?: number
}

/** Whether the entry still applies at `nowMs`. */
export function entryInForce(entry: RevocationEntry, nowMs: number): boolean {
  return entry.expiresAt === undefined || nowMs < entry.expiresAt
}

/**
 * What the entry names, without its values: `tokenID`, `subject, issuedBefore
 * 2026-12-03T10:00:00Z`. Safe for `status.error`: it holds nothing from the token.
 */
export function describeSelector(entry: RevocationEntry): string {
  const parts: string[] = []
  for (const selector of SELECTORS) {
    if (entry[selector] === undefined) continue
    parts.push(
      selector === 'issuedBefore' && entry.issuedBefore !== undefined
        ? `issuedBefore ${formatRfc3339(entry.issuedBefore)}`
        : selector,
    )
  }
  return parts.join(', ')
}

/** The entry as written (times in UTC), for `check` and logs. */
export function entryAsWritten(entry: RevocationEntry): Record<string, string> {
  const out: Record<string, string> = { issuer: entry.issuer }
  for (const selector of SELECTORS) {
    const value = entry[selector]
    if (value === undefined) continue
    out[selector] = typeof value === 'number' ? formatRfc3339(value) : value
  }
  if (entry.expiresAt !== undefined) out['expiresAt'] = formatRfc3339(entry.expiresAt)
  return out
}
