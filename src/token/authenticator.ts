/**
 * The authenticator for a whole compiled config: picks the issuer by the token's
 * unverified `iss` in O(1), runs that issuer's pipeline, and never throws for a
 * bad token. Owns the issuer runtimes (discovery, keys) and hands warm ones over
 * on hot reload.
 */
import type { CompiledConfig, CompiledIssuer } from '../config/compiled.js'
import {
  IssuerRuntime,
  issuerFetchKey,
  type IssuerRuntimeOptions,
} from '../issuer/issuer-runtime.js'
import type { IssuerStatus } from '../issuer/issuer-status.js'
import { silentLogger, type Logger } from '../log/logger.js'
import {
  systemClock,
  systemMonotonicClock,
  type CancelTimer,
  type Clock,
  type MonotonicClock,
} from '../runtime/clock.js'
import type { HttpClient } from '../issuer/http-client.js'
import type { KeySet } from '../issuer/key-set.js'
import { IssuerAuthenticator } from './issuer-authenticator.js'
import type { AuthenticatorObserver } from './observer.js'
import { reject, toRejection } from './rejection.js'
import { TokenRejected, type AuthOutcome, type TokenAuthenticator } from './types.js'
import { peekUntrustedIssuer } from './untrusted-issuer.js'
import { verifierSettings, type SignatureKeys, type VerifierSettings } from './verify.js'
import { createHash } from 'node:crypto'
import { goQuote } from '../go/quote.js'
import { redactURL } from '../go/redact-url.js'

export interface AuthenticatorOptions {
  /** Injected now (token time checks, status timestamps). */
  clock?: Clock
  logger?: Logger
  observer?: AuthenticatorObserver
  /** Per discovery/JWKS/distributed-claims request; default 10 000 ms. */
  fetchTimeoutMs?: number
  /** Discovery/JWKS/distributed-claims body limit; default 1 MiB. */
  maxResponseBytes?: number
  /** Discovery retry period until success; default 10 000 ms like kube-apiserver. */
  discoveryRetryMs?: number
  /** Larger tokens are rejected (`token_too_large`) before any parsing; default 256 KiB. */
  maxTokenBytes?: number
  /** Persist each issuer's last good discovery + JWKS here; load it when the issuer is down at start. */
  keyCacheDir?: string
  /** Smallest gap between on-demand JWKS refetches for unknown `kid`s; default 1000 ms. */
  minRefetchIntervalMs?: number
  /**
   * Bound on resolving one token's distributed claims (endpoint, first-use
   * discovery and keys together); default 10 000 ms, a third of kube-apiserver's
   * 30 s webhook timeout.
   */
  distributedClaimsTimeoutMs?: number
  /**
   * Injected monotonic time and timers: key lifetimes and refreshes, refetch
   * rate limits, discovery retries, the distributed-claims deadline.
   */
  monotonicClock?: MonotonicClock
  /** The HTTP client of each issuer (discovery, JWKS, distributed claims); default node:https with the issuer's CA. */
  httpClientFor?: (issuer: CompiledIssuer) => HttpClient
  /**
   * Static keys for an issuer (Kubernetes' `oidc.Options.KeySet`): an issuer
   * that gets a key set here is ready at once and never runs discovery.
   */
  keySetFor?: (issuer: CompiledIssuer) => KeySet | undefined
}

export interface ConfigAuthenticator extends TokenAuthenticator {
  /** Per-issuer state for `/readyz?verbose`, in config order. */
  issuers(): IssuerStatus[]
  /** Resolves once every issuer has finished its first discovery attempt (success or failure), or after timeoutMs. For the `check` command. */
  waitForFirstAttempts(timeoutMs: number): Promise<void>
  /** Stops timers and aborts fetches (issuers handed to a newer authenticator stay alive there). */
  close(): Promise<void>
}

const WELL_KNOWN = '/.well-known/openid-configuration'
const MAX_DISTRIBUTED_ISSUERS = 16

interface ResolvedOptions {
  clock: Clock
  monotonic: MonotonicClock
  logger: Logger
  observer: AuthenticatorObserver | undefined
  maxTokenBytes: number
  distributedClaimsTimeoutMs: number
  runtime: IssuerRuntimeOptions
  keySetFor: ((issuer: CompiledIssuer) => KeySet | undefined) | undefined
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`"${name}" option must be a positive integer`)
  return value
}

