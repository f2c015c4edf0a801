/**
 * `validate --authentication-config FILE [--revocation-file FILE]
 * [--warnings-as-errors]`: the same load, validation and compilation `serve`
 * does, without serving. Every error goes to stderr, one per line, with its
 * field path; a valid file's warnings follow on stderr, and fail the run only
 * with `--warnings-as-errors`.
 */
import { configErrorLines, loadAuthenticationConfig } from '../config/load.js'
import { loadRevocationList, revocationErrorLines } from '../revocation/load.js'
import { revocationSummary } from '../revocation/summary.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import type { FlagValues } from '../flags/flags.js'
import { configWarnings } from '../warnings/config-warnings.js'
import { formatWarning } from '../warnings/warning.js'

export async function runValidate(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const path = flags.string('authentication-config') as string
  const revocationPath = flags.string('revocation-file')
  const [result, revocation] = await Promise.all([
    loadAuthenticationConfig(path, { disallowedIssuers: flags.strings('service-account-issuer') }),
    revocationPath === undefined ? undefined : loadRevocationList(revocationPath),
  ])
  if (!result.ok || revocation?.ok === false) {
    for (const line of result.ok ? [] : configErrorLines(path, result)) io.stderr.write(`${line}\n`)
    if (revocation?.ok === false)
      for (const line of revocationErrorLines(revocation.errors)) io.stderr.write(`${line}\n`)
    return 1
  }
  const warnings = configWarnings(result.config).map(formatWarning)
  const summary =
    revocation === undefined
      ? undefined
      : revocationSummary(
          revocation.list,
          result.config.jwt.map((e) => e.issuer.url),
          Date.now(),
        )
  warnings.push(...(summary?.warnings ?? []).map(formatWarning))
  for (const line of warnings) io.stderr.write(`${line}\n`)
  if (warnings.length > 0 && flags.bool('warnings-as-errors')) {
    const n = warnings.length
    io.stderr.write(`${path}: ${n} warning${n === 1 ? '' : 's'}, refused by --warnings-as-errors\n`)
    return 1
  }
  const n = result.config.jwt.length
  io.stdout.write(
    `${path}: valid AuthenticationConfiguration (${n} JWT issuer${n === 1 ? '' : 's'})\n`,
  )
  if (summary !== undefined) io.stdout.write(`${revocationPath}: ${summary.line}\n`)
  return 0
}
