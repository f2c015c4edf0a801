import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { createWebhookServer, type WebhookServer } from '../../src/http/webhook-server.js'
import { silentLogger } from '../../src/log/logger.js'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import {
  createConfigAuthenticator,
  type ConfigAuthenticator,
} from '../../src/token/authenticator.js'
import { postJson, tokenReviewBody } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'

describe('integration: the webhook over real TLS with two real issuers', () => {
  let a: TestIssuer
  let b: TestIssuer
  let authenticator: ConfigAuthenticator
  let webhook: WebhookServer
  let url: string
  let webhookCa: string

  beforeAll(async () => {
    a = await startTestIssuer({
      path: '/tenant-a',
      algorithms: ['RS256'],
      keyFamily: 'two-issuers-a',
    })
    b = await startTestIssuer({
      path: '/tenant-b',
      algorithms: ['ES256'],
      keyFamily: 'two-issuers-b',
    })
    const config = {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: a.url, certificateAuthority: a.caPem, audiences: ['kube-a'] },
          claimMappings: {
            username: { claim: 'sub', prefix: 'a:' },
            groups: { claim: 'groups', prefix: 'a:' },
          },
        },
        {
          issuer: {
            url: b.url,
            certificateAuthority: b.caPem,
            audiences: ['kube-b', 'other'],
            audienceMatchPolicy: 'MatchAny',
          },
          claimMappings: {
            username: { expression: "'b:' + claims.preferred_username" },
            uid: { claim: 'sub' },
            extra: [{ key: 'example.org/tenant', valueExpression: 'claims.tenant' }],
          },
        },
      ],
    }
    const parsed = parseAuthenticationConfig(JSON.stringify(config))
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
    url = `https://localhost:${await webhook.listen(0, '127.0.0.1')}/authenticate?timeout=30s`
  })

  afterAll(async () => {
    await webhook?.close(1000)
    await authenticator?.close()
    await a?.stop()
    await b?.stop()
  })

  const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600

  it('both issuers are ready', () => {
    expect(authenticator.issuers().map((i) => [i.url, i.ready])).toEqual([
      [a.url, true],
      [b.url, true],
    ])
  })

  it("issuer A's RS256 token maps with claim mappings", async () => {
    const token = a.sign(
      { iss: a.url, aud: 'kube-a', sub: 'jane', groups: ['dev', 'qa'], exp: inAnHour() },
      { alg: 'RS256' },
    )
    const res = await postJson(url, webhookCa, tokenReviewBody(token))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: true, user: { username: 'a:jane', groups: ['a:dev', 'a:qa'] } },
    })
    expect(res.body).not.toContain(token)
  })

  it("issuer B's ES256 token maps with CEL, uid and extra (v1beta1)", async () => {
    const token = b.sign(
      {
        iss: b.url,
        aud: ['other'],
        sub: 'u-42',
        preferred_username: 'bob',
        tenant: 'acme',
        exp: inAnHour(),
      },
      { alg: 'ES256' },
    )
    const res = await postJson(
      url,
      webhookCa,
      tokenReviewBody(token, 'authentication.k8s.io/v1beta1'),
    )
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1beta1',
      kind: 'TokenReview',
      status: {
        authenticated: true,
        user: { username: 'b:bob', uid: 'u-42', extra: { 'example.org/tenant': ['acme'] } },
      },
    })
  })

  it("a token claiming A's iss but signed with B's key is refused with an error, as a 200", async () => {
    const token = b.sign(
      { iss: a.url, aud: 'kube-a', sub: 'mallory', exp: inAnHour() },
      { alg: 'ES256' },
    )
    const res = await postJson(url, webhookCa, tokenReviewBody(token))
    expect(res.statusCode).toBe(200)
    const status = JSON.parse(res.body).status
    expect(status.authenticated).toBe(false)
    expect(status.error).toEqual(expect.any(String))
    expect(status.error.length).toBeGreaterThan(0)
    expect(res.body).not.toContain(token)
  })

  it('a token from an unknown issuer is not mine: authenticated false without error', async () => {
    const token = a.sign(
      { iss: 'https://elsewhere.example', aud: 'kube-a', sub: 'x', exp: inAnHour() },
      { alg: 'RS256' },
    )
    const res = await postJson(url, webhookCa, tokenReviewBody(token))
    expect(JSON.parse(res.body).status).toEqual({ authenticated: false })
  })
})
