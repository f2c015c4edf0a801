import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readFile, realpath } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

/** Options of {@link watchFile} and {@link watchFiles}; every field optional. */
export interface WatchFileOptions {
  /** How often the content is re-read regardless of notifications, in ms. `0` turns polling off. Default 1000. */
  pollIntervalMs?: number
  /** Quiet time after the last filesystem notification before re-reading, in ms. Default 100. */
  debounceMs?: number
  /** Also listen to filesystem notifications (fs.watch on the parent directories). Default true. */
  useFsWatch?: boolean
  /**
   * The content the caller has already applied (one Buffer per path). When given,
   * a first read that differs is delivered; when absent, the first successful
   * read becomes the baseline silently.
   */
  initial?: readonly Buffer[]
  /**
   * Told about read failures (once per failure streak, e.g. a file briefly
   * missing) and about errors thrown by `onChange`. Never throws into the watcher.
   */
  onError?: (err: unknown) => void
}

/** A running watcher. */
export interface FileWatcher {
  /** Settles once the baseline has been read (or the first read failed). */
  readonly baselineRead: Promise<void>
  /** Re-reads now (serialised with other reads); resolves when that read has finished. */
  reread(): Promise<void>
  /** Stops notifications and polling; idempotent. */
  close(): void
}

const DEFAULTS = { pollIntervalMs: 1000, debounceMs: 100 } as const

function positiveOption(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`"${name}" option must be a non-negative integer, got ${String(value)}`)
  }
  return value
}

function digest(contents: readonly Buffer[]): string {
  const hash = createHash('sha256')
  for (const content of contents) {
    const length = Buffer.alloc(8)
    length.writeBigUInt64BE(BigInt(content.length))
    hash.update(length).update(content)
  }
  return hash.digest('hex')
}

/**
 * Calls `onChange` with the file's bytes whenever they differ from the bytes
 * last delivered (or the baseline).
 *
 * Notices in-place writes, editors that write a new file and rename it over the
 * old one, a file briefly missing, and Kubernetes ConfigMap/Secret volume
 * updates, where `name -> ..data/name` stays put and the `..data` symlink is
 * swapped atomically to a new directory (kubernetes `pkg/volume/util/
 * atomic_writer.go`), so the file itself is never written. It does so by
 * watching the parent directory of the path and of its resolved target (not the
 * file: a watch on a replaced inode goes silent), by re-reading on a timer as
 * kube-apiserver's own config controller does, and by comparing a SHA-256 of
 * the content rather than trusting events or mtimes.
 *
 * `onChange` may be async; deliveries are serialised. A read failure is not a
 * change: the last content stays the reference, so a file restored with the same
 * bytes is not delivered again.
 */
export function watchFile(
  path: string,
  onChange: (content: Buffer) => void | Promise<void>,
  options: WatchFileOptions = {},
): FileWatcher {
  return watchFiles(
    [path],
    (contents) => {
      const [content] = contents
      return content === undefined ? undefined : onChange(content)
    },
    options,
  )
}

/**
 * Like {@link watchFile} for files that belong together (a TLS certificate and
 * its key): all are read in one pass and delivered together, in the order of
 * `paths`, when any of them changed; nothing is delivered while any is unreadable.
 * Files replaced one after the other may be delivered as a mismatched pair
 * in between; the consumer must then keep what it had, and the next change
 * delivers the matching pair.
 */
export function watchFiles(
  paths: readonly string[],
  onChange: (contents: Buffer[]) => void | Promise<void>,
  options: WatchFileOptions = {},
): FileWatcher {
  if (paths.length === 0) throw new TypeError('"paths" must name at least one file')
  const pollIntervalMs = positiveOption(
    'pollIntervalMs',
    options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
  )
  const debounceMs = positiveOption('debounceMs', options.debounceMs ?? DEFAULTS.debounceMs)
  const useFsWatch = options.useFsWatch ?? true
  const onError = options.onError ?? (() => {})
  const absolute = paths.map((p) => resolve(p))
  if (options.initial !== undefined && options.initial.length !== paths.length) {
    throw new TypeError('"initial" option must hold one Buffer per path')
  }

  let lastDigest = options.initial === undefined ? undefined : digest(options.initial)
  let closed = false
  let failing = false
  let running: Promise<void> | undefined
  let again = false
  let debounce: NodeJS.Timeout | undefined
  const watchers = new Map<string, FSWatcher>()

  const report = (err: unknown): void => {
    try {
      onError(err)
    } catch {
      // A failing error handler must not stop the watcher.
    }
  }

  const schedule = (): void => {
    if (closed) return
    if (debounce !== undefined) clearTimeout(debounce)
    debounce = setTimeout(() => {
      debounce = undefined
      void reread()
    }, debounceMs)
    debounce.unref()
  }

  const unwatch = (dir: string): void => {
    const watcher = watchers.get(dir)
    watchers.delete(dir)
    try {
      watcher?.close()
    } catch {
      // Already closed by the platform.
    }
  }

  // Which directories to listen on moves with the symlinks (a new ..data target), so recompute them per read.
  const refreshWatches = async (): Promise<void> => {
    if (!useFsWatch || closed) return
    const wanted = new Set<string>()
    for (const p of absolute) {
      wanted.add(dirname(p))
      try {
        wanted.add(dirname(await realpath(p)))
      } catch {
        // Missing right now; the parent directory watch and the poll cover it.
      }
    }
    if (closed) return
    for (const dir of [...watchers.keys()]) if (!wanted.has(dir)) unwatch(dir)
    for (const dir of wanted) {
      if (watchers.has(dir)) continue
      try {
        const watcher = watch(dir, { persistent: false }, schedule)
        watcher.on('error', () => {
          // The directory went away (an old ..data target); the next read re-establishes watches.
          if (watchers.get(dir) === watcher) unwatch(dir)
          schedule()
        })
        watchers.set(dir, watcher)
      } catch {
        // Directory missing or not watchable: polling still notices changes.
      }
    }
  }

  const runCheck = async (): Promise<void> => {
    let contents: Buffer[]
    try {
      contents = await Promise.all(absolute.map((p) => readFile(p)))
    } catch (err) {
      if (!failing) report(err)
      failing = true
      return
    } finally {
      await refreshWatches()
    }
    failing = false
    if (closed) return
    const current = digest(contents)
    if (lastDigest === undefined) {
      lastDigest = current
      return
    }
    if (current === lastDigest) return
    lastDigest = current
    try {
      await onChange(contents)
    } catch (err) {
      report(err)
    }
  }

  const reread = (): Promise<void> => {
    if (closed) return Promise.resolve()
    if (running !== undefined) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await runCheck()
        } while (again && !closed)
      } catch (err) {
        report(err)
      } finally {
        running = undefined
      }
    })()
    return running
  }

  const poll = pollIntervalMs > 0 ? setInterval(() => void reread(), pollIntervalMs) : undefined
  poll?.unref()
  const baselineRead = reread()

  return {
    baselineRead,
    reread,
    close(): void {
      if (closed) return
      closed = true
      if (poll !== undefined) clearInterval(poll)
      if (debounce !== undefined) clearTimeout(debounce)
      for (const dir of [...watchers.keys()]) unwatch(dir)
    },
  }
}
