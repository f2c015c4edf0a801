/**
 * One loading path: `serve` at start, `validate`, `check` and a config reload
 * of the running `serve` turn the same file bytes into the same verdict (go-yaml's
 * reader refuses bad UTF-8, one hash over the original bytes). A reload used to
 * decode with replacement characters, so it applied files the other three
 * refused, and hashed re-encoded text instead of the file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { stringify } from 'yaml'
import { authConfig, eventually, issuerEntry } from '../helpers/ops-serve.js'
import { parsePrometheusText, select, total } from '../helpers/prometheus-text.js'
import { freePort, runCli, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, UNREACHABLE_ISSUER_CONFIG, type ServeFiles } from './serve-fixture.js'

/** `config` with `bytes` in a leading comment or inside its first claim prefix `oidc:`. */
function withBytes(config: string, where: 'comment' | 'prefix', bytes: number[]): Buffer {
  const at = where === 'comment' ? 0 : config.indexOf('oidc:') + 'oidc'.length
  return Buffer.concat([
    Buffer.from(where === 'comment' ? '# owner: caf' : config.slice(0, at), 'utf8'),
    Buffer.from(bytes),
    Buffer.from(where === 'comment' ? `\n${config}` : config.slice(at), 'utf8'),
  ])
}

const CASES = [
  {
    name: 'a Latin-1 byte in a comment',
    where: 'comment',
    bytes: [0xe9],
    error: 'yaml: invalid trailing UTF-8 octet',
  },
  {
    name: 'a stray continuation byte in a claim prefix',
    where: 'prefix',
    bytes: [0x80],
    error: 'yaml: invalid leading UTF-8 octet',
  },
  {
    name: 'an encoded surrogate (CESU-8) in a claim prefix',
    where: 'prefix',
    bytes: [0xed, 0xa0, 0x80],
    error: 'yaml: invalid Unicode character',
  },
  {
    name: 'a truncated sequence in a claim prefix',
    where: 'prefix',
    bytes: [0xe2, 0x82],
    error: 'yaml: invalid trailing UTF-8 octet',
  },
] as const

describe('e2e: start, validate, check and reload load config bytes the same way', () => {
  let files: ServeFiles
  beforeAll(async () => {
    files = await serveFiles()
  })
  afterAll(() => rm(files.dir, { recursive: true, force: true }))

  it.each(CASES)(
    '$name: validate, check and serve refuse it alike',
    async ({ name, where, bytes, error }) => {
      const file = join(files.dir, `${name.replace(/\W+/g, '-')}.yaml`)
      await writeFile(file, withBytes(UNREACHABLE_ISSUER_CONFIG, where, [...bytes]))
      const [validate, check, serve] = await Promise.all([
        runCli(['validate', `--authentication-config=${file}`]),
        runCli(['check', `--authentication-config=${file}`, '--token=x']),
        runCli([
          'serve',
          `--authentication-config=${file}`,
          `--tls-cert-file=${files.certFile}`,
          `--tls-private-key-file=${files.keyFile}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${await freePort()}`,
          '--health-port=0',
        ]),
      ])
      for (const r of [validate, check, serve]) {
        expect(r.code).toBe(1)
        expect(r.stderr).toBe(
          `failed to load authentication configuration from file ${JSON.stringify(file)}: ${error}\n`,
        )
      }
    },
  )

  describe('reload of a running serve', () => {
    let proc: Running
    let health: string
    let issuer: TestIssuer
    let config: string
    beforeAll(async () => {
      // A reachable issuer: a new config applies only once its issuers completed discovery.
      issuer = await startTestIssuer({ path: '/loading-path', keyFamily: 'loading-path' })
      // YAML: go-yaml's reader refuses bad UTF-8 anywhere (in a JSON string Go would replace it).
      config = stringify(authConfig(issuerEntry(issuer.url, issuer.caPem)))
      await writeFile(files.configFile, config)
      const healthPort = await freePort()
      health = `http://127.0.0.1:${healthPort}`
      proc = startCli([
        'serve',
        `--authentication-config=${files.configFile}`,
        `--tls-cert-file=${files.certFile}`,
        `--tls-private-key-file=${files.keyFile}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        `--health-port=${healthPort}`,
        '--shutdown-grace=1s',
      ])
      await waitFor(`${health}/readyz`, 200, 15_000, proc)
    })
    afterAll(async () => {
      proc.child.kill('SIGTERM')
      await proc.exited(10_000)
      await issuer.stop()
    })

    async function reloads(): Promise<{ failure: number; hash: string | undefined }> {
      const m = parsePrometheusText(await (await fetch(`${health}/metrics`)).text())
      return {
        failure: total(m, 'apiserver_authentication_config_controller_automatic_reloads_total', {
          status: 'failure',
        }),
        hash: select(m, 'kube_oidc_webhook_config_info')[0]?.labels['hash'],
      }
    }

    const sha256 = (bytes: Buffer): string =>
      `sha256:${createHash('sha256').update(bytes).digest('hex')}`

    it.each(CASES)('$name: refused, the config in force stays', async ({ where, bytes, error }) => {
      const before = await reloads()
      await writeFile(files.configFile, withBytes(config, where, [...bytes]))
      await eventually(
        async () => (await reloads()).failure === before.failure + 1,
        10_000,
        'reload refused',
      )
      expect((await reloads()).hash).toBe(before.hash)
      expect(proc.stderr()).toContain(error)
    })

    it('a good file is applied, its hash taken over the bytes of the file', async () => {
      const bytes = Buffer.from(`# reloaded: café\n${config}`, 'utf8')
      await writeFile(files.configFile, bytes)
      await eventually(
        async () => (await reloads()).hash === sha256(bytes),
        10_000,
        'reload applied',
      )
    })
  })
})
