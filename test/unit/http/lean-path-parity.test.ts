/**
 * Issue 5: `POST /authenticate` runs on a lean path that skips express. The
 * same handler is also mounted in express (reached by `/authenticate/`), so the
 * whole review table is sent both ways and the answers must be identical:
 * status, body and every header except the per-response ones.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpsRequest, type HttpsResponse } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

const JSON_CT = { 'Content-Type': 'application/json' }
const review = (apiVersion: string, spec: unknown): string =>
  JSON.stringify({ kind: 'TokenReview', apiVersion, metadata: {}, spec, status: { user: {} } })
const V1 = 'authentication.k8s.io/v1'
const V1BETA1 = 'authentication.k8s.io/v1beta1'
const LIMIT = 64 * 1024

const CASES: { name: string; body: string; headers?: Record<string, string> }[] = [
  { name: 'authenticated v1', body: review(V1, { token: 'jane-token' }) },
  {
    name: 'authenticated v1beta1 with audiences',
    body: review(V1BETA1, { token: 'full-token', audiences: ['https://kubernetes.default.svc'] }),
  },
  { name: 'rejected (expired)', body: review(V1, { token: 'expired-token' }) },
  { name: 'not mine', body: review(V1, { token: 'someone-elses-token' }) },
  { name: 'authenticator throws', body: review(V1, { token: 'throwing-token' }) },
  {
    name: 'metadata creationTimestamp null',
    body: JSON.stringify({
      kind: 'TokenReview',
      apiVersion: V1,
      metadata: { creationTimestamp: null },
      spec: { token: 'jane-token' },
    }),
  },
  { name: 'invalid JSON', body: '{"kind":' },
  { name: 'not an object', body: '[]' },
  {
    name: 'wrong kind',
    body: JSON.stringify({ kind: 'SubjectAccessReview', apiVersion: V1, spec: { token: 'x' } }),
  },
  { name: 'wrong apiVersion', body: review('authentication.k8s.io/v2', { token: 'x' }) },
  { name: 'empty token', body: review(V1, { token: '' }) },
  { name: 'numeric token', body: review(V1, { token: 7 }) },
  { name: 'audiences not strings', body: review(V1, { token: 'jane-token', audiences: [1] }) },
  {
    name: 'text/plain',
    body: review(V1, { token: 'jane-token' }),
    headers: { 'Content-Type': 'text/plain' },
  },
  {
    name: 'gzip encoded',
    body: review(V1, { token: 'jane-token' }),
    headers: { ...JSON_CT, 'Content-Encoding': 'gzip' },
  },
  { name: 'over the body limit', body: review(V1, { token: 'x'.repeat(LIMIT) }) },
]

/** Headers that legitimately differ per response. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive'])

function comparable(res: HttpsResponse): {
  status: number
  body: string
  headers: Record<string, unknown>
} {
  const headers = Object.fromEntries(
    Object.entries(res.headers).filter(([name]) => !VOLATILE.has(name)),
  )
  return { status: res.statusCode, body: res.body, headers }
}

describe('lean POST /authenticate answers exactly as the express route does', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook({ bodyLimitBytes: LIMIT })
  })
  afterAll(() => w.close())

  it.each(CASES)('$name', async ({ body, headers }) => {
    const send = (path: string) =>
      httpsRequest({
        url: `${w.base}${path}`,
        ca: w.ca.certPem,
        method: 'POST',
        body,
        headers: headers ?? JSON_CT,
      })
    const lean = await send('/authenticate?timeout=30s')
    const viaExpress = await send('/authenticate/?timeout=30s')
    expect(comparable(viaExpress)).toEqual(comparable(lean))
    expect(lean.headers['x-content-type-options']).toBe('nosniff')
  })

  it('/authenticate/ is served by express, not the lean path', async () => {
    const routes: string[] = []
    const counted = await startWebhook({ onRequest: (_code, route) => routes.push(route) })
    try {
      await httpsRequest({
        url: `${counted.base}/authenticate/`,
        ca: counted.ca.certPem,
        method: 'POST',
        body: review(V1, { token: 'jane-token' }),
        headers: JSON_CT,
      })
      const res = await httpsRequest({
        url: `${counted.base}/authenticate/`,
        ca: counted.ca.certPem,
        method: 'GET',
      })
      expect(res.statusCode).toBe(405)
      // The listener labels only lean-path requests `/authenticate`.
      expect(routes).toEqual(['other', 'other'])
    } finally {
      await counted.close()
    }
  })
})
