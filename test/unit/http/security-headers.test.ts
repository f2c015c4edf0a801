import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  httpsRequest,
  postJson,
  tokenReviewBody,
  type HttpsResponse,
} from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

/** The API profile: helmet configured for JSON answers (OWASP REST list), plus Cache-Control. */
const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
}

/** helmet's defaults for HTML pages that steer only a browser rendering a page: not sent. */
const BROWSER_ONLY_HEADERS = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]

const ALL_HEADERS = [...Object.keys(API_HEADERS), ...BROWSER_ONLY_HEADERS]

function securityHeaders(res: HttpsResponse): Record<string, unknown> {
  return Object.fromEntries(ALL_HEADERS.map((h) => [h, res.headers[h]]))
}

describe('security headers: lean path and express path', () => {
  let w: Webhook
  let express405: HttpsResponse
  beforeAll(async () => {
    w = await startWebhook()
    express405 = await httpsRequest({ url: w.url, ca: w.ca.certPem, method: 'GET' })
  })
  afterAll(() => w.close())

  it('express responses carry the API profile, no browser-only header and no X-Powered-By', () => {
    for (const [name, value] of Object.entries(API_HEADERS))
      expect([name, express405.headers[name]]).toEqual([name, value])
    for (const name of BROWSER_ONLY_HEADERS) expect(express405.headers[name]).toBeUndefined()
    expect(express405.headers['x-powered-by']).toBeUndefined()
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
