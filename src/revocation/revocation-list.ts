/**
 * A validated RevocationList, indexed so that a review costs a few hash-map
 * lookups whatever the list's length: per issuer, one map per selector keyed by
 * the value it names, and the `issuedBefore` cut-offs sorted newest first.
 */
import type { TokenIdentity } from '../token/types.js'
import { entryInForce, type RevocationEntry } from './revocation-entry.js'

type ValueSelector = 'subject' | 'tokenID' | 'sessionID' | 'username'

interface IssuerIndex {
  readonly byValue: Record<ValueSelector, Map<string, RevocationEntry[]>>
  /** `subject` with `issuedBefore`, by subject; each list newest cut-off first. */
  readonly subjectIssuedBefore: Map<string, RevocationEntry[]>
  /** `issuedBefore` alone; newest cut-off first. */
  readonly issuedBefore: RevocationEntry[]
}

/** What a review is matched on: the configured issuer, the mapped username and the token's claims. */
export interface RevocationSubject {
  readonly issuer: string
  readonly username: string
  readonly identity: TokenIdentity | undefined
}

function newIndex(): IssuerIndex {
  return {
    byValue: { subject: new Map(), tokenID: new Map(), sessionID: new Map(), username: new Map() },
    subjectIssuedBefore: new Map(),
    issuedBefore: [],
  }
}

function push(map: Map<string, RevocationEntry[]>, key: string, entry: RevocationEntry): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [entry])
  else list.push(entry)
}

const newestFirst = (a: RevocationEntry, b: RevocationEntry): number =>
  (b.issuedBefore ?? 0) - (a.issuedBefore ?? 0)

function firstInForce(
  entries: readonly RevocationEntry[] | undefined,
  nowMs: number,
): RevocationEntry | undefined {
  if (entries === undefined) return undefined
  for (const entry of entries) if (entryInForce(entry, nowMs)) return entry
  return undefined
}

/**
 * The newest cut-off in force decides: a token issued at or after it is not
 * named by any older cut-off either. A token without `iat` counts as older.
 */
function issuedBeforeMatch(
  entries: readonly RevocationEntry[] | undefined,
  issuedAt: number | undefined,
  nowMs: number,
): RevocationEntry | undefined {
  const entry = firstInForce(entries, nowMs)
  if (entry?.issuedBefore === undefined) return undefined
  return issuedAt === undefined || issuedAt * 1000 < entry.issuedBefore ? entry : undefined
}

export class RevocationList {
  /** The list in force when no `--revocation-file` is given. */
  static readonly EMPTY = new RevocationList([], '')

  readonly #byIssuer = new Map<string, IssuerIndex>()

  /**
   * @param entries validated entries, in file order.
   * @param hash `sha256:<hex>` of the file's bytes (empty for {@link EMPTY}).
   */
  constructor(
    readonly entries: readonly RevocationEntry[],
    readonly hash: string,
  ) {
    for (const entry of entries) {
      let index = this.#byIssuer.get(entry.issuer)
      if (index === undefined) this.#byIssuer.set(entry.issuer, (index = newIndex()))
      if (entry.issuedBefore !== undefined) {
        if (entry.subject === undefined) index.issuedBefore.push(entry)
        else push(index.subjectIssuedBefore, entry.subject, entry)
        continue
      }
      for (const selector of ['subject', 'tokenID', 'sessionID', 'username'] as const) {
        const value = entry[selector]
        if (value !== undefined) push(index.byValue[selector], value, entry)
      }
    }
    for (const index of this.#byIssuer.values()) {
      index.issuedBefore.sort(newestFirst)
      for (const list of index.subjectIssuedBefore.values()) list.sort(newestFirst)
    }
  }

  /** Entries whose `expiresAt` has passed at `nowMs` (ignored; they can be pruned). */
  expiredCount(nowMs: number): number {
    let n = 0
    for (const entry of this.entries) if (!entryInForce(entry, nowMs)) n++
    return n
  }

  /**
   * The entry that refuses this token at `nowMs`, or `undefined`. Checked in a
   * fixed order: tokenID, sessionID, subject, username, subject with
   * issuedBefore, issuedBefore; among entries naming the same value, the first
   * in force in file order (the newest cut-off for issuedBefore).
   */
  match(subject: RevocationSubject, nowMs: number): RevocationEntry | undefined {
    const index = this.#byIssuer.get(subject.issuer)
    if (index === undefined) return undefined
    const id = subject.identity ?? {}
    const { byValue } = index
    return (
      (id.tokenID === undefined
        ? undefined
        : firstInForce(byValue.tokenID.get(id.tokenID), nowMs)) ??
      (id.sessionID === undefined
        ? undefined
        : firstInForce(byValue.sessionID.get(id.sessionID), nowMs)) ??
      (id.subject === undefined
        ? undefined
        : firstInForce(byValue.subject.get(id.subject), nowMs)) ??
      firstInForce(byValue.username.get(subject.username), nowMs) ??
      (id.subject === undefined
        ? undefined
        : issuedBeforeMatch(index.subjectIssuedBefore.get(id.subject), id.issuedAt, nowMs)) ??
      issuedBeforeMatch(index.issuedBefore, id.issuedAt, nowMs)
    )
  }
}
