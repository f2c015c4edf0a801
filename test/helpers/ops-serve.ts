/**
 * `serve` in process for the ops tests: real TLS (a CA made here), real files
 * (optionally laid out as a Kubernetes ConfigMap/Secret volume), the real
 * startServe with short poll intervals, and helpers to review and scrape.
 */
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadAuthenticationConfig } from '../../src/config/load.js'
import { startServe, type ServeHandle, type ServeOptions } from '../../src/commands/serve.js'
import { silentLogger, type Logger } from '../../src/log/logger.js'
import {
  createCertificateAuthority,
  createServerCertificate,
  type CertificateAuthority,
} from '../../src/dev/certificates.js'
import { postJson, tokenReviewBody, type HttpsResponse } from './https-client.js'
import { parsePrometheusText, type Exposition } from './prometheus-text.js'

let generation = 0

/**
 * A directory updated as kubelet's atomic writer does (pkg/volume/util/
 * atomic_writer.go): `name -> ..data/name`, `..data -> ..<timestamp>`, and an
 * update writes a new timestamped directory and renames a new `..data` symlink
 * over the old one, so no visible file is ever written in place.
 */
export class AtomicDir {
  private current: string | undefined
  private constructor(readonly dir: string) {}

  static async create(dir: string, files: Record<string, string>): Promise<AtomicDir> {
    await mkdir(dir, { recursive: true })
    const d = new AtomicDir(dir)
    await d.update(files)
    for (const name of Object.keys(files)) await symlink(join('..data', name), join(dir, name))
    return d
  }

  path(name: string): string {
    return join(this.dir, name)
  }

  async update(files: Record<string, string>): Promise<void> {
    const ts = `..2030_01_01_00_00_00.${String(++generation).padStart(9, '0')}`
    await mkdir(join(this.dir, ts))
    for (const [name, content] of Object.entries(files))
      await writeFile(join(this.dir, ts, name), content)
    await symlink(ts, join(this.dir, '..data_tmp'))
    await rename(join(this.dir, '..data_tmp'), join(this.dir, '..data'))
    const old = this.current
    this.current = ts
    if (old !== undefined) await rm(join(this.dir, old), { recursive: true, force: true })
  }
}

export interface OpsServeOptions {
  /** The AuthenticationConfiguration (object → JSON text). */
  readonly config: unknown
  /** Lay the config and the TLS files out as ConfigMap/Secret volumes. Default false. */
  readonly volumes?: boolean
  readonly logger?: Logger
  readonly serve?: Partial<ServeOptions>
}

export interface OpsServe {
  readonly dir: string
  readonly handle: ServeHandle
  readonly webhookCa: CertificateAuthority
  readonly url: string
  readonly health: string
  readonly configPath: string
  /** Set when `volumes`: the config's and the TLS Secret's directories. */
  readonly configVolume: AtomicDir | undefined
  readonly tlsVolume: AtomicDir | undefined
  review(token: string, caPem?: string): Promise<HttpsResponse>
  status(token: string): Promise<Record<string, unknown>>
  scrape(): Promise<Exposition>
  readyz(verbose?: boolean): Promise<{ status: number; body: string }>
  stop(): Promise<void>
}

export function configText(config: unknown): string {
  return typeof config === 'string' ? config : JSON.stringify(config, null, 2)
}

export async function startOpsServe(opts: OpsServeOptions): Promise<OpsServe> {
  const dir = await mkdtemp(join(tmpdir(), 'ops-serve-'))
  const webhookCa = await createCertificateAuthority({ commonName: 'ops webhook CA' })
  const serving = await createServerCertificate(webhookCa)
  let configPath: string
  let certPath: string
  let keyPath: string
  let configVolume: AtomicDir | undefined
  let tlsVolume: AtomicDir | undefined
  if (opts.volumes === true) {
    configVolume = await AtomicDir.create(join(dir, 'config'), {
      'config.yaml': configText(opts.config),
    })
    tlsVolume = await AtomicDir.create(join(dir, 'tls'), {
      'tls.crt': serving.certPem,
      'tls.key': serving.keyPem,
    })
    configPath = configVolume.path('config.yaml')
    certPath = tlsVolume.path('tls.crt')
    keyPath = tlsVolume.path('tls.key')
  } else {
    configPath = join(dir, 'config.yaml')
    certPath = join(dir, 'tls.crt')
    keyPath = join(dir, 'tls.key')
    await writeFile(configPath, configText(opts.config))
    await writeFile(certPath, serving.certPem)
    await writeFile(keyPath, serving.keyPem)
  }
  const loaded = await loadAuthenticationConfig(configPath)
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
  const serveOpts: ServeOptions = {
    authenticationConfig: configPath,
    bindAddress: '127.0.0.1',
    securePort: 0,
    tlsCertFile: certPath,
    tlsPrivateKeyFile: keyPath,
    healthPort: 0,
    logLevel: 'info',
    cacheTtlMs: 10_000,
    cacheMaxEntries: 1000,
    shutdownGraceMs: 2000,
    reloadPollMs: 200,
    ...opts.serve,
  }
  // healthPort 0 turns the health port off in serve; pick a free one by binding to a real port.
  const healthPort = serveOpts.healthPort === 0 ? await freeLocalPort() : serveOpts.healthPort
  const handle = await startServe(
    { ...serveOpts, healthPort },
    loaded.config,
    loaded.bytes,
    { cert: serving.certPem, key: serving.keyPem },
    opts.logger ?? silentLogger,
  )
  const url = `https://localhost:${handle.securePort}/authenticate`
  const health = `http://127.0.0.1:${handle.healthPort ?? 0}`
  const review = (token: string, caPem = webhookCa.certPem): Promise<HttpsResponse> =>
    postJson(url, caPem, tokenReviewBody(token))
  return {
    dir,
    handle,
    webhookCa,
    url,
    health,
    configPath,
    configVolume,
    tlsVolume,
    review,
    async status(token) {
      const res = await review(token)
      if (res.statusCode !== 200) throw new Error(`review answered ${res.statusCode}: ${res.body}`)
      return (JSON.parse(res.body) as { status: Record<string, unknown> }).status
    },
    async scrape() {
      const res = await fetch(`${health}/metrics`)
      return parsePrometheusText(await res.text())
    },
    async readyz(verbose = false) {
      const res = await fetch(`${health}/readyz${verbose ? '?verbose' : ''}`)
      return { status: res.status, body: await res.text() }
    },
    async stop() {
      await handle.shutdown()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function freeLocalPort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** Polls `probe` every 25 ms until it returns true; returns the ms it took, throws after `timeoutMs`. */
export async function eventually(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now()
  for (;;) {
    if (await probe()) return Date.now() - started
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A minimal issuer entry of an AuthenticationConfiguration for a test issuer. */
export function issuerEntry(
  url: string,
  caPem: string,
  audience = 'kubernetes',
  prefix = 'oidc:',
): Record<string, unknown> {
  return {
    issuer: { url, certificateAuthority: caPem, audiences: [audience] },
    claimMappings: { username: { claim: 'sub', prefix }, groups: { claim: 'groups', prefix: '' } },
  }
}

export function authConfig(...entries: Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: entries,
  }
}
