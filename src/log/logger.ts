/**
 * Structured JSON logs (pino). Tokens never reach a log line: callers log
 * outcomes, reasons and config-derived names only, and as a second line of
 * defence any field named like a credential is censored.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino'

export type Logger = PinoLogger
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LoggerOptions {
  level?: LogLevel
  /** Where lines go (default stderr); tests pass a capturing stream. */
  destination?: DestinationStream
}

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

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'kube-oidc-webhook' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  )
}

/** A logger that drops everything (library defaults, tests that don't read logs). */
export const silentLogger: Logger = pino({ level: 'silent' })
