/**
 * `validate --authentication-config FILE [--revocation-file FILE]`: the same
 * load, validation and compilation `serve` does, without serving. Every error
 * goes to stderr, one per line, with its field path.
 */
import { loadAuthenticationConfig } from '../config/load.js'
import { loadRevocationList, revocationErrorLines } from '../revocation/load.js'
import { revocationSummary } from '../revocation/summary.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import type { FlagValues } from '../flags/flags.js'

export async function runValidate(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const path = flags.string('authentication-config') as string
  const revocationPath = flags.string('revocation-file')
  const [result, revocation] = await Promise.all([
    loadAuthenticationConfig(path),
    revocationPath === undefined ? undefined : loadRevocationList(revocationPath),
  ])
  if (!result.ok || revocation?.ok === false) {
    for (const line of result.ok ? [] : result.errors) io.stderr.write(`${line}\n`)
    if (revocation?.ok === false)
      for (const line of revocationErrorLines(revocation.errors)) io.stderr.write(`${line}\n`)
    return 1
  }
  const n = result.config.jwt.length
  io.stdout.write(
    `${path}: valid AuthenticationConfiguration (${n} JWT issuer${n === 1 ? '' : 's'})\n`,
  )
  if (revocation !== undefined && revocationPath !== undefined) {
    const summary = revocationSummary(
      revocation.list,
      result.config.jwt.map((e) => e.issuer.url),
      Date.now(),
    )
    io.stdout.write(`${revocationPath}: ${summary.line}\n`)
    for (const warning of summary.warnings) io.stderr.write(`warning: ${warning}\n`)
  }
  return 0
}
