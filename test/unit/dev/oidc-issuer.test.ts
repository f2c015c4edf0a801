import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { createCertificateAuthority, createServerCertificate } from '../../../src/dev/certificates.js'
import type { DevIssuer } from '../../../src/dev/oidc-issuer.js'
import { loginWithDevInteractions } from '../../../src/dev/login.js'
import { DEV_CLIENT_ID, DEV_REDIRECT_URIS } from '../../../src/dev/demo-users.js'
import { holdProviderNotices, type ProviderNoticeFilter } from '../../../src/dev/provider-notices.js'

describe('dev OIDC issuer (oidc-provider) with a PKCE login', () => {
  let issuer: DevIssuer
  let caPem: string
  let notices: ProviderNoticeFilter
  beforeAll(async () => {
    notices = holdProviderNotices()
    // Imported only now: node-oidc-provider warns about the Node version on import.
    const { startDevIssuer } = await import('../../../src/dev/oidc-issuer.js')
    const ca = await createCertificateAuthority()
    const cert = await createServerCertificate(ca)
    caPem = ca.certPem
    issuer = await startDevIssuer({ port: 0, certPem: cert.certPem, keyPem: cert.keyPem })
  })
  afterAll(async () => {
    await issuer.close()
    notices.restore()
  })

  it('issues an RS256 id_token with email and groups for a demo user', async () => {
    const result = await loginWithDevInteractions({
      issuerUrl: issuer.url,
      caPem,
      clientId: DEV_CLIENT_ID,
      redirectUri: DEV_REDIRECT_URIS[0],
      login: 'jane',
    })
    expect(decodeProtectedHeader(result.idToken).alg).toBe('RS256')
    const claims = decodeJwt(result.idToken)
    expect(claims).toMatchObject({
      iss: issuer.url,
      aud: DEV_CLIENT_ID,
      sub: 'jane',
      email: 'jane@example.com',
      email_verified: true,
      groups: ['developers', 'cluster-viewers'],
    })
  })

  it('refuses a login with an unknown redirect_uri', async () => {
    await expect(
      loginWithDevInteractions({
        issuerUrl: issuer.url,
        caPem,
        clientId: DEV_CLIENT_ID,
        redirectUri: 'http://localhost:9999/evil',
        login: 'jane',
      }),
    ).rejects.toThrow(/login did not reach an interaction page|HTTP 400/)
  })
})
