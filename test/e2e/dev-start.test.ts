/**
 * The README's `npm start` path as a process: `node dist/cli.js dev` with
 * every port picked free, read what it prints and writes, get the sample token
 * authenticated over HTTPS with the written client certificate and CA, and
 * stop it with SIGINT.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { httpsRequest, postJson } from '../helpers/https-client.js'
import { runCli, startCli, type Finished, type Running } from './cli-process.js'

interface Kubeconfig {
  'current-context': string
  contexts: { name: string; context: { cluster: string; user: string } }[]
  clusters: { name: string; cluster: Record<string, string> }[]
  users: { name: string; user: Record<string, string> }[]
}

const READY_LINE = 'Press Ctrl-C to stop.'

async function startedDev(args: string[]): Promise<Running> {
  const proc = startCli(['dev', ...args])
  const deadline = Date.now() + 45_000
  while (!proc.stdout().includes(READY_LINE)) {
    if (proc.child.exitCode !== null)
      throw new Error(`dev exited (${proc.child.exitCode}) before it was ready:\n${proc.stderr()}`)
    if (Date.now() > deadline) throw new Error(`dev was not ready in time:\n${proc.stderr()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return proc
}

const fromBase64 = (text: string | undefined): string =>
  Buffer.from(text ?? '', 'base64').toString('utf8')

describe('e2e: kube-oidc-webhook dev (npm start)', () => {
  let dir: string
  let proc: Running
  let out: string
  let kubeconfig: Kubeconfig
  const file = (name: string): string => join(dir, name)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-dev-'))
    proc = await startedDev([
      '--dir',
      dir,
      '--issuer-port',
      '0',
      '--secure-port',
      '0',
      '--health-port',
      '0',
    ])
    out = proc.stdout()
    kubeconfig = parse(await readFile(file('webhook-kubeconfig.yaml'), 'utf8')) as Kubeconfig
  }, 60_000)

  afterAll(async () => {
    proc?.child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })

  const printed = (pattern: RegExp): string => {
    const match = pattern.exec(out)
    if (match?.[1] === undefined) throw new Error(`not printed: ${pattern}\n${out}`)
    return match[1]
  }
  const webhookUrl = (): string => printed(/^ {2}webhook +(https:\/\/\S+)/m)
  const issuerUrl = (): string => printed(/^ {2}OIDC issuer +(https:\/\/\S+)/m)
  const token = (): string => printed(/^Sample id_token for jane.*\n(\S+)$/m)

  const currentCluster = (): { server: string; ca: string; certificate: string; key: string } => {
    const context = kubeconfig.contexts.find((c) => c.name === kubeconfig['current-context'])
    const cluster = kubeconfig.clusters.find((c) => c.name === context?.context.cluster)
    const user = kubeconfig.users.find((u) => u.name === context?.context.user)
    return {
      server: cluster?.cluster.server ?? '',
      ca: fromBase64(cluster?.cluster['certificate-authority-data']),
      certificate: fromBase64(user?.user['client-certificate-data']),
      key: fromBase64(user?.user['client-key-data']),
    }
  }

  it('prints where it runs: issuer and webhook on 127.0.0.1 with the real ports, health off', () => {
    expect(issuerUrl()).toMatch(/^https:\/\/127\.0\.0\.1:[1-9]\d*$/)
    expect(webhookUrl()).toMatch(/^https:\/\/127\.0\.0\.1:[1-9]\d*\/authenticate$/)
    expect(out).toContain('  health       off (--health-port 0)')
    expect(out).toContain('jane     jane@example.com      groups: developers, cluster-viewers')
  })

  it('writes a self-contained kubeconfig whose current context names the printed server', () => {
    expect(kubeconfig['current-context']).toBe('webhook')
    const cluster = currentCluster()
    expect(cluster.server).toBe(webhookUrl())
    expect(cluster.server.endsWith('/authenticate')).toBe(true)
    expect(cluster.ca).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    expect(cluster.certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    expect(cluster.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
  })

  it('the serving certificate has a SAN for the kubeconfig host and chains to its CA', async () => {
    const { server, ca } = currentCluster()
    const serving = new X509Certificate(await readFile(file('tls.crt')))
    const caCert = new X509Certificate(ca)
    expect(serving.checkIP(new URL(server).hostname)).toBe('127.0.0.1')
    expect(serving.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    )
    expect(serving.verify(caCert.publicKey)).toBe(true)
    expect(await readFile(file('ca.crt'), 'utf8')).toBe(ca)
  })

  it('the sample token, tokenreview.json and token file agree', async () => {
    expect(await readFile(file('token'), 'utf8')).toBe(`${token()}\n`)
    expect(JSON.parse(await readFile(file('tokenreview.json'), 'utf8'))).toEqual({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { token: token() },
      status: { user: {} },
    })
  })

  it('the sample token is authenticated over HTTPS with the written client certificate and CA', async () => {
    const { server, ca, certificate, key } = currentCluster()
    const res = await postJson(
      `${server}?timeout=30s`,
      ca,
      await readFile(file('tokenreview.json'), 'utf8'),
      { cert: certificate, key },
    )
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
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
    })
  })

  it('without the client certificate the webhook refuses the connection (mTLS on)', async () => {
    const { server, ca } = currentCluster()
    await expect(
      httpsRequest({
        url: server,
        ca,
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      }),
    ).rejects.toThrow(/certificate required|socket hang up|ECONNRESET|alert/)
  })

  it('the config it wrote validates and `check` with the printed command accepts the token', async () => {
    const config = await readFile(file('authentication-config.yaml'), 'utf8')
    const doc = parse(config) as { apiVersion: string; jwt: { issuer: Record<string, unknown> }[] }
    expect(doc.apiVersion).toBe('apiserver.config.k8s.io/v1')
    expect(doc.jwt[0]?.issuer).toEqual({
      url: issuerUrl(),
      certificateAuthority: await readFile(file('ca.crt'), 'utf8'),
      audiences: ['kubernetes'],
    })
    const validated = await runCli([
      'validate',
      '--authentication-config',
      file('authentication-config.yaml'),
    ])
    expect(validated.code).toBe(0)
    expect(out).toContain(
      `check --authentication-config ${file('authentication-config.yaml')} --token "$(cat ${file('token')})"`,
    )
    const checked = await runCli([
      'check',
      '--authentication-config',
      file('authentication-config.yaml'),
      '--token',
      token(),
    ])
    expect(checked.code).toBe(0)
    expect(JSON.parse(checked.stdout).user.username).toBe('oidc:jane@example.com')
  })

  it('prints the curl and kubectl commands with the real port and the raw path /authenticate', () => {
    expect(out).toContain(
      `curl --cacert ${file('ca.crt')} --cert ${file('client.crt')} --key ${file('client.key')} -H 'Content-Type: application/json' --data @${file('tokenreview.json')} ${webhookUrl()}\n`,
    )
    expect(out).toContain(
      `kubectl --kubeconfig ${file('webhook-kubeconfig.yaml')} create --raw /authenticate -f ${file('tokenreview.json')}\n`,
    )
    expect(out).toContain(
      `--oidc-issuer-url=${issuerUrl()} --oidc-client-id=kubernetes --certificate-authority=${file('ca.crt')}`,
    )
  })

  it('SIGINT stops everything and exits 0; no token and no oidc-provider warning on stderr', async () => {
    const { server, ca, certificate, key } = currentCluster()
    proc.child.kill('SIGINT')
    const done: Finished = await proc.exited(15_000)
    expect({ code: done.code, signal: done.signal }).toEqual({ code: 0, signal: null })
    expect(done.stderr).not.toContain(token())
    expect(done.stderr).not.toContain('oidc-provider WARNING')
    await expect(postJson(server, ca, '{}', { cert: certificate, key })).rejects.toThrow(
      /ECONNREFUSED/,
    )
  })
})

describe('e2e: kube-oidc-webhook dev refuses what it cannot do', () => {
  let busy: Server
  let busyPort: number
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-dev-refuse-'))
    busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const address = busy.address()
    busyPort = typeof address === 'object' && address !== null ? address.port : 0
  })
  afterAll(async () => {
    await new Promise((r) => busy.close(r))
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    {
      name: 'a non-loopback --bind-address',
      args: () => ['--bind-address', '0.0.0.0'],
      stderr: () =>
        'Error: --bind-address "0.0.0.0" is not a loopback address: dev serves a password-less login and private keys, so it only listens on 127.0.0.1, ::1 or localhost\n',
    },
    {
      name: 'the issuer port in use',
      args: () => ['--issuer-port', String(busyPort)],
      stderr: () =>
        `Error: port ${busyPort} on 127.0.0.1 is already in use (wanted for the OIDC issuer): stop what uses it, or choose another port with --issuer-port (0 picks a free one)\n`,
    },
    {
      name: 'the webhook port in use',
      args: () => ['--issuer-port', '0', '--secure-port', String(busyPort), '--health-port', '0'],
      stderr: () =>
        `Error: port ${busyPort} on 127.0.0.1 is already in use (wanted for the webhook): stop what uses it, or choose another port with --secure-port (0 picks a free one)\n`,
    },
    {
      name: 'the health port in use',
      args: () => ['--issuer-port', '0', '--secure-port', '0', '--health-port', String(busyPort)],
      stderr: () =>
        `Error: port ${busyPort} on 127.0.0.1 is already in use (wanted for the health port): stop what uses it, or choose another port with --health-port (0 picks a free one)\n`,
    },
    {
      name: 'an unknown flag',
      args: () => ['--issuer=x'],
      stderr: () =>
        'Error: unknown flag: --issuer\nRun "kube-oidc-webhook dev --help" for usage.\n',
    },
  ])('$name -> exit 1 with the reason on stderr', async ({ args, stderr }) => {
    const done = await runCli(['dev', '--dir', dir, ...args()], { timeoutMs: 30_000 })
    expect({ code: done.code, stderr: done.stderr.replace(/^\{.*\}\n/gm, '') }).toEqual({
      code: 1,
      stderr: stderr(),
    })
    expect(done.stdout).toBe('')
  })

  it('--help lists every dev flag with its default', async () => {
    const done = await runCli(['dev', '--help'])
    expect(done.code).toBe(0)
    for (const line of [
      '--dir string',
      '(default "dev")',
      '--issuer-port int',
      '(default 9443)',
      '--secure-port int',
      '(default 8443)',
      '--health-port int',
      '(default 8080)',
      '--bind-address string',
      '(default "127.0.0.1")',
      '--log-level string',
    ])
      expect(done.stdout).toContain(line)
  })
})
