/** The process streams a command uses; tests pass their own. */
import type { Readable } from 'node:stream'

export interface CliIO {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  readonly stdin: Readable
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
}

/** Exit status of the contract: 0 success, 1 failure. */
export type ExitCode = 0 | 1
