import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpsRequest } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('unknown paths on the secure port', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it.each([
    { method: 'GET', path: '/' },
    { method: 'POST', path: '/apis/authentication.k8s.io/v1/tokenreviews' },
    { method: 'GET', path: '/healthz' },
    { method: 'POST', path: '/authenticatex' },
  ])('$method $path -> 404 Status', async ({ method, path }) => {
    const res = await httpsRequest({
      url: `${w.base}${path}`,
      ca: w.ca.certPem,
      method,
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.statusCode).toBe(404)
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    })
  })
})
