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
    audiences: [other-kubernetes]
  claimMappings:
    username: {expression: "'other:' + claims.sub"}
`

/** Valid, with two warnings: an unpinned GitHub Actions issuer, and a username that can be system:... */
const RISKY = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://token.actions.githubusercontent.com
    audiences: [https://cluster.example.com]
  claimMappings:
    username: {claim: sub, prefix: ""}
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
    await writeFile(join(dir, 'risky.yaml'), RISKY)
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

  const RISKY_WARNINGS = [
    'Warning: jwt[0].claimValidationRules: https://token.actions.githubusercontent.com is GitHub Actions, which issues tokens to every job of every GitHub Actions user, and no rule pins the owner, project or repository, so all of them authenticate. Fix: add a rule requiring one of repository, repository_id, repository_owner, repository_owner_id, workflow_ref, sub, enterprise, enterprise_id (claim and requiredValue, or an expression comparing it with ==). [WARN_CI_ISSUER_UNPINNED]',
    `Warning: jwt[0].claimMappings.username: the mapping (no fixed prefix) can produce names starting with "system:", which Kubernetes reserves for its own components (system:kube-controller-manager, system:node:...), and no userValidationRules entry refuses them. Fix: give the mapping a prefix (such as "oidc:"), or add the userValidationRules expression "!user.username.startsWith('system:')". [WARN_USERNAME_SYSTEM_PREFIX]`,
  ]

  it('a valid file with warnings: exit 0, the warnings on stderr', async () => {
    const path = join(dir, 'risky.yaml')
    const r = await runCli(['validate', '--authentication-config', path])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${path}: valid AuthenticationConfiguration (1 JWT issuer)\n`)
    expect(r.stderr.trimEnd().split('\n')).toEqual(RISKY_WARNINGS)
  })

  it('--warnings-as-errors: the same warnings, then exit 1', async () => {
    const path = join(dir, 'risky.yaml')
    const r = await runCli(['validate', '--authentication-config', path, '--warnings-as-errors'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      ...RISKY_WARNINGS,
      `${path}: 2 warnings, refused by --warnings-as-errors`,
    ])
  })

  it.each([
    { args: ['--warnings-as-errors'], file: 'valid.yaml', code: 0 },
    { args: ['--warnings-as-errors=true'], file: 'valid.yaml', code: 0 },
    { args: ['--warnings-as-errors=false'], file: 'risky.yaml', code: 0 },
    { args: ['--warnings-as-errors=1'], file: 'risky.yaml', code: 1 },
  ])('$args on $file: exit $code', async ({ args, file, code }) => {
    const r = await runCli(['validate', ...args, `--authentication-config=${join(dir, file)}`])
    expect(r.code).toBe(code)
  })

  it.each([
    {
      name: 'a bad boolean',
      args: ['validate', '--authentication-config=x', '--warnings-as-errors=yes'],
      stderr:
        'Error: invalid argument "yes" for "--warnings-as-errors" flag: strconv.ParseBool: parsing "yes": invalid syntax\n',
    },
    {
      name: 'a bool flag does not take the next word',
      args: ['validate', '--warnings-as-errors', 'false', '--authentication-config=x'],
      stderr: 'Error: unexpected argument "false"\n',
    },
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
    expect(r.stdout).toContain('--service-account-issuer string')
  })

  it('--service-account-issuer, repeated and comma-separated: an issuer url equal to one is refused', async () => {
    const path = join(dir, 'valid.yaml')
    const r = await runCli([
      'validate',
      '--authentication-config',
      path,
      '--service-account-issuer',
      'https://other.example.com,https://kubernetes.default.svc',
      '--service-account-issuer=https://issuer.example.com',
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'jwt[0].issuer.url: Invalid value: "https://issuer.example.com": URL must not overlap with disallowed issuers: [https://issuer.example.com https://kubernetes.default.svc https://other.example.com]',
      'jwt[1].issuer.url: Invalid value: "https://other.example.com": URL must not overlap with disallowed issuers: [https://issuer.example.com https://kubernetes.default.svc https://other.example.com]',
    ])
  })

  it.each([
    ['valid-anonymous.yaml', ['WARN_ANONYMOUS_NO_EFFECT anonymous']],
    [
      'valid-egress-selector-type.yaml',
      [
        'WARN_EGRESS_SELECTOR_NO_EFFECT jwt[0].issuer.egressSelectorType',
        'WARN_EGRESS_SELECTOR_NO_EFFECT jwt[1].issuer.egressSelectorType',
      ],
    ],
  ])(
    'a Kubernetes 1.34+ file (%s): valid, one warning per field without effect',
    async (file, want) => {
      const path = join(process.cwd(), 'test/fixtures/configs', file)
      const r = await runCli(['validate', '--authentication-config', path])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(': valid AuthenticationConfiguration')
      const noEffect = r.stderr
        .split('\n')
        .filter((line) => line.includes('_NO_EFFECT]'))
        .map((line) => `${/\[(\w+)\]$/.exec(line)?.[1]} ${/^Warning: ([^:]+):/.exec(line)?.[1]}`)
      expect(noEffect).toEqual(want)
    },
  )

  it('--service-account-issuer that no issuer uses: still valid', async () => {
    const path = join(dir, 'valid.yaml')
    const r = await runCli([
      'validate',
      '--authentication-config',
      path,
      '--service-account-issuer=https://kubernetes.default.svc',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
  })
})
