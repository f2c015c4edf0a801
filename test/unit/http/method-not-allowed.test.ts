import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpsRequest } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('wrong method on /authenticate', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s -> 405 with Allow: POST', async (method) => {
    const res = await httpsRequest({ url: `${w.url}?timeout=30s`, ca: w.ca.certPem, method })
    expect(res.statusCode).toBe(405)
    expect(res.headers.allow).toBe('POST')
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'only POST is allowed on /authenticate',
      reason: 'MethodNotAllowed',
      code: 405,
    })
  })
})
