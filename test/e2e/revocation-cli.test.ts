/**
 * `--revocation-file` on the built CLI: `check` refuses a listed token and
 * names the entry, `validate` refuses a bad list with field paths, and `serve`
 * refuses to start on one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { runCli } from './cli-process.js'

const HEAD = 'apiVersion: kube-oidc-webhook/v1alpha1\nkind: RevocationList\n'

describe('e2e: --revocation-file', () => {
  let issuer: TestIssuer
  let dir: string
  let config: string
  let list: string
  let broken: string
  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: ['ES256'], keyFamily: 'e2e-revocation' })
    dir = await mkdtemp(join(tmpdir(), 'e2e-revocation-'))
    config = join(dir, 'config.json')
    list = join(dir, 'revocation.yaml')
    broken = join(dir, 'broken.yaml')
    await writeFile(
      config,
      JSON.stringify({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthenticationConfiguration',
        jwt: [
          {
            issuer: {
              url: issuer.url,
              certificateAuthority: issuer.caPem,
              audiences: ['kubernetes'],
            },
            claimMappings: { username: { claim: 'sub', prefix: 'oidc:' } },
          },
        ],
      }),
    )
    await writeFile(
      list,
      `${HEAD}entries:
# jane left on 2026-12-01
- issuer: ${issuer.url}
  sessionID: sess-42
  expiresAt: "2099-01-01T00:00:00Z"
- issuer: https://elsewhere.example.com
  tokenID: abc
`,
    )
    await writeFile(
      broken,
      `${HEAD}entries:
- issuer: ${issuer.url}
  subject: jane
  tokenID: jane-1
- issuer: ${issuer.url}
  issuedBefore: last tuesday
- sessionID: sess-42
`,
    )
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600

  it('check: a listed token is refused with reason revoked, and the entry is named', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'kubernetes', sub: 'jane', sid: 'sess-42', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli([
      'check',
      '--authentication-config',
      config,
      '--revocation-file',
      list,
      '--token',
      token,
    ])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({
      authenticated: false,
      error: 'token revoked by the revocation list (entries[0]: sessionID)',
    })
    expect(r.stderr).toBe(
      `not authenticated by issuer ${issuer.url}\n` +
        '  reason: revoked\n' +
        '  step: revocation\n' +
        '  message: token revoked by the revocation list (entries[0]: sessionID)\n' +
        `  entry: entries[0] of ${list}: {"issuer":"${issuer.url}","sessionID":"sess-42","expiresAt":"2099-01-01T00:00:00Z"}\n`,
    )
  })

  it('check: a token the list does not name is authenticated', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'kubernetes', sub: 'bob', sid: 'sess-43', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli([
      'check',
      '--authentication-config',
      config,
      '--revocation-file',
      list,
      '--token',
      token,
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ authenticated: true, user: { username: 'oidc:bob' } })
  })

  it('validate: a good list is summarised, an entry for an unconfigured issuer is warned about', async () => {
    const r = await runCli([
      'validate',
      '--authentication-config',
      config,
      '--revocation-file',
      list,
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      `${config}: valid AuthenticationConfiguration (1 JWT issuer)\n` +
        `${list}: valid RevocationList (2 entries, 0 expired)\n`,
    )
    expect(r.stderr).toBe(
      'Warning: entries[1].issuer: the revocation list names "https://elsewhere.example.com", which is not the issuer.url of any jwt entry, so this entry can never refuse a token (a typo leaves the token valid). Fix: write the issuer exactly as jwt[].issuer.url does, or remove the entry. [WARN_REVOCATION_ISSUER_UNKNOWN]\n',
    )
  })

  it('validate --warnings-as-errors: an entry for an unconfigured issuer fails the run', async () => {
    const r = await runCli([
      'validate',
      '--authentication-config',
      config,
      '--revocation-file',
      list,
      '--warnings-as-errors',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[WARN_REVOCATION_ISSUER_UNKNOWN]\n')
  })

  it('validate: a bad list is refused with every error and its field path', async () => {
    const r = await runCli([
      'validate',
      '--authentication-config',
      config,
      '--revocation-file',
      broken,
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'revocation list: entries[0].tokenID: Forbidden: may not be combined with subject: an entry names one of subject, tokenID, sessionID, username or issuedBefore, and only subject may go with issuedBefore\n' +
        'revocation list: entries[1].issuedBefore: Invalid value: "last tuesday": must be an RFC 3339 time such as "2026-12-03T10:00:00Z"\n' +
        'revocation list: entries[2].issuer: Required value: the jwt[].issuer.url of the issuer whose tokens are revoked\n',
    )
  })

  it('check and serve refuse to start on a bad list', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'kubernetes', sub: 'bob', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const check = await runCli([
      'check',
      '--authentication-config',
      config,
      '--revocation-file',
      join(dir, 'missing.yaml'),
      '--token',
      token,
    ])
    expect(check.code).toBe(1)
    expect(check.stderr).toBe(
      `revocation list: open ${join(dir, 'missing.yaml')}: no such file or directory\n`,
    )
    const serve = await runCli([
      'serve',
      '--authentication-config',
      config,
      '--revocation-file',
      broken,
      '--tls-cert-file',
      config,
      '--tls-private-key-file',
      config,
      '--health-port',
      '0',
    ])
    expect(serve.code).toBe(1)
    expect(serve.stderr).toContain(
      'revocation list: entries[2].issuer: Required value: the jwt[].issuer.url of the issuer whose tokens are revoked\n',
    )
  })
})
