/**
 * `check --authentication-config FILE --token TOKEN`: one review, offline from
 * kube-apiserver. Prints the TokenReview `status` `serve` would answer on
 * stdout and, when the token is refused, why on stderr (reason, pipeline step,
 * message). Never prints the token.
 */
import type { Readable } from 'node:stream'
import { loadAuthenticationConfig } from '../config/load.js'
import { createLogger, type LogLevel } from '../log/logger.js'
import { tokenReviewStatus } from '../http/token-review.js'
import type { FlagValues } from '../flags/flags.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'
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
  const loaded = await loadAuthenticationConfig(configPath)
  if (!loaded.ok) {
    for (const line of loaded.errors) io.stderr.write(`${line}\n`)
    return 1
  }
  const logger = createLogger({ level: (flags.string('log-level') ?? 'warn') as LogLevel })
  const keyCacheDir = flags.string('key-cache-dir')
  const authenticator = await buildAuthenticator(loaded.config, {
    logger,
    ...(keyCacheDir === undefined ? {} : { keyCacheDir }),
  })
  try {
    await authenticator.settled(flags.durationMs('wait') ?? 10_000)
    const outcome = await authenticator.authenticate(token)
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
    }
    return 1
  } finally {
    await authenticator.close()
    logger.flush()
  }
}
