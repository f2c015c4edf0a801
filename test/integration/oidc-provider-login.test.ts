/**
 * node-oidc-provider as the real issuer: a demo user logs in through the
 * authorization-code + PKCE flow (src/dev/login.ts), and the webhook, started
 * through the same startServe as `serve` with the `dev` configuration for that
 * issuer, authenticates the id_token it issued.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeHandle } from '../../src/commands/serve.js'
import { loadAuthenticationConfig } from '../../src/config/load.js'
import { DEV_CLIENT_ID, DEV_REDIRECT_URIS } from '../../src/dev/demo-users.js'
import { devAuthenticationConfig, tokenReviewJson } from '../../src/dev/dev-files.js'
import { loginWithDevInteractions } from '../../src/dev/login.js'
import type { DevIssuer } from '../../src/dev/oidc-issuer.js'
import { holdProviderNotices, type ProviderNoticeFilter } from '../../src/dev/provider-notices.js'
import { silentLogger } from '../../src/log/logger.js'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import { postJson } from '../helpers/https-client.js'

describe('integration: oidc-provider issues, the webhook authenticates', () => {
  let notices: ProviderNoticeFilter
  let dir: string
  let caPem: string
  let issuer: DevIssuer
  let serve: ServeHandle
  let url: string

  beforeAll(async () => {
    // oidc-provider's development-mode warnings (one at import) are expected here.
    notices = holdProviderNotices()
    const { startDevIssuer } = await import('../../src/dev/oidc-issuer.js')
    dir = await mkdtemp(join(tmpdir(), 'oidc-provider-login-'))
    const ca = await createCertificateAuthority({ commonName: 'login test CA' })
    const serving = await createServerCertificate(ca)
    caPem = ca.certPem
    issuer = await startDevIssuer({ port: 0, certPem: serving.certPem, keyPem: serving.keyPem })
    const files = {
      config: join(dir, 'authentication-config.yaml'),
      cert: join(dir, 'tls.crt'),
      key: join(dir, 'tls.key'),
    }
    await Promise.all([
      writeFile(files.config, devAuthenticationConfig({ issuerUrl: issuer.url, caPem })),
      writeFile(files.cert, serving.certPem),
      writeFile(files.key, serving.keyPem),
    ])
    const loaded = await loadAuthenticationConfig(files.config)
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
    serve = await startServe(
      {
        authenticationConfig: files.config,
        bindAddress: '127.0.0.1',
        securePort: 0,
        tlsCertFile: files.cert,
        tlsPrivateKeyFile: files.key,
        healthPort: 0,
        logLevel: 'error',
        cacheTtlMs: 0,
        cacheMaxEntries: 10,
        shutdownGraceMs: 500,
      },
      loaded.config,
      loaded.bytes,
      { cert: serving.certPem, key: serving.keyPem },
      silentLogger,
    )
    url = `https://localhost:${serve.securePort}/authenticate?timeout=30s`
  })

  afterAll(async () => {
    await serve?.shutdown()
    await issuer?.close()
    notices?.restore()
    await rm(dir, { recursive: true, force: true })
  })

  const login = async (user: string): Promise<string> =>
    (
      await loginWithDevInteractions({
        issuerUrl: issuer.url,
        caPem,
        clientId: DEV_CLIENT_ID,
        redirectUri: DEV_REDIRECT_URIS[1],
        login: user,
      })
    ).idToken

  /** Reviews until the webhook has discovered the issuer (its first answer may carry a not-yet error). */
  async function review(token: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const res = await postJson(url, caPem, JSON.parse(tokenReviewJson(token)))
      expect(res.statusCode).toBe(200)
      const body = JSON.parse(res.body) as { status: { error?: string } }
      if (!/not initialized/.test(body.status.error ?? '') || attempt > 100) return body
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  it.each([
    {
      name: 'jane (email verified, two groups) is authenticated with her groups and extra',
      user: 'jane',
      status: {
        authenticated: true,
        user: {
          username: 'oidc:jane@example.com',
          uid: 'jane',
          groups: ['oidc:developers', 'oidc:cluster-viewers'],
          extra: { 'example.org/display-name': ['Jane Developer'] },
        },
      },
    },
    {
      name: 'alex (one group) is authenticated',
      user: 'alex',
      status: {
        authenticated: true,
        user: {
          username: 'oidc:alex@example.com',
          uid: 'alex',
          groups: ['oidc:operators'],
          extra: { 'example.org/display-name': ['Alex Operator'] },
        },
      },
    },
    {
      name: "mallory (email_verified false) is refused with kube-apiserver's message",
      user: 'mallory',
      status: { authenticated: false, error: 'oidc: email not verified' },
    },
  ])('$name', async ({ user, status }) => {
    const token = await login(user)
    const body = await review(token)
    expect(body).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status,
    })
    expect(JSON.stringify(body)).not.toContain(token)
  })
})
