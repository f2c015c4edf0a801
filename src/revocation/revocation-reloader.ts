/**
 * Hot reload of `--revocation-file`, the way the AuthenticationConfiguration
 * is reloaded: the same watcher (filesystem notifications plus a re-read every
 * second, by content hash, so ConfigMap symlink swaps are seen); content that
 * was applied or refused before is ignored; a file that does not decode or
 * validate is refused with an error log and one failure counted, and the list
 * in force stays. A valid list is swapped in at once: it needs no discovery.
 */
import { createHash } from 'node:crypto'
import type { Logger } from '../log/logger.js'
import type { Sha256Label } from '../metrics/labels.js'
import type { WebhookMetrics } from '../metrics/registry.js'
import { systemClock, type Clock } from '../runtime/clock.js'
import { watchFile, type FileWatcher } from '../runtime/watch-file.js'
import { logConfigWarnings } from '../warnings/log-warnings.js'
import { parseRevocationList } from './parse.js'
import type { RevocationList } from './revocation-list.js'
import { revocationSummary } from './summary.js'

export interface RevocationReloaderOptions {
  readonly path: string
  /** The list in force at start and the bytes it came from. */
  readonly initial: { readonly list: RevocationList; readonly bytes: Buffer }
  readonly logger: Logger
  readonly metrics?: WebhookMetrics
  /** Re-read period (default 1000 ms; filesystem notifications act sooner). */
  readonly pollIntervalMs?: number
  /** Counts the expired entries of a new list for the log line. Default the system clock. */
  readonly clock?: Clock
  /**
   * The `jwt[].issuer.url`s of the config in force: a new list's entries naming
   * another issuer are logged as warnings, as `validate` prints them.
   */
  readonly configuredIssuers?: () => readonly string[]
}

function digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

export class RevocationReloader {
  #current: RevocationList
  #refusedDigest: string | undefined
  #watcher: FileWatcher | undefined
  #closed = false
  readonly #opts: RevocationReloaderOptions

  constructor(opts: RevocationReloaderOptions) {
    this.#opts = opts
    this.#current = opts.initial.list
  }

  /** The list in force. */
  get current(): RevocationList {
    return this.#current
  }

  /** Starts watching; resolves once the watcher has its baseline. */
  async start(): Promise<void> {
    this.#watcher = watchFile(this.#opts.path, (bytes) => this.apply(bytes), {
      pollIntervalMs: this.#opts.pollIntervalMs ?? 1000,
      initial: [this.#opts.initial.bytes],
      onError: (err) =>
        this.#opts.logger.warn(
          { path: this.#opts.path, err: (err as Error).message },
          'reading the revocation list failed',
        ),
    })
    await this.#watcher.baselineRead
  }

  /** Considers new file content (called by the watcher; public for tests). */
  apply(bytes: Buffer): void {
    if (this.#closed) return
    const hash = digest(bytes)
    if (hash === this.#current.hash || hash === this.#refusedDigest) return
    const { logger, metrics, path } = this.#opts
    const parsed = parseRevocationList(bytes)
    if (!parsed.ok) {
      this.#refusedDigest = hash
      metrics?.recordRevocationReload('failure')
      logger.error(
        { path, errors: parsed.errors },
        'refused the new revocation list; the previous one stays in force',
      )
      return
    }
    const list = parsed.list
    this.#current = list
    this.#refusedDigest = undefined
    metrics?.recordRevocationReload('success', {
      hash: list.hash as Sha256Label,
      entries: list.entries.length,
    })
    const nowMs = (this.#opts.clock ?? systemClock).now().getTime()
    logger.info(
      { path, hash: list.hash, entries: list.entries.length, expired: list.expiredCount(nowMs) },
      'reloaded revocation list',
    )
    const issuers = this.#opts.configuredIssuers
    if (issuers !== undefined)
      logConfigWarnings(logger, revocationSummary(list, issuers(), nowMs).warnings)
  }

  /** Stops watching. */
  close(): void {
    this.#closed = true
    this.#watcher?.close()
  }
}
