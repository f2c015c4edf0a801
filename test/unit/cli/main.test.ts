import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { runCli } from '../../../src/cli/main.js'
import type { CliIO } from '../../../src/runtime/cli-io.js'

function capture(stdin = ''): { io: CliIO; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      stdin: Readable.from([stdin]),
    },
    out: () => out,
    err: () => err,
  }
}

const VALID = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://issuer.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`

const INVALID = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://issuer.example.com
    audiences: []
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`

describe('runCli', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-test-'))
    await writeFile(join(dir, 'valid.yaml'), VALID)
    await writeFile(join(dir, 'invalid.yaml'), INVALID)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.each([[[]], [['--help']], [['-h']]])('%j prints the top-level help, exit 0', async (argv) => {
    const c = capture()
    expect(await runCli(argv, c.io)).toBe(0)
    expect(c.out()).toContain('kube-oidc-webhook <command> [flags]')
    expect(c.err()).toBe('')
  })

  it.each(['serve', 'validate', 'check'])('%s --help prints its flags, exit 0', async (name) => {
    const c = capture()
    expect(await runCli([name, '--help'], c.io)).toBe(0)
    expect(c.out()).toContain('--authentication-config string')
  })

  it('unknown command -> exit 1 on stderr', async () => {
    const c = capture()
    expect(await runCli(['frobnicate'], c.io)).toBe(1)
    expect(c.err()).toBe(
      'Error: unknown command "frobnicate" for "kube-oidc-webhook"\nRun "kube-oidc-webhook --help" for usage.\n',
    )
    expect(c.out()).toBe('')
  })

  it('bad flags -> every error on stderr, exit 1', async () => {
    const c = capture()
    expect(await runCli(['serve', '--cache-ttl=1d', '--nope'], c.io)).toBe(1)
    expect(c.err()).toBe(
      [
        'Error: invalid argument "1d" for "--cache-ttl" flag: time: unknown unit "d" in duration "1d"',
        'Error: unknown flag: --nope',
        'Error: required flag(s) "authentication-config", "tls-cert-file", "tls-private-key-file" not set',
        'Run "kube-oidc-webhook serve --help" for usage.',
        '',
      ].join('\n'),
    )
  })

  it('validate: a valid file -> exit 0 and one OK line', async () => {
    const c = capture()
    const path = join(dir, 'valid.yaml')
    expect(await runCli(['validate', '--authentication-config', path], c.io)).toBe(0)
    expect(c.out()).toBe(`${path}: valid AuthenticationConfiguration (1 JWT issuer)\n`)
    expect(c.err()).toBe('')
  })

  it('validate: an invalid file -> exit 1, each field error on its own line', async () => {
    const c = capture()
    expect(
      await runCli(['validate', `--authentication-config=${join(dir, 'invalid.yaml')}`], c.io),
    ).toBe(1)
    const lines = c.err().trimEnd().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(lines).toContain(
      'jwt[0].issuer.url: Invalid value: "http://issuer.example.com": URL scheme must be https',
    )
    expect(lines.some((l) => l.startsWith('jwt[0].issuer.audiences: Required value'))).toBe(true)
    expect(c.out()).toBe('')
  })

  it('validate: a missing file -> exit 1 with the read error', async () => {
    const c = capture()
    const path = join(dir, 'absent.yaml')
    expect(await runCli(['validate', '--authentication-config', path], c.io)).toBe(1)
    expect(c.err()).toBe(
      `failed to load authentication configuration from file ${JSON.stringify(path)}: open ${path}: no such file or directory\n`,
    )
  })

  it('check: an empty token from stdin -> exit 1 without loading anything', async () => {
    const c = capture('\n')
    expect(
      await runCli(
        ['check', '--authentication-config', join(dir, 'valid.yaml'), '--token', '-'],
        c.io,
      ),
    ).toBe(1)
    expect(c.err()).toBe('Error: the token is empty\n')
  })
})
