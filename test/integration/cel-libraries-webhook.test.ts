/**
 * The webhook, over real TLS with a real issuer, authenticating tokens through
 * expressions that use each CEL library added for kube-apiserver 1.37 parity: quantity,
 * semver (normalising), format, optional elements in literals and cel-go's optional
 * functions. The configuration is the `valid-cel-libraries` fixture that `validate` checks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import { createWebhookServer, type WebhookServer } from '../../src/http/webhook-server.js'
import { silentLogger } from '../../src/log/logger.js'
import {
  createConfigAuthenticator,
  type ConfigAuthenticator,
} from '../../src/token/authenticator.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'

describe('integration: CEL libraries in a served configuration', () => {
  let issuer: TestIssuer
  let authenticator: ConfigAuthenticator
  let webhook: WebhookServer
  let url: string
  let webhookCa: string

  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: ['ES256'], keyFamily: 'cel-libraries' })
    const fixture = await readFile(
      join(process.cwd(), 'test/fixtures/configs/valid-cel-libraries.yaml'),
      'utf8',
    )
    const config = parse(fixture) as { jwt: Array<{ issuer: Record<string, unknown> }> }
    const entry = config.jwt[0]
    if (entry === undefined) throw new Error('fixture has no jwt entry')
    entry.issuer = { ...entry.issuer, url: issuer.url, certificateAuthority: issuer.caPem }
    const parsed = parseAuthenticationConfig(stringify(config))
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
    authenticator = createConfigAuthenticator(parsed.config, { logger: silentLogger })
    await authenticator.waitForFirstAttempts(10_000)
    const ca = await createCertificateAuthority({ commonName: 'webhook CA' })
    const serving = await createServerCertificate(ca)
    webhookCa = ca.certPem
    const direct = authenticator
    webhook = createWebhookServer({
      reviewer: { review: (token) => direct.authenticate(token) },
      logger: silentLogger,
      tls: { cert: serving.certPem, key: serving.keyPem },
    })
    url = `https://localhost:${await webhook.listen(0, '127.0.0.1')}/authenticate`
  })

  afterAll(async () => {
    await webhook?.close(1000)
    await authenticator?.close()
    await issuer?.stop()
  })

  const review = async (claims: Record<string, unknown>): Promise<unknown> => {
    const token = issuer.sign(
      {
        iss: issuer.url,
        aud: 'kubernetes',
        sub: 'jane',
        exp: Math.floor(Date.now() / 1000) + 3600,
        ...claims,
      },
      { alg: 'ES256' },
    )
    const res = await postJson(url, webhookCa, tokenReviewBody(token))
    expect(res.statusCode).toBe(200)
    return (JSON.parse(res.body) as { status: unknown }).status
  }

  const good = { client_version: 'v1.30', quota: '1.5Gi', namespace: 'team-a', team: 'infra' }

  it('authenticates a token through every library', async () => {
    expect(await review(good)).toEqual({
      authenticated: true,
      user: {
        username: 'oidc:jane',
        groups: ['team:infra', 'authenticated'],
        // A fractional binary quantity is not an integer: no quota-bytes value, no key.
        extra: {
          'example.org/client-major': ['1'],
          'example.org/namespace': ['team-a'],
        },
      },
    })
  })

  it('drops absent optional elements and maps whole quantities', async () => {
    const { team: _team, ...noTeam } = good
    expect(await review({ ...noTeam, quota: '1Gi' })).toEqual({
      authenticated: true,
      user: {
        username: 'oidc:jane',
        groups: ['authenticated'],
        extra: {
          'example.org/quota-bytes': ['1073741824'],
          'example.org/client-major': ['1'],
          'example.org/namespace': ['team-a'],
        },
      },
    })
  })

  it.each([
    [
      'semver: a normalised version too old',
      { client_version: '1.27' },
      'isSemver(claims.client_version, true) && semver(claims.client_version, true).isGreaterThan(semver("1.28.0"))',
      'client too old',
    ],
    [
      'quantity: too large',
      { quota: '3Gi' },
      "!has(claims.quota) || quantity(claims.quota).isLessThan(quantity('2Gi'))",
      'quota too large',
    ],
    [
      'format: not a DNS label',
      { namespace: 'team_a' },
      '!format.dns1123Label().validate(claims.namespace).hasValue()',
      'namespace is not a DNS label',
    ],
  ])('rejects by a claim validation rule: %s', async (_name, patch, expression, message) => {
    expect(await review({ ...good, ...patch })).toEqual({
      authenticated: false,
      error: `oidc: error evaluating claim validation expression: validation expression '${expression}' failed: ${message}`,
    })
  })

  it('rejects by a user validation rule using the format library', async () => {
    expect(await review({ ...good, team: 'a b' })).toEqual({
      authenticated: false,
      error:
        "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(g, !format.qualifiedName().validate(g.replace(':', '.')).hasValue())' failed: group is not a qualified name",
    })
  })
})
