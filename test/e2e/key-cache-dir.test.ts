/**
 * --key-cache-dir is a trust anchor (whoever writes a cache file chooses the
 * keys an issuer's tokens verify with after a restart), so the built CLI
 * refuses a directory or file another user could have written, and writes its
 * own files with exclusive create and rename.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256Label } from '../../src/metrics/labels.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { authConfig, eventually, issuerEntry } from '../helpers/ops-serve.js'
import { freePort, runCli, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

const nowS = (): number => Math.floor(Date.now() / 1000)
const isRoot = process.getuid?.() === 0

async function serveArgs(
  files: ServeFiles,
  extra: string[],
): Promise<{ args: string[]; health: string; url: string }> {
  const [port, healthPort] = [await freePort(), await freePort()]
  return {
    args: [
      'serve',
      `--authentication-config=${files.configFile}`,
      `--tls-cert-file=${files.certFile}`,
      `--tls-private-key-file=${files.keyFile}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--health-port=${healthPort}`,
      '--shutdown-grace=1s',
      ...extra,
    ],
    health: `http://127.0.0.1:${healthPort}`,
    url: `https://localhost:${port}/authenticate`,
  }
}

describe('e2e: an unsafe --key-cache-dir is a start-up error', () => {
  let files: ServeFiles
  let root: string
  beforeAll(async () => {
    files = await serveFiles()
    root = await mkdtemp(join(tmpdir(), 'key-cache-guard-'))
  })
  afterAll(async () => {
    await rm(files.dir, { recursive: true, force: true })
    await rm(root, { recursive: true, force: true })
  })

  const cases: Array<{
    name: string
    make: (dir: string) => Promise<void>
    error: (dir: string) => string
  }> = [
    {
      name: 'writable by others (an emptyDir mount is 0777)',
      make: async (dir) => {
        await mkdir(dir)
        await chmod(dir, 0o777)
      },
      error: (dir) =>
        `--key-cache-dir: ${dir} is writable by group or others (mode 0777); allow only its owner to write (chmod go-w ${dir})`,
    },
    {
      name: 'writable by its group',
      make: async (dir) => {
        await mkdir(dir)
        await chmod(dir, 0o770)
      },
      error: (dir) =>
        `--key-cache-dir: ${dir} is writable by group or others (mode 0770); allow only its owner to write (chmod go-w ${dir})`,
    },
    {
      name: 'a regular file',
      make: (dir) => writeFile(dir, ''),
      error: (dir) => `--key-cache-dir: ${dir} is not a directory`,
    },
    // Only root can hand a directory to another user.
    ...(isRoot
      ? [
          {
            name: 'owned by another user',
            make: async (dir: string) => {
              await mkdir(dir, { mode: 0o700 })
              await chown(dir, 65534, 65534)
            },
            error: (dir: string) =>
              `--key-cache-dir: ${dir} is owned by uid 65534, not by the user of this process (uid 0)`,
          },
        ]
      : []),
  ]

  it.each(cases)('serve: $name -> exit 1 with the reason', async ({ name, make, error }) => {
    const dir = join(root, `serve-${name.replace(/\W+/g, '-')}`)
    await make(dir)
    const { args } = await serveArgs(files, [`--key-cache-dir=${dir}`])
    const r = await runCli(args)
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`${error(dir)}\n`)
  })

  it.each(cases)('check: $name -> exit 1 with the reason', async ({ name, make, error }) => {
    const dir = join(root, `check-${name.replace(/\W+/g, '-')}`)
    await make(dir)
    const r = await runCli([
      'check',
      `--authentication-config=${files.configFile}`,
      '--token=x',
      `--key-cache-dir=${dir}`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`${error(dir)}\n`)
  })

  it('a missing directory is created, readable and writable by its owner only', async () => {
    const dir = join(root, 'created', 'keys')
    const { args, health } = await serveArgs(files, [`--key-cache-dir=${dir}`])
    const proc = startCli(args)
    try {
      await waitFor(`${health}/readyz`, 200, 15_000, proc)
      expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700')
    } finally {
      proc.child.kill('SIGTERM')
      await proc.exited(10_000)
    }
  })
})

describe('e2e: key cache files another user could have written are never read', () => {
  let issuer: TestIssuer
  let files: ServeFiles
  let keyDir: string
  let cacheFile: string

  beforeAll(async () => {
    issuer = await startTestIssuer({
      path: '/e2e-guard',
      algorithms: ['ES256'],
      keyFamily: 'key-cache-guard',
    })
    files = await serveFiles(JSON.stringify(authConfig(issuerEntry(issuer.url, issuer.caPem))))
    keyDir = await mkdtemp(join(tmpdir(), 'key-cache-files-'))
    cacheFile = join(keyDir, `${sha256Label(issuer.url).slice(7)}.json`)
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(files.dir, { recursive: true, force: true })
    await rm(keyDir, { recursive: true, force: true })
  })

  const sign = (sub: string): string =>
    issuer.sign({ iss: issuer.url, aud: 'kubernetes', sub, exp: nowS() + 600 }, { alg: 'ES256' })

  /** Starts serve with the cache while the issuer is down; returns the review of one token and the stderr. */
  async function reviewDuringOutage(sub: string): Promise<{ status: unknown; stderr: string }> {
    const { args, health, url } = await serveArgs(files, [`--key-cache-dir=${keyDir}`])
    const proc: Running = startCli(args)
    try {
      await waitFor(`${health}/readyz`, 200, 15_000, proc)
      // Loading the cache happens right after start; give it its turn before asking.
      await eventually(
        async () =>
          proc.stderr().includes('using cached discovery and keys') ||
          proc.stderr().includes('refused to read the key cache'),
        5000,
        'key cache considered',
      )
      const res = await postJson(url, files.ca.certPem, tokenReviewBody(sign(sub)))
      return { status: JSON.parse(res.body).status, stderr: proc.stderr() }
    } finally {
      proc.child.kill('SIGTERM')
      await proc.exited(10_000)
    }
  }

  it('writes 0600 files by exclusive create and rename; refuses group-writable files and symlinks', async () => {
    issuer.knobs.down = false
    const { args, health, url } = await serveArgs(files, [`--key-cache-dir=${keyDir}`])
    const first = startCli(args)
    try {
      await waitFor(`${health}/readyz`, 200, 15_000, first)
      const res = await postJson(url, files.ca.certPem, tokenReviewBody(sign('before')))
      expect(JSON.parse(res.body).status).toEqual({
        authenticated: true,
        user: { username: 'oidc:before' },
      })
      await eventually(
        async () => (await readdir(keyDir)).includes(cacheFile.slice(keyDir.length + 1)),
        3000,
        'key cache written',
      )
    } finally {
      first.child.kill('SIGTERM')
      await first.exited(10_000)
    }
    // No temporary file left behind, and the file is its owner's alone.
    expect(await readdir(keyDir)).toEqual([cacheFile.slice(keyDir.length + 1)])
    expect(((await stat(cacheFile)).mode & 0o777).toString(8)).toBe('600')

    issuer.knobs.down = true
    await chmod(cacheFile, 0o660)
    const groupWritable = await reviewDuringOutage('group-writable')
    expect(groupWritable.status).toEqual({
      authenticated: false,
      error: expect.stringMatching(/not initialized/),
    })
    expect(groupWritable.stderr).toContain(
      `${cacheFile} is writable by group or others (mode 0660)`,
    )

    const moved = join(keyDir, 'elsewhere.json')
    await chmod(cacheFile, 0o600)
    await writeFile(moved, await import('node:fs/promises').then((fs) => fs.readFile(cacheFile)), {
      mode: 0o600,
    })
    await rm(cacheFile)
    await symlink(moved, cacheFile)
    const linked = await reviewDuringOutage('symlink')
    expect(linked.status).toEqual({
      authenticated: false,
      error: expect.stringMatching(/not initialized/),
    })
    expect(linked.stderr).toContain(`${cacheFile} is a symbolic link`)

    // The same bytes as a file of its owner's: used, so the refusals above were the guard's doing.
    await rm(cacheFile)
    await import('node:fs/promises').then((fs) => fs.rename(moved, cacheFile))
    const safe = await reviewDuringOutage('safe')
    expect(safe.status).toEqual({ authenticated: true, user: { username: 'oidc:safe' } })
  })
})
