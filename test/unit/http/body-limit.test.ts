import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import https from 'node:https'
import { httpsRequest, postJson, tokenReviewBody } from '../../helpers/https-client.js'
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../src/http/parse-token-review.js'
import { startWebhook, type Webhook } from './fixture.js'

const TOO_LARGE = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `request body is larger than ${DEFAULT_BODY_LIMIT_BYTES} bytes`,
  reason: 'RequestEntityTooLarge',
  code: 413,
}

describe('body limit of POST /authenticate', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it("the limit is 4 MiB, above kube-apiserver's 3 MiB request limit", () => {
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(4 * 1024 * 1024)
  })

  it('a 3 MiB token is reviewed (not refused)', async () => {
    const token = 'x'.repeat(3 * 1024 * 1024)
    const res = await postJson(w.url, w.ca.certPem, tokenReviewBody(token))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: false },
    })
  })

  it('a declared Content-Length above the limit -> 413 without reading the body', async () => {
    const res = await new Promise<{
      statusCode: number
      body: string
      connection: string | undefined
    }>((resolve, reject) => {
      const req = https.request(w.url, {
        method: 'POST',
        ca: w.ca.certPem,
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': DEFAULT_BODY_LIMIT_BYTES + 1,
        },
      })
      req.on('response', (r) => {
        let body = ''
        r.on('data', (c: Buffer) => (body += c.toString()))
        r.on('end', () =>
          resolve({ statusCode: r.statusCode ?? 0, body, connection: r.headers.connection }),
        )
      })
      req.on('error', reject)
      req.flushHeaders() // headers only: the server must answer before any body byte
    })
    expect(res.statusCode).toBe(413)
    expect(res.connection).toBe('close')
    expect(JSON.parse(res.body)).toEqual(TOO_LARGE)
  })

  it('a chunked body growing past the limit -> 413', async () => {
    const res = await httpsRequest({
      url: w.url,
      ca: w.ca.certPem,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES + 10, 0x20),
    })
    expect(res.statusCode).toBe(413)
    expect(JSON.parse(res.body)).toEqual(TOO_LARGE)
  })

  it('a smaller configured limit applies', async () => {
    const small = await startWebhook({ bodyLimitBytes: 100 })
    try {
      const res = await postJson(small.url, small.ca.certPem, tokenReviewBody('y'.repeat(200)))
      expect(res.statusCode).toBe(413)
      expect(JSON.parse(res.body).message).toBe('request body is larger than 100 bytes')
    } finally {
      await small.close()
    }
  })
})
