import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { runCli } from './cli-process.js'

describe('e2e: kube-oidc-webhook check', () => {
  let issuer: TestIssuer
  let dir: string
  let config: string
  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: ['ES256'], keyFamily: 'e2e-check' })
    dir = await mkdtemp(join(tmpdir(), 'e2e-check-'))
    config = join(dir, 'config.json')
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
            claimMappings: {
              username: { claim: 'sub', prefix: 'oidc:' },
              groups: { claim: 'groups', prefix: '' },
            },
          },
        ],
      }),
    )
  })
  afterAll(async () => {
    await issuer?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600

  it('a valid token: exit 0, the TokenReview status on stdout', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'kubernetes', sub: 'jane', groups: ['dev'], exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli(['check', '--authentication-config', config, '--token', token])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      authenticated: true,
      user: { username: 'oidc:jane', groups: ['dev'] },
    })
  })

  it('--token - reads stdin without its trailing newline', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'kubernetes', sub: 'bob', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli(['check', `--authentication-config=${config}`, '--token', '-'], {
      stdin: `${token}\n`,
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ authenticated: true, user: { username: 'oidc:bob' } })
  })

  it('a token with the wrong audience: exit 1, status with error, reason and step on stderr', async () => {
    const token = issuer.sign(
      { iss: issuer.url, aud: 'someone-else', sub: 'jane', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli(['check', '--authentication-config', config, '--token', token])
    expect(r.code).toBe(1)
    const status = JSON.parse(r.stdout)
    expect(status.authenticated).toBe(false)
    expect(status.error).toEqual(expect.any(String))
    expect(r.stderr).toBe(
      `not authenticated by issuer ${issuer.url}\n  reason: audience_mismatch\n  step: verify\n  message: ${status.error}\n`,
    )
    expect(r.stderr + r.stdout).not.toContain(token)
  })

  it('a token of no configured issuer: exit 1, says so without echoing it', async () => {
    const token = issuer.sign(
      { iss: 'https://elsewhere.example', aud: 'kubernetes', sub: 'x', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const r = await runCli(['check', '--authentication-config', config, '--token', token])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({ authenticated: false })
    expect(r.stderr).toBe(
      "not authenticated: no configured issuer matched the token's iss claim (or the token is not a JWT)\n",
    )
    expect(r.stderr).not.toContain('elsewhere')
  })

  it('a bad config: exit 1 with its errors', async () => {
    const bad = join(dir, 'bad.yaml')
    await writeFile(
      bad,
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: http://x.example, audiences: [k]}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n',
    )
    const r = await runCli(['check', '--authentication-config', bad, '--token', 'abc'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'jwt[0].issuer.url: Invalid value: "http://x.example": URL scheme must be https\n',
    )
  })

  it('--service-account-issuer equal to the issuer: the config is refused, no token verified', async () => {
    const r = await runCli([
      'check',
      '--authentication-config',
      config,
      '--token',
      'abc',
      '--service-account-issuer',
      issuer.url,
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `jwt[0].issuer.url: Invalid value: "${issuer.url}": URL must not overlap with disallowed issuers: [${issuer.url}]\n`,
    )
  })
})
