import type { Logger } from '../log/logger.js'
import type { ConfigWarning } from './warning.js'

/** One `warn` line per warning, as `serve` writes them each time a config is loaded. */
export function logConfigWarnings(logger: Logger, warnings: readonly ConfigWarning[]): void {
  for (const w of warnings) {
    logger.warn({ code: w.code, path: w.path, why: w.why, fix: w.fix }, 'config warning')
  }
}
