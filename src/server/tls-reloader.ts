/**
 * Reloads the serving certificate, its key and the client CA when their files
 * change (including Kubernetes Secret volume swaps), for new handshakes only:
 * connections already open keep the context they started with. A pair that
 * does not load (a key that does not match, a half-written file) is refused and
 * the material in force stays.
 */
import { createSecureContext } from 'node:tls'
import type https from 'node:https'
import type { Logger } from '../log/logger.js'
import { watchFiles, type FileWatcher } from '../runtime/watch-file.js'
import { reloadTlsMaterial, type TlsMaterial } from '../http/tls-server.js'

export interface TlsReloaderOptions {
  readonly server: https.Server
  readonly certFile: string
  readonly keyFile: string
  readonly clientCaFile?: string
  readonly initial: TlsMaterial
  readonly logger: Logger
  readonly pollIntervalMs?: number
  /** Told after each applied change (tests, metrics). */
  readonly onReload?: (ok: boolean) => void
}

export function watchTlsMaterial(opts: TlsReloaderOptions): FileWatcher {
  const paths = [
    opts.certFile,
    opts.keyFile,
    ...(opts.clientCaFile === undefined ? [] : [opts.clientCaFile]),
  ]
  const initial = [
    opts.initial.cert,
    opts.initial.key,
    ...(opts.initial.clientCa === undefined ? [] : [opts.initial.clientCa]),
  ]
  return watchFiles(
    paths,
    ([cert, key, clientCa]) => {
      const material: TlsMaterial = {
        cert: cert?.toString('utf8') ?? '',
        key: key?.toString('utf8') ?? '',
        ...(clientCa === undefined ? {} : { clientCa: clientCa.toString('utf8') }),
      }
      try {
        // Throws on a key that does not match the certificate or unparsable PEM.
        createSecureContext({
          cert: material.cert,
          key: material.key,
          ...(material.clientCa ? { ca: material.clientCa } : {}),
        })
        reloadTlsMaterial(opts.server, material)
        opts.logger.info(
          { certFile: opts.certFile, clientCaFile: opts.clientCaFile },
          'reloaded TLS certificates',
        )
        opts.onReload?.(true)
      } catch (err) {
        opts.logger.error(
          { certFile: opts.certFile, err: (err as Error).message },
          'refused new TLS material; the previous certificate stays in force',
        )
        opts.onReload?.(false)
      }
    },
    {
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      initial: initial.map((pem) => Buffer.from(pem, 'utf8')),
      onError: (err) =>
        opts.logger.warn({ err: (err as Error).message }, 'reading TLS files failed'),
    },
  )
}