function resolveOptions(options: AuthenticatorOptions): ResolvedOptions {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const monotonic = options.monotonicClock ?? systemMonotonicClock
  return {
    clock,
    monotonic,
    logger,
    observer: options.observer,
    maxTokenBytes: positiveInt('maxTokenBytes', options.maxTokenBytes, 256 * 1024),
    distributedClaimsTimeoutMs: positiveInt(
      'distributedClaimsTimeoutMs',
      options.distributedClaimsTimeoutMs,
      10_000,
    ),
    runtime: {
      clock,
      logger,
      observer: options.observer,
      fetchTimeoutMs: positiveInt('fetchTimeoutMs', options.fetchTimeoutMs, 10_000),
      maxResponseBytes: positiveInt('maxResponseBytes', options.maxResponseBytes, 1024 * 1024),
      discoveryRetryMs: positiveInt('discoveryRetryMs', options.discoveryRetryMs, 10_000),
      keyCacheDir: options.keyCacheDir,
      minRefetchIntervalMs: options.minRefetchIntervalMs,
      monotonic,
      createClient: options.httpClientFor,
    },
    keySetFor: options.keySetFor,
  }
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

class ConfigAuthenticatorImpl implements ConfigAuthenticator {
  readonly byIssuer = new Map<string, IssuerAuthenticator>()
  readonly ordered: IssuerAuthenticator[] = []
  /** Runtimes by fetch key, for hand-over on reload. */
  readonly runtimes = new Map<string, IssuerRuntime>()
  private readonly distributed = new Map<string, IssuerRuntime>()
  private closed = false

  constructor(
    config: CompiledConfig,
    private readonly options: ResolvedOptions,
    previous?: ConfigAuthenticatorImpl,
  ) {
    for (const entry of config.jwt) {
      const key = issuerFetchKey(entry.issuer)
      const warm = previous?.runtimes.get(key)
      const runtime =
        warm !== undefined && !previous?.closed
          ? warm.retain()
          : new IssuerRuntime(entry.issuer, entry.issuerHash, {
              ...options.runtime,
              keySet: options.keySetFor?.(entry.issuer),
            })
      this.runtimes.set(key, runtime)
      const authenticator = new IssuerAuthenticator(entry, runtime, {
        clock: options.clock,
        monotonic: options.monotonic,
        observer: options.observer,
        distributedVerifier: (iss) => this.verifierFor(iss, entry.issuer),
        distributedClaimsTimeoutMs: options.distributedClaimsTimeoutMs,
      })
      this.byIssuer.set(entry.issuer.url, authenticator)
      this.ordered.push(authenticator)
    }
  }

  async authenticate(token: string): Promise<AuthOutcome> {
    const max = this.options.maxTokenBytes
    if (token.length > max || (token.length * 3 > max && Buffer.byteLength(token, 'utf8') > max)) {
      return {
        kind: 'rejected',
        issuer: '',
        rejection: reject(
          'token_too_large',
          'select-issuer',
          `token too large: more than ${max} bytes`,
        ),
      }
    }
    const peeked = peekUntrustedIssuer(token)
    if (peeked === undefined) return { kind: 'not-mine' }
    const authenticator = this.byIssuer.get(peeked.issuer)
    if (authenticator === undefined) return { kind: 'not-mine' }
    const issuer = authenticator.config.issuer.url
    try {
      const { user, exp, identity } = await authenticator.authenticate(peeked)
      return exp === undefined
        ? { kind: 'authenticated', issuer, user, identity }
        : { kind: 'authenticated', issuer, user, exp, identity }
    } catch (err) {
      const rejection = err instanceof TokenRejected ? err : toRejection(err, 'verify')
      this.options.logger.debug(
        { issuer, reason: rejection.reason, step: rejection.step, err: rejection.message },
        'token rejected',
      )
      return { kind: 'rejected', issuer, rejection }
    }
  }

  issuers(): IssuerStatus[] {
    return this.ordered.map((a) => a.runtime.status())
  }

  async waitForFirstAttempts(timeoutMs: number): Promise<void> {
    let cancel: CancelTimer | undefined
    const timeout = new Promise<void>((resolve) => {
      cancel = this.options.monotonic.startTimer(timeoutMs, resolve)
    })
    await Promise.race([Promise.all(this.ordered.map((a) => a.runtime.firstAttemptDone)), timeout])
    cancel?.()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const runtime of this.runtimes.values()) runtime.release()
    for (const runtime of this.distributed.values()) runtime.release()
    this.runtimes.clear()
    this.distributed.clear()
  }

  /**
   * The verifier for a distributed-claims JWT: the configured issuer's own keys
   * when `iss` is a configured issuer, else a verifier discovered on first use
   * with the same HTTP trust (oidc.go `claimResolver.Verifier`). Unlike
   * kube-apiserver, the first use waits for that discovery (the caller bounds the
   * wait) instead of failing with "not initialized".
   */
  private async verifierFor(
    iss: string,
    owner: CompiledIssuer,
  ): Promise<{ settings: VerifierSettings; keys: SignatureKeys } | { error: string }> {
    const settings = verifierSettings(iss, owner.audiences)
    const configured = this.byIssuer.get(iss)
    if (
      configured !== undefined &&
      configured.config.issuer.certificateAuthority === owner.certificateAuthority
    ) {
      const keys = configured.runtime.keySet
      if (keys === undefined)
        return { error: `verifier not initialized for issuer: ${goQuote(iss)}` }
      return { settings, keys }
    }
    const key = JSON.stringify([iss, owner.certificateAuthority ?? null])
    let runtime = this.distributed.get(key)
    if (runtime !== undefined) {
      // Most recently used last: eviction takes from the front.
      this.distributed.delete(key)
      this.distributed.set(key, runtime)
    } else {
      if (this.closed || !iss.startsWith('https://')) {
        return { error: `verifier not initialized for issuer: ${goQuote(redactURL(iss))}` }
      }
      if (this.distributed.size >= MAX_DISTRIBUTED_ISSUERS) this.evictDistributed()
      const issuer: CompiledIssuer = {
        url: iss,
        discoveryURL: iss.replace(/\/$/, '') + WELL_KNOWN,
        discoveryURLExplicit: false,
        ...(owner.certificateAuthority !== undefined
          ? { certificateAuthority: owner.certificateAuthority }
          : {}),
        audiences: owner.audiences,
        audienceMatchPolicy: owner.audienceMatchPolicy,
      }
      runtime = new IssuerRuntime(issuer, sha256(iss), {
        ...this.options.runtime,
        observer: undefined,
        keyCacheDir: undefined,
      })
      this.distributed.set(key, runtime)
    }
    await runtime.firstAttemptDone
    const keys = runtime.keySet
    if (keys === undefined)
      return { error: `verifier not initialized for issuer: ${goQuote(redactURL(iss))}` }
    return { settings, keys }
  }

  /**
   * Makes room for one more distributed issuer: the least recently used one that
   * never completed discovery, else the least recently used of all. A flood of
   * distinct (failing) issuers churns among its own entries and never locks a
   * later valid issuer out until a reload.
   */
  private evictDistributed(): void {
    let victim: string | undefined
    for (const [key, runtime] of this.distributed) {
      if (!runtime.discovered) {
        victim = key
        break
      }
      victim ??= key
    }
    if (victim === undefined) return
    this.distributed.get(victim)?.release()
    this.distributed.delete(victim)
  }
}

/**
 * Builds the authenticator for a compiled config. With `previous` (hot reload),
 * issuers whose url, discoveryURL and certificateAuthority are unchanged keep
 * their warm discovery and keys; the caller closes `previous` later.
 *
 * @example
 * const auth = createConfigAuthenticator(compiled, { logger })
 * const outcome = await auth.authenticate(token)
 */
export function createConfigAuthenticator(
  config: CompiledConfig,
  options: AuthenticatorOptions = {},
  previous?: ConfigAuthenticator,
): ConfigAuthenticator {
  const prev = previous instanceof ConfigAuthenticatorImpl ? previous : undefined
  return new ConfigAuthenticatorImpl(config, resolveOptions(options), prev)
}
