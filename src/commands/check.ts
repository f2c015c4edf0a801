/**
 * `check --authentication-config FILE --token TOKEN`: one review, offline from
 * kube-apiserver. Prints the TokenReview `status` `serve` would answer on
 * stdout and, when the token is refused, why on stderr (reason, pipeline step,
 * message, and the revocation entry when one refused it). Never prints the token.
 */
import type { Readable } from 'node:stream'
import { configErrorLines, loadAuthenticationConfig } from '../config/load.js'
import { keyCacheDirError } from '../issuer/key-cache.js'
import { createLogger, type LogLevel } from '../log/logger.js'
import { tokenReviewStatus } from '../http/token-review.js'
import type { FlagValues } from '../flags/flags.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
import { findRevocation, revocationRejection } from '../revocation/apply.js'
import { loadRevocationList, revocationErrorLines } from '../revocation/load.js'
import { entryAsWritten } from '../revocation/revocation-entry.js'
import { buildAuthenticator } from '../server/build-authenticator.js'

/** Reads the whole of stdin and drops one trailing newline (`\n` or `\r\n`). */
export async function readTokenFromStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

export async function runCheck(flags: FlagValues, io: CliIO): Promise<ExitCode> {
  const configPath = flags.string('authentication-config') as string
  const rawToken = flags.string('token') as string
  const token = rawToken === '-' ? await readTokenFromStream(io.stdin) : rawToken
  if (token === '') {
    io.stderr.write('Error: the token is empty\n')
    return 1
  }
  const revocationPath = flags.string('revocation-file')
  const [loaded, revocation] = await Promise.all([
    loadAuthenticationConfig(configPath, {
      disallowedIssuers: flags.strings('service-account-issuer'),
    }),
    revocationPath === undefined ? undefined : loadRevocationList(revocationPath),
  ])
  const errors = [
    ...(loaded.ok ? [] : configErrorLines(configPath, loaded)),
    ...(revocation?.ok === false ? revocationErrorLines(revocation.errors) : []),
  ]
  if (!loaded.ok || revocation?.ok === false) {
    for (const line of errors) io.stderr.write(`${line}\n`)
    return 1
  }
  const logger = createLogger({ level: (flags.string('log-level') ?? 'warn') as LogLevel })
  const keyCacheDir = flags.string('key-cache-dir')
  const keyCacheProblem =
    keyCacheDir === undefined ? undefined : await keyCacheDirError(keyCacheDir)
  if (keyCacheProblem !== undefined) {
    io.stderr.write(`${keyCacheProblem}\n`)
    return 1
  }
  const authenticator = buildAuthenticator(loaded.config, {
    logger,
    ...(keyCacheDir === undefined ? {} : { keyCacheDir }),
  })
  try {
    await authenticator.waitForFirstAttempts(flags.durationMs('wait') ?? 10_000)
    let outcome = await authenticator.authenticate(token)
    const revokedBy =
      revocation === undefined ? undefined : findRevocation(outcome, revocation.list, Date.now())
    if (revokedBy !== undefined && outcome.kind === 'authenticated')
      outcome = {
        kind: 'rejected',
        issuer: outcome.issuer,
        rejection: revocationRejection(revokedBy),
      }
    io.stdout.write(`${JSON.stringify(tokenReviewStatus(outcome), null, 2)}\n`)
    if (outcome.kind === 'authenticated') return 0
    if (outcome.kind === 'not-mine') {
      io.stderr.write(
        "not authenticated: no configured issuer matched the token's iss claim (or the token is not a JWT)\n",
      )
    } else {
      const r = outcome.rejection
      io.stderr.write(
        `not authenticated by issuer ${outcome.issuer}\n  reason: ${r.reason}\n  step: ${r.step}\n  message: ${r.message}\n`,
      )
      if (revokedBy !== undefined) {
        io.stderr.write(
          `  entry: ${revokedBy.path} of ${revocationPath ?? ''}: ${JSON.stringify(entryAsWritten(revokedBy))}\n`,
        )
      }
    }
    return 1
  } finally {
    await authenticator.close()
    logger.flush()
  }
}
