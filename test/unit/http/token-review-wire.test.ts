import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { postJson, tokenReviewBody } from '../../helpers/https-client.js'
import { EXPIRED_MESSAGE, startWebhook, type Webhook } from './fixture.js'

describe('TokenReview wire format', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it.each(['authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1'])(
    'a %s request is answered in the same version',
    async (apiVersion) => {
      const res = await postJson(
        `${w.url}?timeout=30s`,
        w.ca.certPem,
        tokenReviewBody('jane-token', apiVersion),
      )
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/json')
      expect(JSON.parse(res.body)).toEqual({
        apiVersion,
        kind: 'TokenReview',
        status: { authenticated: true, user: { username: 'oidc:jane' } },
      })
    },
  )

  it.each([
    { name: 'path without query', path: '/authenticate' },
    { name: 'kube-apiserver timeout query', path: '/authenticate?timeout=30s' },
    { name: 'trailing slash (through express)', path: '/authenticate/' },
  ])('$name is routed to the review', async ({ path }) => {
    const res = await postJson(`${w.base}${path}`, w.ca.certPem, tokenReviewBody('jane-token'))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body).status.user.username).toBe('oidc:jane')
  })

  it.each([
    {
      name: 'metadata with creationTimestamp null (<= 1.33)',
      patch: { metadata: { creationTimestamp: null } },
    },
    { name: 'empty metadata (>= 1.34)', patch: { metadata: {} } },
    { name: 'status user {}', patch: { status: { user: {} } } },
    {
      name: 'unknown top-level and spec fields',
      patch: { extraField: [1, 2], spec: { token: 'jane-token', future: true } },
    },
    { name: 'no audiences', patch: { spec: { token: 'jane-token' } } },
    { name: 'no metadata and no status', patch: { metadata: undefined, status: undefined } },
  ])('$name is accepted', async ({ patch }) => {
    const res = await postJson(w.url, w.ca.certPem, { ...tokenReviewBody('jane-token'), ...patch })
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: true, user: { username: 'oidc:jane' } },
    })
  })

  it.each([
    {
      name: 'all user fields, empty extra values dropped',
      token: 'full-token',
      status: {
        authenticated: true,
        user: {
          username: 'oidc:bob',
          uid: 'u-123',
          groups: ['oidc:dev', 'oidc:qa'],
          extra: { 'example.org/tenant': ['acme'] },
        },
      },
    },
    {
      name: 'rejected by a configured issuer: error set',
      token: 'expired-token',
      status: { authenticated: false, error: EXPIRED_MESSAGE },
    },
    {
      name: 'no issuer claims it: no error',
      token: 'someone-elses-token',
      status: { authenticated: false },
    },
    {
      name: 'authenticator bug: 200 with error, not 5xx',
      token: 'throwing-token',
      status: { authenticated: false, error: 'internal error while verifying the token' },
    },
  ])('$name', async ({ token, status }) => {
    const res = await postJson(w.url, w.ca.certPem, tokenReviewBody(token))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status,
    })
  })

  it('never adds system:authenticated, never sets status.audiences, even for spec.audiences ["vault"]', async () => {
    const body = {
      ...tokenReviewBody('full-token'),
      spec: { token: 'full-token', audiences: ['vault'] },
    }
    const res = await postJson(w.url, w.ca.certPem, body)
    const parsed = JSON.parse(res.body)
    expect(parsed.status.user.groups).not.toContain('system:authenticated')
    expect(parsed.status).not.toHaveProperty('audiences')
    expect(parsed).not.toHaveProperty('spec')
    expect(res.body).not.toContain('vault')
  })

  it.each(['jane-token', 'expired-token', 'someone-elses-token', 'throwing-token'])(
    'neither the response nor the logs contain the token (%s)',
    async (token) => {
      w.logs.length = 0
      const res = await postJson(w.url, w.ca.certPem, tokenReviewBody(token))
      expect(res.body).not.toContain(token)
      expect(w.logs.length).toBeGreaterThan(0)
      expect(w.logs.join('\n')).not.toContain(token)
    },
  )
})
