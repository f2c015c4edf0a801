/**
 * `dev` (what `npm start` runs): everything needed to try the webhook on one
 * machine, on loopback only. A throwaway CA signs a serving certificate
 * (localhost, 127.0.0.1, ::1) and a client certificate for kube-apiserver;
 * the embedded oidc-provider issuer runs with demo users; the webhook runs
 * through the same startServe as `serve`, with mTLS on, configured for that
 * issuer. The files a kube-apiserver would need go into --dir, a demo user is
 * logged in through the real authorization-code + PKCE flow, the sample token
 * is checked against the running webhook, and the banner says how to try it.
 * SIGINT/SIGTERM stop everything; exit 0.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { isIP } from 'node:net'
import type { FlagValues } from '../flags/flags.js'
import { processIO, type CliIO, type ExitCode } from '../runtime/cli-io.js'
import { loadAuthenticationConfig } from '../config/load.js'
import { renderBanner } from '../dev/banner.js'
import { DEV_CLIENT_ID, DEV_REDIRECT_URIS } from '../dev/demo-users.js'
import {
  DEV_FILES,
  devAuthenticationConfig,
  tokenReviewJson,
  urlHost,
  webhookKubeconfig,
} from '../dev/dev-files.js'
import { isLoopbackHost } from '../dev/loopback.js'
import { postTokenReview, type ReviewStatus } from '../dev/post-review.js'
import { holdProviderNotices, type ProviderNoticeFilter } from '../dev/provider-notices.js'
import { createLogger, type Logger, type LogLevel } from '../log/logger.js'
import {
  createCertificateAuthority,
  createClientCertificate,
  createServerCertificate,
} from '../dev/certificates.js'
import { startServe, type ServeHandle } from './serve.js'

/** The demo user whose token `dev` prints. */
export const DEV_SAMPLE_USER = 'jane'
/** id_token lifetime of the embedded issuer. */
export const DEV_TOKEN_TTL_SECONDS = 3600

export interface DevOptions {
  readonly dir: string
  readonly bindAddress: string
  readonly issuerPort: number
  readonly securePort: number
  /** 0 turns the health port off. */
  readonly healthPort: number
  readonly logLevel: LogLevel
}

/** A start-up problem the user can fix; printed as `Error: <message>`. */
export class DevStartError extends Error {
  readonly code = 'ERR_DEV_START'
  override readonly name = 'DevStartError'
}

/** A running `dev`. */
export interface DevHandle {
  readonly dir: string
  readonly issuerUrl: string
  readonly webhookUrl: string
  readonly healthUrl: string | undefined
  readonly token: string
  /** Stops the webhook (graceful) and the issuer. */
  stop(): Promise<void>
}

export function devOptionsFromFlags(flags: FlagValues): DevOptions {
  return {
    dir: flags.string('dir') as string,
    bindAddress: flags.string('bind-address') as string,
    issuerPort: flags.number('issuer-port') as number,
    securePort: flags.number('secure-port') as number,
    healthPort: flags.number('health-port') as number,
    logLevel: flags.string('log-level') as LogLevel,
  }
}

function portInUse(
  err: unknown,
  host: string,
  port: number,
  what: string,
  flag: string,
): DevStartError | undefined {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'EADDRINUSE')
    return new DevStartError(
      `port ${port} on ${host} is already in use (wanted for ${what}): stop what uses it, or choose another port with --${flag} (0 picks a free one)`,
    )
  if (e.code === 'EADDRNOTAVAIL')
    return new DevStartError(
      `cannot listen on ${host}: the address is not available here (--bind-address)`,
    )
  return undefined
}

const SECURE_FILE = { mode: 0o600 } as const

