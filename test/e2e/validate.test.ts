import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './cli-process.js'

const VALID = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://issuer.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
- issuer:
    url: https://other.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {expression: "'other:' + claims.sub"}
`

const INVALID = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://issuer.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
- issuer:
    url: https://other.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub}
`

describe('e2e: kube-oidc-webhook validate', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-validate-'))
    await writeFile(join(dir, 'valid.yaml'), VALID)
    await writeFile(join(dir, 'invalid.yaml'), INVALID)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('a valid file: exit 0, one line on stdout, nothing on stderr', async () => {
    const path = join(dir, 'valid.yaml')
    const r = await runCli(['validate', '--authentication-config', path])
    expect(r).toEqual({
      code: 0,
      signal: null,
      stdout: `${path}: valid AuthenticationConfiguration (2 JWT issuers)\n`,
      stderr: '',
    })
  })

  it('an invalid file: exit 1, every error with its field path on stderr', async () => {
    const r = await runCli(['validate', `--authentication-config=${join(dir, 'invalid.yaml')}`])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'jwt[0].issuer.url: Invalid value: "http://issuer.example.com": URL scheme must be https',
      'jwt[1].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
    ])
  })

  it.each([
    {
      name: 'no flags',
      args: ['validate'],
      stderr: 'Error: required flag(s) "authentication-config" not set\n',
    },
    {
      name: 'unknown flag',
      args: ['validate', '--authentication-config=x', '--tls-cert-file=y'],
      stderr: 'Error: unknown flag: --tls-cert-file\n',
    },
  ])('$name: exit 1 with the error on stderr', async ({ args, stderr }) => {
    const r = await runCli(args)
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`${stderr}Run "kube-oidc-webhook validate --help" for usage.\n`)
  })

  it('--help: exit 0 with the flags', async () => {
    const r = await runCli(['validate', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('--authentication-config string')
  })
})
