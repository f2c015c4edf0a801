/**
 * Log lines gathered in memory and written to a file descriptor in chunks, as
 * nginx's `access_log ... buffer= flush=` and Envoy's access-log flush
 * interval do: one write per few hundred lines instead of one per line. A
 * chunk goes out when `flushBytes` have gathered, every `flushIntervalMs`,
 * on {@link BufferedWriter.flush}, and synchronously when the process exits.
 *
 * Writes are asynchronous so that a reader that stops draining the pipe
 * (a stuck log collector) never stalls reviews; what waits is bounded by
 * `maxBufferedBytes`, beyond which lines are dropped and counted, and the
 * count is reported in a line of its own once writing resumes.
 */
import { write as fsWrite, writeSync } from 'node:fs'

/** Where finished log lines go: one complete line per `write`, newline included. */
export interface LineSink {
  write(line: string): void
}

/** Options of {@link BufferedWriter}; every field optional. */
export interface BufferedWriterOptions {
  /** Default 2 (stderr). */
  fd?: number
  /** Write once this many characters have gathered. Default 16 KiB. */
  flushBytes?: number
  /** Longest a line waits before it is written. Default 100 ms. */
  flushIntervalMs?: number
  /** Gathered plus in-flight characters beyond which new lines are dropped. Default 8 MiB. */
  maxBufferedBytes?: number
  /** The line reporting dropped lines, given their count. */
  droppedLine?: (count: number) => string
  /** Test seam for the asynchronous write (node:fs `write`). */
  writeAsync?: (
    fd: number,
    data: Buffer,
    callback: (err: NodeJS.ErrnoException | null, written: number) => void,
  ) => void
  /** Test seam for the synchronous write at exit (node:fs `writeSync`). */
  writeSync?: (fd: number, data: Buffer) => number
}

const RETRY_MS = 10
/** A non-blocking descriptor that stays full this long (~1 s) at exit is given up. */
const MAX_SYNC_RETRIES = 100

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

export class BufferedWriter implements LineSink {
  readonly #fd: number
  readonly #flushBytes: number
  readonly #maxBufferedBytes: number
  readonly #droppedLine: ((count: number) => string) | undefined
  readonly #writeAsync: NonNullable<BufferedWriterOptions['writeAsync']>
  readonly #writeSync: NonNullable<BufferedWriterOptions['writeSync']>
  readonly #timer: NodeJS.Timeout
  readonly #onExit = (): void => this.flushSync()
  /** Lines gathered since the last write (joined once per chunk: cheaper than growing one string). */
  #pending: string[] = []
  #pendingChars = 0
  /** The chunk being written and how much of it the kernel has taken. */
  #inFlight: Buffer | undefined
  #inFlightDone = 0
  #dropped = 0
  /** Set after a write error other than EAGAIN: the descriptor is gone (EPIPE, EBADF). */
  #broken = false
  #closed = false
  #drained: (() => void)[] = []

  constructor(options: BufferedWriterOptions = {}) {
    this.#fd = options.fd ?? 2
    this.#flushBytes = options.flushBytes ?? 16 * 1024
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024
    this.#droppedLine = options.droppedLine
    this.#writeAsync = options.writeAsync ?? ((fd, data, cb) => fsWrite(fd, data, cb))
    this.#writeSync = options.writeSync ?? ((fd, data) => writeSync(fd, data))
    this.#timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 100)
    this.#timer.unref()
    process.on('exit', this.#onExit)
  }

  /** Lines dropped so far because the descriptor was not keeping up. */
  get dropped(): number {
    return this.#dropped
  }

  write(line: string): void {
    if (this.#broken || this.#closed) return
    const inFlight = this.#inFlight === undefined ? 0 : this.#inFlight.length - this.#inFlightDone
    if (this.#pendingChars + inFlight + line.length > this.#maxBufferedBytes) {
      this.#dropped++
      return
    }
    this.#pending.push(line)
    this.#pendingChars += line.length
    if (this.#pendingChars >= this.#flushBytes && this.#inFlight === undefined) this.#writeNext()
  }

  /** Starts writing what has gathered; `done` is called once everything written so far is out. */
  flush(done?: () => void): void {
    if (done !== undefined) {
      if (this.#idle()) done()
      else this.#drained.push(done)
    }
    if (this.#inFlight === undefined) this.#writeNext()
  }

  /**
   * Writes everything synchronously (process exit, or before writing to the
   * same descriptor by other means). A chunk whose asynchronous write has not
   * reported back is written again from where it last stood: at a hard exit
   * its write may or may not have happened, and a repeated line beats a lost
   * one. A clean shutdown drains through {@link flush} and never gets here
   * with a chunk in flight.
   */
  flushSync(): void {
    if (this.#broken) return
    this.#reportDropped()
    const parts: Buffer[] = []
    if (this.#inFlight !== undefined) parts.push(this.#inFlight.subarray(this.#inFlightDone))
    if (this.#pendingChars > 0) parts.push(this.#take())
    this.#inFlight = undefined
    let retries = 0
    for (const part of parts) {
      let offset = 0
      while (offset < part.length) {
        try {
          offset += this.#writeSync(this.#fd, part.subarray(offset))
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN' && retries++ < MAX_SYNC_RETRIES) {
            sleepSync(RETRY_MS)
            continue
          }
          this.#broken = true
          return
        }
      }
    }
    this.#settle()
  }

  /** Writes what is left synchronously and stops the timer; later lines are ignored. */
  close(): void {
    clearInterval(this.#timer)
    process.off('exit', this.#onExit)
    this.flushSync()
    this.#closed = true
  }

  #idle(): boolean {
    return this.#inFlight === undefined && this.#pendingChars === 0
  }

  #take(): Buffer {
    const chunk = Buffer.from(this.#pending.join(''), 'utf8')
    this.#pending = []
    this.#pendingChars = 0
    return chunk
  }

  #reportDropped(): void {
    if (this.#dropped === 0 || this.#droppedLine === undefined) return
    const line = this.#droppedLine(this.#dropped)
    this.#pending.push(line)
    this.#pendingChars += line.length
    this.#dropped = 0
  }

  #writeNext(): void {
    if (this.#broken) return
    this.#reportDropped()
    if (this.#pendingChars === 0) return this.#settle()
    this.#inFlight = this.#take()
    this.#inFlightDone = 0
    this.#continue()
  }

  #continue(): void {
    const chunk = this.#inFlight
    if (chunk === undefined) return
    this.#writeAsync(this.#fd, chunk.subarray(this.#inFlightDone), (err, written) => {
      // flushSync may have taken over this chunk meanwhile.
      if (this.#inFlight !== chunk) return
      if (err !== null) {
        if (err.code === 'EAGAIN') {
          setTimeout(() => this.#continue(), RETRY_MS).unref()
          return
        }
        this.#broken = true
        this.#inFlight = undefined
        this.#pending = []
        this.#pendingChars = 0
        this.#settle()
        return
      }
      this.#inFlightDone += written
      if (this.#inFlightDone < chunk.length) return this.#continue()
      this.#inFlight = undefined
      if (this.#pendingChars >= this.#flushBytes || this.#drained.length > 0) this.#writeNext()
      else this.#settle()
    })
  }

  #settle(): void {
    if (!this.#broken && !this.#idle()) return
    const waiting = this.#drained
    this.#drained = []
    for (const done of waiting) done()
  }
}
