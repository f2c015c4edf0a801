/**
 * kubectl, the real client, through the proxy with a real token from a real
 * issuer, against the fake API server: get, get --watch, auth whoami (the fake
 * answers from the impersonation headers it received) and exec over
 * WebSockets against its echoing exec endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { startProxyFixture, UPSTREAM_TOKEN, type ProxyFixture } from '../helpers/proxy-fixture.js'

const KUBECTL = spawnSync('which', ['kubectl'], { encoding: 'utf8' }).stdout.trim()
if (KUBECTL === '')
  console.log('proxy-kubectl tests skipped: kubectl is not on PATH (`which kubectl` found nothing)')
const describeWithKubectl = KUBECTL === '' ? describe.skip : describe

interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

let fx: ProxyFixture
let dir: string

function kubectl(args: string[], stdin = ''): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: dir } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
        resolve({ code, stdout, stderr })
      },
    )
    child.stdin?.end(stdin)
  })
}

async function writeKubeconfig(token: string): Promise<void> {
  await writeFile(
    join(dir, 'kubeconfig'),
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'proxy',
          cluster: {
            server: fx.url,
            'certificate-authority-data': Buffer.from(fx.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'jane', user: { token } }],
      contexts: [
        { name: 'proxy', context: { cluster: 'proxy', user: 'jane', namespace: 'default' } },
      ],
      'current-context': 'proxy',
    }),
  )
}

describeWithKubectl('integration: kubectl through the proxy', () => {
  beforeAll(async () => {
    fx = await startProxyFixture()
    dir = await mkdtemp(join(tmpdir(), 'proxy-kubectl-'))
    await writeKubeconfig(
      fx.token({ sub: 'jane', uid: 'jane-1', groups: ['developers', 'viewers'], odd: ['v'] }),
    )
  }, 30_000)

  afterAll(async () => {
    await fx?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('get pods', async () => {
    const res = await kubectl(['get', 'pods', '-o', 'name'])
    expect(res).toEqual({ code: 0, stdout: 'pod/pod-a\npod/pod-b\n', stderr: '' })
    const [list] = fx.apiserver.to('/api/v1/namespaces/default/pods')
    expect(list).toBeDefined()
    expect(fx.apiserver.header(list!, 'authorization')).toEqual([`Bearer ${UPSTREAM_TOKEN}`])
    expect(fx.apiserver.header(list!, 'impersonate-user')).toEqual(['oidc:jane'])
  })

  it('get pods --watch: the list, then the watch events as they stream', async () => {
    fx.apiserver.watchEvents = 3
    const res = await kubectl(['get', 'pods', '-o', 'name', '--watch'])
    expect(res.stdout).toBe('pod/pod-a\npod/pod-b\npod/watched-1\npod/watched-2\npod/watched-3\n')
    const watches = fx.apiserver
      .to('/api/v1/namespaces/default/pods')
      .filter((r) => r.url.includes('watch=true'))
    expect(watches.length).toBeGreaterThanOrEqual(1)
  })

  it('auth whoami shows the mapped user', async () => {
    const res = await kubectl(['auth', 'whoami', '-o', 'json'])
    expect(res.code).toBe(0)
    expect((JSON.parse(res.stdout) as { status: unknown }).status).toEqual({
      userInfo: {
        username: 'oidc:jane',
        uid: 'jane-1',
        groups: ['developers', 'viewers', 'system:authenticated'],
        extra: { 'example.org/100%:odd~key': ['v'] },
      },
    })
  })

  it('exec over WebSockets: stdin echoed back through the upgraded connection', async () => {
    const res = await kubectl(['exec', '-i', 'pod-a', '--', 'cat'], 'hello through the proxy\n')
    expect(res).toEqual({ code: 0, stdout: 'hello through the proxy\n', stderr: '' })
    const [upgrade] = fx.apiserver.to('/api/v1/namespaces/default/pods/pod-a/exec')
    expect(upgrade?.upgrade).toBe(true)
    expect(fx.apiserver.header(upgrade!, 'upgrade')).toEqual(['websocket'])
    expect(fx.apiserver.header(upgrade!, 'impersonate-user')).toEqual(['oidc:jane'])
  })

  it('a refused token: kubectl prints the Unauthorized Status', async () => {
    await writeKubeconfig(fx.token({ exp: 1000 }))
    const res = await kubectl(['get', 'pods', '-o', 'name'])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('error: You must be logged in to the server (Unauthorized)')
  })
})
