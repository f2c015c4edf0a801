/**
 * The proxy in process, between real parts: a real loopback OIDC issuer, the
 * fake API server (HTTPS, records what reaches it), real files for the
 * upstream CA and token, and serve's real assembly with the proxy on the
 * secure port.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { proxySecurePort } from '../../src/commands/proxy.js'
import { silentLogger, type Logger } from '../../src/log/logger.js'
import type { ServeOptions } from '../../src/commands/serve.js'
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.js'
import { startTestIssuer, type TestIssuer } from './issuer.js'
import { authConfig, startOpsServe, type OpsServe } from './ops-serve.js'
import type { Json } from './tokens.js'

export const UPSTREAM_TOKEN = 'proxy-service-account-token'
/** Extra keys with characters that must be percent-encoded in a header name. */
export const ODD_EXTRA_KEY = 'example.org/100%:odd~key'

export interface ProxyFixture {
  readonly issuer: TestIssuer
  readonly apiserver: FakeApiServer
  readonly serve: OpsServe
  /** `https://127.0.0.1:<port>` of the proxy. */
  readonly url: string
  readonly port: number
  /** PEM of the CA that signed the proxy's serving certificate. */
  readonly caPem: string
  readonly upstreamTokenFile: string
  /** A token the issuer signs, valid for an hour, with `claims` over a default user. */
  token(claims?: Json): string
  stop(): Promise<void>
}

export interface ProxyFixtureOptions {
  readonly logger?: Logger
  readonly probeIntervalMs?: number
  readonly serve?: Partial<ServeOptions>
  /** Subjects put on a `--revocation-file` (none: no file). */
  readonly revokedSubjects?: readonly string[]
}

export async function startProxyFixture(opts: ProxyFixtureOptions = {}): Promise<ProxyFixture> {
  const issuer = await startTestIssuer()
  const apiserver = await startFakeApiServer(issuer.ca)
  const config = authConfig({
    issuer: { url: issuer.url, certificateAuthority: issuer.caPem, audiences: ['kubernetes'] },
    claimMappings: {
      username: { claim: 'sub', prefix: 'oidc:' },
      groups: { claim: 'groups', prefix: '' },
      uid: { expression: "has(claims.uid) ? claims.uid : ''" },
      extra: [
        { key: 'example.org/display-name', valueExpression: "has(claims.name) ? claims.name : ''" },
        { key: ODD_EXTRA_KEY, valueExpression: 'has(claims.odd) ? claims.odd : []' },
      ],
    },
  })
  const logger = opts.logger ?? silentLogger
  // The upstream files go in a directory of their own, written before the proxy starts.
  const upstreamDir = await mkdtemp(join(tmpdir(), 'proxy-upstream-'))
  const caFile = join(upstreamDir, 'ca.crt')
  const tokenFile = join(upstreamDir, 'token')
  await writeFile(caFile, issuer.caPem)
  await writeFile(tokenFile, `${UPSTREAM_TOKEN}\n`)
  const revocationFile = join(upstreamDir, 'revocations.json')
  if (opts.revokedSubjects !== undefined)
    await writeFile(
      revocationFile,
      JSON.stringify({
        apiVersion: 'kube-oidc-webhook/v1alpha1',
        kind: 'RevocationList',
        entries: opts.revokedSubjects.map((subject) => ({ issuer: issuer.url, subject })),
      }),
    )
  const securePortServer = proxySecurePort(
    {
      upstream: apiserver.url,
      upstreamCaFile: caFile,
      upstreamTokenFile: tokenFile,
      url: new URL(apiserver.url),
      caPem: issuer.caPem,
      token: UPSTREAM_TOKEN,
      pollIntervalMs: 100,
      probeIntervalMs: opts.probeIntervalMs ?? 200,
    },
    logger,
  )
  const serve = await startOpsServe({
    config,
    logger,
    serve: {
      securePortServer,
      ...(opts.revokedSubjects === undefined ? {} : { revocationFile }),
      ...opts.serve,
    },
  })
  const port = serve.handle.securePort
  const now = Math.floor(Date.now() / 1000)
  return {
    issuer,
    apiserver,
    serve,
    url: `https://127.0.0.1:${port}`,
    port,
    caPem: serve.webhookCa.certPem,
    upstreamTokenFile: tokenFile,
    token: (claims = {}) =>
      issuer.sign({
        iss: issuer.url,
        aud: 'kubernetes',
        sub: 'jane',
        iat: now,
        exp: now + 3600,
        groups: ['developers'],
        ...claims,
      }),
    async stop() {
      await serve.stop()
      await apiserver.stop()
      await issuer.stop()
      await rm(upstreamDir, { recursive: true, force: true })
    },
  }
}
