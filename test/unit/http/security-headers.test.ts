import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  httpsRequest,
  postJson,
  tokenReviewBody,
  type HttpsResponse,
} from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

/** Headers helmet sets (names from helmet 8's defaults). */
const HELMET_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]

function securityHeaders(res: HttpsResponse): Record<string, unknown> {
  return Object.fromEntries(HELMET_HEADERS.map((h) => [h, res.headers[h]]))
}

describe('security headers: lean path and express path', () => {
  let w: Webhook
  let express405: HttpsResponse
  beforeAll(async () => {
    w = await startWebhook()
    express405 = await httpsRequest({ url: w.url, ca: w.ca.certPem, method: 'GET' })
  })
  afterAll(() => w.close())

  it('express responses carry every helmet header and no X-Powered-By', () => {
    for (const h of HELMET_HEADERS) expect(express405.headers[h]).toEqual(expect.any(String))
    expect(express405.headers['x-powered-by']).toBeUndefined()
    expect(express405.headers['x-content-type-options']).toBe('nosniff')
  })

  it.each([
    {
      name: 'lean 200',
      send: (w: Webhook) => postJson(w.url, w.ca.certPem, tokenReviewBody('jane-token')),
    },
    { name: 'lean 400', send: (w: Webhook) => postJson(w.url, w.ca.certPem, '{') },
    {
      name: 'lean 415',
      send: (w: Webhook) =>
        httpsRequest({ url: w.url, ca: w.ca.certPem, method: 'POST', body: '{}' }),
    },
    {
      name: 'express 404',
      send: (w: Webhook) => httpsRequest({ url: `${w.base}/nope`, ca: w.ca.certPem }),
    },
  ])('$name sends the same security headers as express', async ({ send }) => {
    const res = await send(w)
    expect(securityHeaders(res)).toEqual(securityHeaders(express405))
    expect(res.headers['x-powered-by']).toBeUndefined()
  })
})
