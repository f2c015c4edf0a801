import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { postJson } from '../../helpers/https-client.js'
import { startWebhook, type Webhook } from './fixture.js'

const NOT_A_REVIEW =
  'request body must be a TokenReview of apiVersion authentication.k8s.io/v1 or authentication.k8s.io/v1beta1'

describe('POST /authenticate with a malformed body', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it.each([
    { name: 'invalid JSON', body: '{"kind":', message: 'request body is not valid JSON' },
    { name: 'empty body', body: '', message: 'request body is not valid JSON' },
    { name: 'JSON array', body: '[]', message: 'request body must be a JSON object' },
    { name: 'JSON string', body: '"x"', message: 'request body must be a JSON object' },
    { name: 'JSON null', body: 'null', message: 'request body must be a JSON object' },
    {
      name: 'wrong kind',
      body: {
        kind: 'SubjectAccessReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { token: 't' },
      },
      message: NOT_A_REVIEW,
    },
    {
      name: 'missing kind',
      body: { apiVersion: 'authentication.k8s.io/v1', spec: { token: 't' } },
      message: NOT_A_REVIEW,
    },
    {
      name: 'unknown version',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v2', spec: { token: 't' } },
      message: NOT_A_REVIEW,
    },
    {
      name: 'missing apiVersion',
      body: { kind: 'TokenReview', spec: { token: 't' } },
      message: NOT_A_REVIEW,
    },
    {
      name: 'kind in other case',
      body: { kind: 'tokenreview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 't' } },
      message: NOT_A_REVIEW,
    },
    {
      name: 'spec not an object',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: 'x' },
      message: 'spec must be an object',
    },
    {
      name: 'missing spec',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1' },
      message: 'token is required for TokenReview in authentication',
    },
    {
      name: 'missing token',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: {} },
      message: 'token is required for TokenReview in authentication',
    },
    {
      name: 'empty token',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: '' } },
      message: 'token is required for TokenReview in authentication',
    },
    {
      name: 'null token',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: null } },
      message: 'token is required for TokenReview in authentication',
    },
    {
      name: 'numeric token',
      body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: 42 } },
      message: 'spec.token must be a string',
    },
    {
      name: 'audiences not a list',
      body: {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { token: 't', audiences: 'vault' },
      },
      message: 'spec.audiences must be a list of strings',
    },
    {
      name: 'audiences with a number',
      body: {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { token: 't', audiences: ['a', 1] },
      },
      message: 'spec.audiences must be a list of strings',
    },
    {
      name: 'token in other case',
      body: {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { Token: 'jane-token' },
      },
      message: 'token is required for TokenReview in authentication',
    },
  ])('$name -> 400 with a Status body', async ({ body, message }) => {
    const res = await postJson(w.url, w.ca.certPem, body)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toBe('application/json')
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'BadRequest',
      code: 400,
    })
  })

  it('a 400 never echoes the token', async () => {
    const token = 'secret-token-value-0123456789'
    const res = await postJson(w.url, w.ca.certPem, {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v3',
      spec: { token },
    })
    expect(res.statusCode).toBe(400)
    expect(res.body).not.toContain(token)
    expect(w.logs.join('')).not.toContain(token)
  })
})
