/**
 * kubectl (client-go, the same HTTP client kube-apiserver uses for the webhook)
 * as the real client of the webhook, through the kubeconfig `dev` writes:
 * `kubectl --kubeconfig <webhook-kubeconfig.yaml> create --raw /authenticate -f tokenreview.json`.
 * client-go's RequestURI replaces the server URL's path, so the raw path is the
 * whole `/authenticate` (with `--raw /` the request would go to `/`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { startDev, type DevHandle } from '../../src/commands/dev.js'
import { startServe, type ServeHandle } from '../../src/commands/serve.js'
import { loadAuthenticationConfig } from '../../src/config/load.js'
import { DEV_FILES, webhookKubeconfig } from '../../src/dev/dev-files.js'
import { holdProviderNotices, type ProviderNoticeFilter } from '../../src/dev/provider-notices.js'
import { silentLogger } from '../../src/log/logger.js'

const KUBECTL = spawnSync('which', ['kubectl'], { encoding: 'utf8' }).stdout.trim()
if (KUBECTL === '')
  console.log(
    'kubectl-webhook tests skipped: kubectl is not on PATH (`which kubectl` found nothing)',
  )
const describeWithKubectl = KUBECTL === '' ? describe.skip : describe

interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

function kubectl(args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      args,
      { timeout: 20_000, env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
        resolve({ code, stdout, stderr })
      },
    )
    child.stdin?.end()
  })
}

/**
 * A kubeconfig with no client certificate. kubectl (unlike kube-apiserver,
 * which loads the file non-interactively) prompts for a username when a user
 * entry has no credential at all, so this one carries a bearer token the
 * webhook ignores.
 */
function withoutClientCertificate(serverUrl: string, caPem: string): string {
  const doc = parse(webhookKubeconfig({ serverUrl, caPem })) as { users: { user: object }[] }
  for (const entry of doc.users) entry.user = { token: 'ignored-by-the-webhook' }
  return stringify(doc)
}

const AUTHENTICATED = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenReview',
  status: {
    authenticated: true,
    user: {
      username: 'oidc:jane@example.com',
      uid: 'jane',
      groups: ['oidc:developers', 'oidc:cluster-viewers'],
      extra: { 'example.org/display-name': ['Jane Developer'] },
    },
  },
}

describeWithKubectl('integration: kubectl create --raw against the webhook', () => {
  let notices: ProviderNoticeFilter
  let dir: string
  let dev: DevHandle
  let plain: ServeHandle
  let caPem: string
  const file = (name: string): string => join(dir, name)

  beforeAll(async () => {
    notices = holdProviderNotices()
    dir = await mkdtemp(join(tmpdir(), 'kubectl-webhook-'))
    dev = await startDev(
      {
        dir,
        bindAddress: '127.0.0.1',
        issuerPort: 0,
        securePort: 0,
        healthPort: 0,
        logLevel: 'error',
      },
      silentLogger,
    )
    caPem = await readFile(file(DEV_FILES.ca), 'utf8')
    // A second webhook on the same files without --client-ca-file.
    const loaded = await loadAuthenticationConfig(file(DEV_FILES.authenticationConfig))
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
    plain = await startServe(
      {
        authenticationConfig: file(DEV_FILES.authenticationConfig),
        bindAddress: '127.0.0.1',
        securePort: 0,
        tlsCertFile: file(DEV_FILES.tlsCert),
        tlsPrivateKeyFile: file(DEV_FILES.tlsKey),
        healthPort: 0,
        logLevel: 'error',
        cacheTtlMs: 0,
        cacheMaxEntries: 10,
        shutdownGraceMs: 500,
      },
      loaded.config,
      loaded.bytes,
      {
        cert: await readFile(file(DEV_FILES.tlsCert), 'utf8'),
        key: await readFile(file(DEV_FILES.tlsKey), 'utf8'),
      },
      silentLogger,
    )
    await Promise.all([
      writeFile(file('mtls-no-client-cert.yaml'), withoutClientCertificate(dev.webhookUrl, caPem)),
      writeFile(
        file('plain.yaml'),
        withoutClientCertificate(`https://127.0.0.1:${plain.securePort}/authenticate`, caPem),
      ),
    ])
  }, 60_000)

  afterAll(async () => {
    await plain?.shutdown()
    await dev?.stop()
    notices?.restore()
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    {
      name: 'mTLS on, the generated kubeconfig (client certificate data) -> authenticated review',
      kubeconfig: DEV_FILES.kubeconfig,
    },
    {
      name: 'mTLS off (no --client-ca-file), a kubeconfig without client certificate -> authenticated review',
      kubeconfig: 'plain.yaml',
    },
  ])('$name', async ({ kubeconfig }) => {
    const result = await kubectl([
      '--kubeconfig',
      file(kubeconfig),
      'create',
      '--raw',
      '/authenticate',
      '-f',
      file(DEV_FILES.tokenReview),
    ])
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual(AUTHENTICATED)
    expect(result.stdout).not.toContain(dev.token)
  })

  it('mTLS on, a kubeconfig without the client certificate -> refused at the TLS layer', async () => {
    const result = await kubectl([
      '--kubeconfig',
      file('mtls-no-client-cert.yaml'),
      'create',
      '--raw',
      '/authenticate',
      '-f',
      file(DEV_FILES.tokenReview),
    ])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    // With TLS 1.3 the server's refusal arrives after the client's handshake has
    // finished, so Go reports whichever it sees first: the alert, or the socket
    // the server then closed.
    expect(result.stderr).toMatch(
      /tls: certificate required|tls: bad certificate|handshake failure|broken pipe|connection reset by peer|EOF|use of closed network connection/,
    )
  })
})