/** Polls the webhook with the sample review until the issuer's keys are in and it authenticates. */
async function firstReview(
  url: string,
  tls: { caPem: string; certPem: string; keyPem: string },
  body: string,
  timeoutMs: number,
): Promise<ReviewStatus> {
  const deadline = Date.now() + timeoutMs
  let last: ReviewStatus | undefined
  for (;;) {
    const answer = await postTokenReview({ url, ...tls, body })
    last = answer.status
    if (answer.statusCode === 200 && last?.authenticated === true) return last
    // An `error` means "not yet" (issuer still being discovered); no error is a definite no.
    if (answer.statusCode !== 200 || last?.error === undefined || Date.now() > deadline)
      throw new DevStartError(
        `the webhook did not authenticate the sample token (HTTP ${answer.statusCode}${last?.error ? `: ${last.error}` : ''})`,
      )
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Starts the issuer and the webhook and writes the files. On failure what
 * already runs is stopped and the error thrown (a DevStartError when the user
 * can fix it).
 */
export async function startDev(opts: DevOptions, logger: Logger): Promise<DevHandle> {
  if (!isLoopbackHost(opts.bindAddress))
    throw new DevStartError(
      `--bind-address ${JSON.stringify(opts.bindAddress)} is not a loopback address: dev serves a password-less login and private keys, so it only listens on 127.0.0.1, ::1 or localhost`,
    )
  // One address for listening and for every URL: "localhost" may resolve to ::1 or 127.0.0.1.
  const host = opts.bindAddress === 'localhost' ? '127.0.0.1' : opts.bindAddress
  const dir = resolve(opts.dir)
  const path = (name: string): string => join(dir, name)
  const stops: (() => Promise<void>)[] = []
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop()
  }

  try {
    await mkdir(dir, { recursive: true })
    const ca = await createCertificateAuthority({
      commonName: 'kube-oidc-webhook dev CA',
      days: 30,
    })
    const ipAddresses = ['127.0.0.1', '::1']
    if (isIP(host) !== 0 && !ipAddresses.includes(host)) ipAddresses.push(host)
    const serving = await createServerCertificate(ca, {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses,
      days: 30,
    })
    const clientCert = await createClientCertificate(ca, { commonName: 'kube-apiserver', days: 30 })
    // PEM files end with a newline, like openssl's, so `cat` and concatenation behave.
    const pem = (text: string): string => `${text.trimEnd()}\n`
    const caPem = pem(ca.certPem)
    const tls = { cert: pem(serving.certPem), key: pem(serving.keyPem) }
    const client = { certPem: pem(clientCert.certPem), keyPem: pem(clientCert.keyPem) }
    await Promise.all([
      writeFile(path(DEV_FILES.ca), caPem),
      writeFile(path(DEV_FILES.tlsCert), tls.cert),
      writeFile(path(DEV_FILES.tlsKey), tls.key, SECURE_FILE),
      writeFile(path(DEV_FILES.clientCert), client.certPem),
      writeFile(path(DEV_FILES.clientKey), client.keyPem, SECURE_FILE),
    ])

    // Loaded only now: node-oidc-provider warns on import (see src/dev/provider-notices.ts).
    const { startDevIssuer } = await import('../dev/oidc-issuer.js')
    let issuer: Awaited<ReturnType<typeof startDevIssuer>>
    try {
      issuer = await startDevIssuer({
        host,
        port: opts.issuerPort,
        certPem: tls.cert,
        keyPem: tls.key,
        idTokenTtlSeconds: DEV_TOKEN_TTL_SECONDS,
      })
    } catch (err) {
      throw portInUse(err, host, opts.issuerPort, 'the OIDC issuer', 'issuer-port') ?? err
    }
    stops.push(() => issuer.close())
    logger.info({ issuer: issuer.url }, 'dev OIDC issuer started')

    const configFile = path(DEV_FILES.authenticationConfig)
    await writeFile(configFile, devAuthenticationConfig({ issuerUrl: issuer.url, caPem }))
    const loaded = await loadAuthenticationConfig(configFile)
    if (!loaded.ok)
      throw new Error(
        `the generated ${DEV_FILES.authenticationConfig} is invalid:\n${loaded.errors.join('\n')}`,
      )

    let serve: ServeHandle
    try {
      serve = await startServe(
        {
          authenticationConfig: configFile,
          bindAddress: host,
          securePort: opts.securePort,
          tlsCertFile: path(DEV_FILES.tlsCert),
          tlsPrivateKeyFile: path(DEV_FILES.tlsKey),
          clientCaFile: path(DEV_FILES.ca),
          healthPort: opts.healthPort,
          logLevel: opts.logLevel,
          cacheTtlMs: 10_000,
          cacheMaxEntries: 100_000,
          shutdownGraceMs: 2_000,
        },
        loaded.config,
        loaded.bytes,
        { ...tls, clientCa: caPem },
        logger,
      )
    } catch (err) {
      const port = (err as { port?: unknown }).port
      throw (
        (port === opts.healthPort && opts.healthPort !== 0
          ? portInUse(err, host, opts.healthPort, 'the health port', 'health-port')
          : portInUse(err, host, opts.securePort, 'the webhook', 'secure-port')) ?? err
      )
    }
    stops.push(() => serve.shutdown())

    const webhookUrl = `https://${urlHost(host)}:${serve.securePort}/authenticate`
    const healthUrl =
      serve.healthPort === undefined ? undefined : `http://${urlHost(host)}:${serve.healthPort}`
    await writeFile(
      path(DEV_FILES.kubeconfig),
      webhookKubeconfig({ serverUrl: webhookUrl, caPem, client }),
      SECURE_FILE,
    )

    const { loginWithDevInteractions } = await import('../dev/login.js')
    const login = await loginWithDevInteractions({
      issuerUrl: issuer.url,
      caPem,
      clientId: DEV_CLIENT_ID,
      redirectUri: DEV_REDIRECT_URIS[0],
      login: DEV_SAMPLE_USER,
    })
    const review = tokenReviewJson(login.idToken)
    await Promise.all([
      writeFile(path(DEV_FILES.token), `${login.idToken}\n`, SECURE_FILE),
      writeFile(path(DEV_FILES.tokenReview), review, SECURE_FILE),
    ])
    const status = await firstReview(webhookUrl, { caPem, ...client }, review, 15_000)
    logger.info({ user: status.user?.username }, 'dev: the sample token authenticates')

    return {
      dir,
      issuerUrl: issuer.url,
      webhookUrl,
      healthUrl,
      token: login.idToken,
      stop: stopAll,
    }
  } catch (err) {
    await stopAll()
    throw err
  }
}

/** How the user ran this CLI, to print commands they can paste. */
function cliInvocation(): string {
  const script = process.argv[1]
  if (script === undefined || basename(script) !== 'cli.js') return 'kube-oidc-webhook'
  return `node ${displayPath(script)}`
}

/** Relative to the working directory when inside it, absolute otherwise. */
function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute)
  if (rel === '') return '.'
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel
}

