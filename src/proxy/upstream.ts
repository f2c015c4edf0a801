/**
 * The API server behind the proxy: where it is, which CA it is trusted by,
 * the proxy's own bearer token for it (a projected service-account token that
 * kubelet rotates, so the file is watched and re-read), one keep-alive agent,
 * and whether it is reachable (readiness).
 */
import https from 'node:https'
import type { Logger } from '../log/logger.js'
import { watchFile, type FileWatcher } from '../runtime/watch-file.js'

export interface UpstreamOptions {
  /** `https://host:port` (a path prefix is kept). */
  readonly url: URL
  /** PEM bundle that must have signed the API server's certificate. */
  readonly caPem: string
  readonly tokenFile: string
  /** The token file's content at start (already checked). */
  readonly initialToken: string
  readonly logger: Logger
  /** How often the token file is re-read besides notifications (default 1000 ms). */
  readonly pollIntervalMs?: number
  /** How often reachability is probed with `GET /readyz` (default 5000 ms). */
  readonly probeIntervalMs?: number
}

/** Bound on the idle keep-alive connections kept to the API server. */
const MAX_FREE_SOCKETS = 256
const PROBE_TIMEOUT_MS = 5_000

/** Trims the file's content as client-go trims a token file (`strings.TrimSpace`). */
export function tokenFromFile(content: string): string {
  return content.trim()
}

export class Upstream {
  readonly url: URL
  readonly agent: https.Agent
  private token: string
  private reachable = false
  private readonly watcher: FileWatcher
  private readonly probeTimer: NodeJS.Timeout
  private probing = false

  constructor(private readonly opts: UpstreamOptions) {
    this.url = opts.url
    this.token = opts.initialToken
    this.agent = new https.Agent({
      ca: opts.caPem,
      keepAlive: true,
      maxFreeSockets: MAX_FREE_SOCKETS,
      // The API server speaks HTTP/1.1 to this agent; watches and exec stay open
      // as long as the client wants, so no socket timeout.
      timeout: 0,
    })
    this.watcher = watchFile(
      opts.tokenFile,
      (content) => {
        const next = tokenFromFile(content.toString('utf8'))
        if (next === '') {
          opts.logger.warn(
            { tokenFile: opts.tokenFile },
            'upstream token file is empty; the previous token stays in use',
          )
          return
        }
        this.token = next
        opts.logger.info({ tokenFile: opts.tokenFile }, 'reloaded the upstream token')
      },
      {
        pollIntervalMs: opts.pollIntervalMs ?? 1000,
        initial: [Buffer.from(opts.initialToken)],
        onError: (err) =>
          opts.logger.warn(
            { err: (err as Error).message },
            'reading the upstream token file failed',
          ),
      },
    )
    this.probeTimer = setInterval(() => void this.probe(), opts.probeIntervalMs ?? 5_000)
    this.probeTimer.unref()
  }

  /** `Bearer <the proxy's own token>`. */
  authorization(): string {
    return `Bearer ${this.token}`
  }

  /** True once the API server answered, false again after a connection to it failed. */
  get isReachable(): boolean {
    return this.reachable
  }

  /** Live traffic tells too: a response means reachable, a connection error means not. */
  markReachable(reachable: boolean): void {
    if (reachable === this.reachable) return
    this.reachable = reachable
    this.opts.logger[reachable ? 'info' : 'warn'](
      { upstream: this.url.origin },
      reachable ? 'upstream API server reachable' : 'upstream API server unreachable',
    )
  }

  /** The request target upstream for a client's request target (path and query). */
  target(path: string): string {
    const prefix = this.url.pathname.replace(/\/+$/, '')
    return prefix + path
  }

  /** One `GET /readyz` with the proxy's token: any HTTP answer means reachable. */
  async probe(): Promise<boolean> {
    if (this.probing) return this.reachable
    this.probing = true
    try {
      const ok = await new Promise<boolean>((resolve) => {
        const req = https.request(
          this.url,
          {
            method: 'GET',
            path: this.target('/readyz'),
            agent: this.agent,
            headers: { Authorization: this.authorization(), Accept: 'text/plain' },
            timeout: PROBE_TIMEOUT_MS,
          },
          (res) => {
            res.resume()
            resolve(true)
          },
        )
        req.on('timeout', () => req.destroy(new Error('probe timed out')))
        req.on('error', () => resolve(false))
        req.end()
      })
      this.markReachable(ok)
      return ok
    } finally {
      this.probing = false
    }
  }

  close(): void {
    clearInterval(this.probeTimer)
    this.watcher.close()
    this.agent.destroy()
  }
}
