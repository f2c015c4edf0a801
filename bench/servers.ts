/**
 * Starting, probing and stopping the two kinds of server under test, each in
 * its own process so that /proc gives its CPU and memory alone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { API_AUDIENCE } from './load/protocol.js'

export interface ServerProcess {
  readonly name: string
  readonly kind: 'service' | 'baseline'
  readonly pid: number
  readonly port: number
  /** Service only: plain-HTTP port with /metrics. */
  readonly healthPort?: number
  readonly logPath: string
  stop(): Promise<void>
}

/** A free loopback port (closed again before use: a small race, acceptable on a bench machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      )
    })
  })
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      child.kill('SIGTERM')
    })
}

function spawnLogged(args: readonly string[], logPath: string): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const log = createWriteStream(logPath)
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  return child
}

/** One TokenReview through node:https; true when the answer authenticated the token. */
export function reviewOnce(port: number, caPem: string, token: string): Promise<boolean> {
  const body = JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token, audiences: [API_AUDIENCE, 'bench-probe'] },
  })
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: '/authenticate',
        method: 'POST',
        ca: caPem,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: 5000,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve(res.statusCode === 200 && text.includes('"authenticated":true')),
        )
      },
    )
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end(body)
  })
}

/** Waits until every probe token authenticates (all issuers discovered and keyed). */
export async function waitUntilVerifying(
  server: Pick<ServerProcess, 'port' | 'name'>,
  caPem: string,
  probes: readonly string[],
  exited: () => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const pending = new Set(probes)
  while (pending.size > 0) {
    if (exited()) throw new Error(`${server.name} exited during start-up`)
    if (Date.now() > deadline)
      throw new Error(
        `${server.name}: ${pending.size} probe token(s) still refused after ${timeoutMs} ms`,
      )
    const results = await Promise.all(
      [...pending].map(async (t) => [t, await reviewOnce(server.port, caPem, t)] as const),
    )
    for (const [token, ok] of results) if (ok) pending.delete(token)
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 250))
  }
}

export async function startBaseline(
  name: string,
  serverScript: string,
  configPath: string,
  port: number,
  logPath: string,
  nodeFlags: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawnLogged([...nodeFlags, serverScript, configPath], logPath)
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('listening')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} (see ${logPath})`)))
  })
  return { name, kind: 'baseline', pid: child.pid ?? 0, port, logPath, stop: stopper(child) }
}

export interface ServiceStart {
  readonly name: string
  readonly cliPath: string
  readonly configPath: string
  readonly certPath: string
  readonly keyPath: string
  readonly logPath: string
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[]
  /** `serve` flags beyond the required ones, e.g. `--log-level warn`. */
  readonly serveFlags?: readonly string[]
  /** The command (default `serve`; `proxy` takes the same flags plus the upstream's). */
  readonly command?: 'serve' | 'proxy'
}

/**
 * `node dist/cli.js serve` as users start it: the required flags, loopback
 * ports, and every other flag at its default unless `serveFlags` says otherwise.
 */
export async function startService(
  opts: ServiceStart,
): Promise<ServerProcess & { exited: () => boolean }> {
  const port = await freePort()
  const healthPort = await freePort()
  const child = spawnLogged(
    [
      ...(opts.nodeFlags ?? []),
      opts.cliPath,
      opts.command ?? 'serve',
      '--authentication-config',
      opts.configPath,
      '--bind-address',
      '127.0.0.1',
      '--secure-port',
      String(port),
      '--tls-cert-file',
      opts.certPath,
      '--tls-private-key-file',
      opts.keyPath,
      '--health-port',
      String(healthPort),
      ...(opts.serveFlags ?? []),
    ],
    opts.logPath,
  )
  let exited = false
  child.once('exit', () => (exited = true))
  return {
    name: opts.name,
    kind: 'service',
    pid: child.pid ?? 0,
    port,
    healthPort,
    logPath: opts.logPath,
    stop: stopper(child),
    exited: () => exited,
  }
}

export interface CacheCounters {
  readonly hit: number
  readonly miss: number
  readonly entries: number
  /** V8 heap in use and reserved, in bytes (prom-client's process metrics). */
  readonly heapUsed: number
  readonly heapTotal: number
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text
    .split('\n')
    .find((l) =>
      labels === '' ? l.startsWith(`${name} `) : l.startsWith(`${name}{`) && l.includes(labels),
    )
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1))
}

/** The service's own cache counters from /metrics, or undefined when it has none. */
export function scrapeCache(healthPort: number | undefined): Promise<CacheCounters | undefined> {
  if (healthPort === undefined) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port: healthPort, path: '/metrics', timeout: 5000 },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          if (res.statusCode !== 200 || !text.includes('kube_oidc_webhook_cache_requests_total'))
            return resolve(undefined)
          resolve({
            hit: metricValue(text, 'kube_oidc_webhook_cache_requests_total', 'result="hit"'),
            miss: metricValue(text, 'kube_oidc_webhook_cache_requests_total', 'result="miss"'),
            entries:
              metricValue(text, 'kube_oidc_webhook_cache_entries', 'kind="positive"') +
              metricValue(text, 'kube_oidc_webhook_cache_entries', 'kind="negative"'),
            heapUsed: metricValue(text, 'nodejs_heap_size_used_bytes', ''),
            heapTotal: metricValue(text, 'nodejs_heap_size_total_bytes', ''),
          })
        })
      },
    )
    req.on('error', () => resolve(undefined))
    req.on('timeout', () => req.destroy())
  })
}

/** Polls the health port's /readyz until it answers 200 (the proxy: config loaded and upstream reachable). */
export async function waitUntilReady(server: ServerProcess, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${server.healthPort ?? 0}/readyz`)
      await res.text()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    if (exited()) throw new Error(`${server.name} exited (see ${server.logPath})`)
    if (Date.now() > deadline)
      throw new Error(`${server.name} not ready within 30 s (see ${server.logPath})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
