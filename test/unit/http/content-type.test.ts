import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpsRequest, tokenReviewBody } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('Content-Type of POST /authenticate', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  const body = JSON.stringify(tokenReviewBody('jane-token'))

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    // kube-apiserver reads a body without Content-Type as JSON; kubectl create --raw sends none.
    undefined,
  ])('%s is accepted', async (contentType) => {
    const res = await httpsRequest({
      url: w.url,
      ca: w.ca.certPem,
      method: 'POST',
      body,
      headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    })
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body).status).toEqual({
      authenticated: true,
      user: { username: 'oidc:jane' },
    })
  })

  it.each<{ name: string; headers: Record<string, string>; message: string }>([
    {
      name: 'text/plain',
      headers: { 'Content-Type': 'text/plain' },
      message: 'Content-Type must be application/json',
    },
    {
      name: 'form',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      message: 'Content-Type must be application/json',
    },
    {
      name: 'json suffix type',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      message: 'Content-Type must be application/json',
    },
    {
      name: 'gzip encoded',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      message: 'Content-Encoding is not supported; send the body uncompressed',
    },
  ])('$name -> 415', async ({ headers, message }) => {
    const res = await httpsRequest({ url: w.url, ca: w.ca.certPem, method: 'POST', body, headers })
    expect(res.statusCode).toBe(415)
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'UnsupportedMediaType',
      code: 415,
    })
  })
})
