/**
 * Reloads the serving certificate with its key, and the client CA, when their
 * files change (including Kubernetes Secret volume swaps), for new handshakes
 * only: connections already open keep the context they started with.
 *
 * As kube-apiserver's dynamic certificate providers do
 * (k8s.io/apiserver/pkg/server/dynamiccertificates), the serving pair and the
 * client CA bundle are watched and applied independently, and new content is
 * applied only when it passes the same checks as at start (tls-material.ts):
 * an emptied, half-written or certificate-less file, or a key that does not
 * match, is refused with an error log and a count in
 * `kube_oidc_webhook_tls_reload_failures_total`; the material in force stays.
 */
import { readFile } from 'node:fs/promises'
import type https from 'node:https'
import type { Logger } from '../log/logger.js'
import type { TlsFileRoleLabel } from '../metrics/registry.js'
import { watchFiles, type FileWatcher } from '../runtime/watch-file.js'
import { reloadTlsMaterial, type TlsMaterial } from '../http/tls-server.js'
import {
  clientCaName,
  clientCaProblem,
  servingCertName,
  servingPairProblem,
} from '../http/tls-material.js'

/** Which watched material a reload concerns: kube-apiserver's provider purposes. */
export type TlsFileRole = TlsFileRoleLabel

export interface TlsReloaderOptions {
  readonly server: https.Server
  readonly certFile: string
  readonly keyFile: string
  readonly clientCaFile?: string
  readonly initial: TlsMaterial
  readonly logger: Logger
  readonly pollIntervalMs?: number
  /** Told after each considered change (tests, metrics). */
  readonly onReload?: (role: TlsFileRole, ok: boolean) => void
}

export interface TlsWatcher {
  /** Settles once every watcher has its baseline. */
  readonly ready: Promise<void>
  close(): void
}

export function watchTlsMaterial(opts: TlsReloaderOptions): TlsWatcher {
  let current: TlsMaterial = opts.initial
  const apply = (role: TlsFileRole, next: TlsMaterial): void => {
    try {
      reloadTlsMaterial(opts.server, next)
    } catch (err) {
      refuse(role, (err as Error).message)
      return
    }
    current = next
    opts.logger.info(
      role === 'serving-cert'
        ? { name: servingCertName(opts.certFile, opts.keyFile) }
        : { name: clientCaName(opts.clientCaFile ?? '') },
      'reloaded TLS material',
    )
    opts.onReload?.(role, true)
  }
  const refuse = (role: TlsFileRole, problem: string): void => {
    opts.logger.error({ role, problem }, 'refused new TLS material; the material in force stays')
    opts.onReload?.(role, false)
  }
  const pollIntervalMs = opts.pollIntervalMs ?? 1000
  const onError = (err: unknown): void =>
    opts.logger.warn({ err: (err as Error).message }, 'reading TLS files failed')

  const watchers: FileWatcher[] = [
    watchFiles(
      [opts.certFile, opts.keyFile],
      ([cert = Buffer.alloc(0), key = Buffer.alloc(0)]) => {
        const problem = servingPairProblem(cert, key, servingCertName(opts.certFile, opts.keyFile))
        if (problem !== undefined) return refuse('serving-cert', problem)
        apply('serving-cert', {
          ...current,
          cert: cert.toString('utf8'),
          key: key.toString('utf8'),
        })
      },
      {
        pollIntervalMs,
        initial: [Buffer.from(opts.initial.cert, 'utf8'), Buffer.from(opts.initial.key, 'utf8')],
        onError,
      },
    ),
  ]
  const caFile = opts.clientCaFile
  if (caFile !== undefined && opts.initial.clientCa !== undefined) {
    watchers.push(
      watchFiles(
        [caFile],
        ([ca = Buffer.alloc(0)]) => {
          const problem = clientCaProblem(ca, clientCaName(caFile))
          if (problem !== undefined) return refuse('client-ca-bundle', problem)
          apply('client-ca-bundle', { ...current, clientCa: ca.toString('utf8') })
        },
        { pollIntervalMs, initial: [Buffer.from(opts.initial.clientCa, 'utf8')], onError },
      ),
    )
  }
  return {
    ready: Promise.all(watchers.map((w) => w.baselineRead)).then(() => undefined),
    close: () => {
      for (const w of watchers) w.close()
    },
  }
}

/**
 * Reads the TLS files `serve` starts with and applies the reload rules to
 * them: a bad pair or client CA bundle is a start-up error, never "trust the
 * defaults". Every problem is returned, one line per flag.
 */
export async function readInitialTlsMaterial(files: {
  readonly certFile: string
  readonly keyFile: string
  readonly clientCaFile?: string
}): Promise<{ ok: true; material: TlsMaterial } | { ok: false; errors: string[] }> {
  const errors: string[] = []
  const read = async (flag: string, path: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(path)
    } catch (err) {
      errors.push(`--${flag}: ${(err as Error).message}`)
      return undefined
    }
  }
  const [cert, key, ca] = await Promise.all([
    read('tls-cert-file', files.certFile),
    read('tls-private-key-file', files.keyFile),
    files.clientCaFile === undefined ? undefined : read('client-ca-file', files.clientCaFile),
  ])
  if (cert !== undefined && key !== undefined) {
    const problem = servingPairProblem(cert, key, servingCertName(files.certFile, files.keyFile))
    if (problem !== undefined) errors.push(`--tls-cert-file, --tls-private-key-file: ${problem}`)
  }
  if (files.clientCaFile !== undefined && ca !== undefined) {
    const problem = clientCaProblem(ca, clientCaName(files.clientCaFile))
    if (problem !== undefined) errors.push(`--client-ca-file: ${problem}`)
  }
  if (errors.length > 0 || cert === undefined || key === undefined) return { ok: false, errors }
  return {
    ok: true,
    material: {
      cert: cert.toString('utf8'),
      key: key.toString('utf8'),
      ...(ca === undefined ? {} : { clientCa: ca.toString('utf8') }),
    },
  }
}
