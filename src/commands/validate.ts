/**
 * `validate --authentication-config FILE`: the same load, validation and
 * compilation `serve` does, without serving. Every error goes to stderr, one
 * per line, with its field path.
 */
import { loadAuthenticationConfig } from '../config/load.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import type { FlagValues } from '../flags/flags.js'

export async function runValidate(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const path = flags.string('authentication-config') as string
  const result = await loadAuthenticationConfig(path)
  if (!result.ok) {
    for (const line of result.errors) io.stderr.write(`${line}\n`)
    return 1
  }
  const n = result.config.jwt.length
  io.stdout.write(
    `${path}: valid AuthenticationConfiguration (${n} JWT issuer${n === 1 ? '' : 's'})\n`,
  )
  return 0
}
