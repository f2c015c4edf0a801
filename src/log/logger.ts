/**
 * Structured JSON logs (pino) on stderr, written through one buffer
 * (./buffered-writer.ts). Tokens never reach a log line: callers log
 * outcomes, reasons and config-derived names only, and as a second line of
 * defence pino censors any field named like a credential.
 *
 * A line logged once per review skips pino: {@link preformattedLine} takes
 * fields the caller serialised from values that are safe by construction, so
 * it needs neither pino's object walk nor its redaction pass.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino'
import { BufferedWriter, type LineSink } from './buffered-writer.js'
import { isoTime } from './iso-time.js'

export type Logger = PinoLogger
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LoggerOptions {
  level?: LogLevel
  /** Where lines go, unbuffered (default: stderr through a buffer); tests pass a capturing stream. */
  destination?: DestinationStream
}

const SERVICE = 'kube-oidc-webhook'

const REDACT_PATHS = [
  'token',
  '*.token',
  'spec.token',
  '*.spec.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'claims',
  '*.claims',
  'payload',
  '*.payload',
]

/** What a logger writes to, kept beside it for {@link preformattedLine} and {@link flushLogsSync}. */
const sinks = new WeakMap<Logger, LineSink>()

/** `{"level":"warn","time":"` ... up to the caller's fields. */
function linePrefix(level: LogLevel): string {
  return `{"level":"${level}","time":"`
}
const AFTER_TIME = `","service":"${SERVICE}"`

function droppedLine(count: number): string {
  return `${linePrefix('warn')}${isoTime()}${AFTER_TIME},"dropped":${count},"msg":"log lines dropped: stderr is not keeping up"}\n`
}

/**
 * pino's own lines (start-up, reloads, warnings) are rare: they are written
 * out on the next turn of the event loop rather than after the buffer's
 * interval, so an operator sees a warning at once.
 */
function promptly(writer: BufferedWriter): DestinationStream & LineSink {
  let scheduled = false
  const flushNow = (): void => {
    scheduled = false
    writer.flush()
  }
  return {
    write(line: string) {
      writer.write(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(flushNow)
      }
    },
    flush(done?: () => void) {
      writer.flush(done)
    },
  } as DestinationStream & LineSink
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const writer = opts.destination === undefined ? new BufferedWriter({ droppedLine }) : undefined
  const stream = writer === undefined ? (opts.destination as DestinationStream) : promptly(writer)
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: { service: SERVICE },
      timestamp: () => `,"time":"${isoTime()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    stream,
  )
  sinks.set(logger, writer ?? stream)
  return logger
}

/** A logger that drops everything (library defaults, tests that don't read logs). */
export const silentLogger: Logger = pino({ level: 'silent' })

function sinkOf(logger: Logger): LineSink {
  const known = sinks.get(logger)
  if (known !== undefined) return known
  // A logger made elsewhere (a child, a test's own pino): its own stream.
  return (logger as unknown as Record<symbol, LineSink>)[pino.symbols.streamSym] as LineSink
}

/**
 * A writer for one kind of line at `level` with message `msg`, in the same
 * shape as the logger's own lines (`level`, `time`, `service`, the fields,
 * `msg`). `fields` are JSON members, each led by a comma
 * (`,"result":"not_mine"`); the caller serialises them and vouches that none
 * holds a credential. The caller also checks `logger.isLevelEnabled(level)`.
 */
export function preformattedLine(
  logger: Logger,
  level: LogLevel,
  msg: string,
): (fields: string) => void {
  const sink = sinkOf(logger)
  const head = linePrefix(level)
  const tail = `,"msg":${JSON.stringify(msg)}}\n`
  return (fields) => sink.write(head + isoTime() + AFTER_TIME + fields + tail)
}

/** Writes out whatever the logger's buffer holds, synchronously (before writing to stderr directly). */
export function flushLogsSync(logger: Logger): void {
  const sink = sinks.get(logger)
  if (sink instanceof BufferedWriter) sink.flushSync()
}