function onStopSignal(logger: Logger): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined
  const dispose = (): void => {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
  const received = new Promise<NodeJS.Signals>((resolveSignal) => {
    onSignal = (signal) => {
      logger.info({ signal }, 'signal received')
      dispose()
      resolveSignal(signal)
    }
  })
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return { received, dispose }
}

/** `kube-oidc-webhook dev [flags]`; `argv` = the words after `dev`. */
/** `dev`: runs until SIGINT/SIGTERM; the flags are already parsed by the CLI. */
export async function runDev(flags: FlagValues, io: CliIO = processIO): Promise<ExitCode> {
  const opts = devOptionsFromFlags(flags)
  const logger = createLogger({ level: opts.logLevel })
  const notices: ProviderNoticeFilter = holdProviderNotices()
  // Signals during start-up wait for it to finish, then stop everything.
  const signal = onStopSignal(logger)
  try {
    let dev: DevHandle
    try {
      dev = await startDev(opts, logger)
    } catch (err) {
      io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
      return 1
    }
    io.stdout.write(
      renderBanner({
        dir: displayPath(dev.dir),
        issuerUrl: dev.issuerUrl,
        webhookUrl: dev.webhookUrl,
        ...(dev.healthUrl === undefined ? {} : { healthUrl: dev.healthUrl }),
        sampleUser: DEV_SAMPLE_USER,
        token: dev.token,
        tokenTtlSeconds: DEV_TOKEN_TTL_SECONDS,
        cli: cliInvocation(),
      }),
    )
    await signal.received
    await dev.stop()
    logger.debug({ held: notices.held.length }, 'oidc-provider development notices held back')
    return 0
  } finally {
    signal.dispose()
    notices.restore()
    logger.flush()
  }
}
