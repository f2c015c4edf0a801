/**
 * Issue 6, item 2: malformed TokenReviews over real TLS, with the real token
 * pipeline behind the webhook. Each case asserts the contract's status and the
 * exact metav1.Status reason and message, and that no response body or log
 * line carries the token sent in it. Slow (slowloris) clients are cut off by
 * the header and request timeouts.
 */
import { connect, type TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/http/tls-server.js'
import { fixedClock } from '../../src/runtime/clock.js'
import {
  createConfigAuthenticator,
  type ConfigAuthenticator,
} from '../../src/token/authenticator.js'
import { NOW, VALID_EXP_S } from '../helpers/fixed-clock.js'
import { httpsRequest, type HttpsResponse } from '../helpers/https-client.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { captureLogger, startWebhook, type Webhook } from '../unit/http/fixture.js'

const LIMIT = 64 * 1024
let issuer: TestIssuer
let auth: ConfigAuthenticator
let w: Webhook
let token = ''
const authLogs: string[] = []

beforeAll(async () => {
  issuer = await startTestIssuer({ keyFamily: 'hostile-reviews', algorithms: ['RS256'] })
  const parsed = parseAuthenticationConfig(
    JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: issuer.url, certificateAuthority: issuer.caPem, audiences: ['my-client'] },
          claimMappings: { username: { claim: 'sub', prefix: 'oidc:' } },
        },
      ],
    }),
  )
  if (!parsed.ok) throw new Error(parsed.errors.join('; '))
  auth = createConfigAuthenticator(parsed.config, {
    clock: fixedClock(NOW),
    logger: captureLogger(authLogs),
  })
  await auth.waitForFirstAttempts(10_000)
  w = await startWebhook({ authenticator: auth, bodyLimitBytes: LIMIT })
  token = issuer.sign({ iss: issuer.url, aud: 'my-client', exp: VALID_EXP_S, sub: 'jane' })
})

afterAll(async () => {
  await w.close()
  await auth.close()
  await issuer.stop()
})

const v1 = (spec: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec, ...extra })

const NOT_A_REVIEW =
  'request body must be a TokenReview of apiVersion authentication.k8s.io/v1 or authentication.k8s.io/v1beta1'
const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
})
const BAD = (message: string) => status(400, 'BadRequest', message)

interface Case {
  name: string
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: () => string | Buffer
  want: { status: number; body: unknown; allow?: string }
}

const JSON_CT = { 'Content-Type': 'application/json' }

const cases: Case[] = [
  // bad JSON
  {
    name: 'truncated JSON',
    body: () => v1({ token }).slice(0, -3),
    want: { status: 400, body: BAD('request body is not valid JSON') },
  },
  {
    name: 'JSON with a byte-order mark',
    body: () => `\uFEFF${v1({ token })}`,
    want: { status: 400, body: BAD('request body is not valid JSON') },
  },
  {
    name: 'invalid UTF-8 around the token',
    body: () =>
      Buffer.concat([
        Buffer.from(v1({ token }).slice(0, -2)),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}'),
      ]),
    want: { status: 400, body: BAD('request body is not valid JSON') },
  },
  {
    name: 'JSON array of reviews',
    body: () => `[${v1({ token })}]`,
    want: { status: 400, body: BAD('request body must be a JSON object') },
  },
  {
    name: 'deeply nested JSON (100 000 levels)',
    body: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`.slice(0, LIMIT - 1),
    want: { status: 400, body: BAD('request body is not valid JSON') },
  },
  // wrong kind/apiVersion
  {
    name: 'kind SubjectAccessReview',
    body: () =>
      JSON.stringify({
        kind: 'SubjectAccessReview',
        apiVersion: 'authentication.k8s.io/v1',
        spec: { token },
      }),
    want: { status: 400, body: BAD(NOT_A_REVIEW) },
  },
  {
    name: 'apiVersion authentication.k8s.io/v2',
    body: () =>
      JSON.stringify({
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v2',
        spec: { token },
      }),
    want: { status: 400, body: BAD(NOT_A_REVIEW) },
  },
  {
    name: 'apiVersion of another group',
    body: () =>
      JSON.stringify({ kind: 'TokenReview', apiVersion: 'evil.example/v1', spec: { token } }),
    want: { status: 400, body: BAD(NOT_A_REVIEW) },
  },
  {
    name: 'kind smuggled through __proto__',
    body: () =>
      `{"__proto__":{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1"},"spec":{"token":${JSON.stringify(token)}}}`,
    want: { status: 400, body: BAD(NOT_A_REVIEW) },
  },
  {
    name: 'duplicate kind: the last one counts',
    body: () =>
      `{"kind":"TokenReview","apiVersion":"authentication.k8s.io/v1","kind":"Secret","spec":{"token":${JSON.stringify(token)}}}`,
    want: { status: 400, body: BAD(NOT_A_REVIEW) },
  },
  // token absent or not a string
  {
    name: 'no spec',
    body: () => JSON.stringify({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1' }),
    want: { status: 400, body: BAD('token is required for TokenReview in authentication') },
  },
  {
    name: 'empty token',
    body: () => v1({ token: '' }),
    want: { status: 400, body: BAD('token is required for TokenReview in authentication') },
  },
  {
    name: 'token null',
    body: () => v1({ token: null }),
    want: { status: 400, body: BAD('token is required for TokenReview in authentication') },
  },
  {
    name: 'token a number',
    body: () => v1({ token: 12345 }),
    want: { status: 400, body: BAD('spec.token must be a string') },
  },
  {
    name: 'token a list holding the token',
    body: () => v1({ token: [token] }),
    want: { status: 400, body: BAD('spec.token must be a string') },
  },
  {
    name: 'token an object holding the token',
    body: () => v1({ token: { value: token } }),
    want: { status: 400, body: BAD('spec.token must be a string') },
  },
  {
    name: 'spec a string',
    body: () => v1(token),
    want: { status: 400, body: BAD('spec must be an object') },
  },
  {
    name: 'audiences not strings',
    body: () => v1({ token, audiences: [token, 1] }),
    want: { status: 400, body: BAD('spec.audiences must be a list of strings') },
  },
  // content type and encoding
  {
    name: 'text/plain',
    headers: { 'Content-Type': 'text/plain' },
    body: () => v1({ token }),
    want: {
      status: 415,
      body: status(415, 'UnsupportedMediaType', 'Content-Type must be application/json'),
    },
  },
  {
    name: 'application/yaml',
    headers: { 'Content-Type': 'application/yaml' },
    body: () => `kind: TokenReview\nspec: {token: ${token}}`,
    want: {
      status: 415,
      body: status(415, 'UnsupportedMediaType', 'Content-Type must be application/json'),
    },
  },
  {
    name: 'gzip content encoding',
    headers: { ...JSON_CT, 'Content-Encoding': 'gzip' },
    body: () => v1({ token }),
    want: {
      status: 415,
      body: status(
        415,
        'UnsupportedMediaType',
        'Content-Encoding is not supported; send the body uncompressed',
      ),
    },
  },
  // size
  {
    name: 'body one byte over the limit',
    body: () => v1({ token: 'x'.repeat(LIMIT) }).slice(0, LIMIT + 1),
    want: {
      status: 413,
      body: status(413, 'RequestEntityTooLarge', `request body is larger than ${LIMIT} bytes`),
    },
  },
  {
    name: 'declared length far over the limit, nothing sent',
    headers: { ...JSON_CT, 'Content-Length': String(1024 * 1024 * 1024) },
    body: () => '',
    want: {
      status: 413,
      body: status(413, 'RequestEntityTooLarge', `request body is larger than ${LIMIT} bytes`),
    },
  },
  // methods and paths
  ...['GET', 'PUT', 'DELETE', 'PATCH'].map((method) => ({
    name: `${method} /authenticate`,
    method,
    body: () => (method === 'GET' || method === 'DELETE' ? '' : v1({ token })),
    want: {
      status: 405,
      body: status(405, 'MethodNotAllowed', 'only POST is allowed on /authenticate'),
      allow: 'POST',
    },
  })),
  ...[
    '/',
    '/authenticate/../metrics',
    '/apis/authentication.k8s.io/v1/tokenreviews',
    '/AUTHENTICATE',
  ].map((path) => ({
    name: `POST ${path}`,
    path,
    body: () => v1({ token }),
    want: {
      status: 404,
      body: status(404, 'NotFound', 'the server could not find the requested resource'),
    },
  })),
]

function send(c: Case): Promise<HttpsResponse> {
  const body = c.body?.() ?? ''
  const declared = c.headers?.['Content-Length']
  return httpsRequest({
    url: `${w.base}${c.path ?? '/authenticate'}`,
    ca: w.ca.certPem,
    method: c.method ?? 'POST',
    headers: {
      ...(c.headers ?? JSON_CT),
      ...(declared === undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}),
    },
    body,
  })
}

describe('malformed TokenReviews', () => {
  it.each(cases)('$name', async (c) => {
    const res = await send(c)
    expect(res.statusCode).toBe(c.want.status)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(res.body)).toEqual(c.want.body)
    if (c.want.allow !== undefined) expect(res.headers.allow).toBe(c.want.allow)
    const said = res.body + w.logs.join('') + authLogs.join('')
    expect(said.includes(token)).toBe(false)
    expect(said.includes(token.split('.')[2] as string)).toBe(false)
    expect(said.includes(token.split('.')[1] as string)).toBe(false)
  })

  it('the same token in a well-formed review is authenticated (the table above fails for its shape only)', async () => {
    const res = await send({
      name: 'ok',
      body: () => v1({ token }),
      want: { status: 200, body: null },
    })
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: true, user: { username: 'oidc:jane' } },
    })
  })
})

/** Opens a TLS connection that trusts the test CA. */
function openTls(): Promise<TLSSocket> {
  const port = Number(new URL(w.base).port)
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca: w.ca.certPem },
      () => resolve(socket),
    )
    socket.once('error', reject)
  })
}

/** Resolves with what the server sent before closing, and how long it took. */
function untilClosed(socket: TLSSocket, started: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')))
    socket.on('error', () => undefined)
    socket.once('close', () => resolve({ text, ms: performance.now() - started }))
  })
}

describe('slow clients (slowloris)', () => {
  it('the secure port bounds header and request time', () => {
    expect(w.webhook.server.headersTimeout).toBe(HEADERS_TIMEOUT_MS)
    expect(w.webhook.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS)
    expect(HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(10_000)
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(30_000)
  })

  it.each([
    {
      name: 'headers trickled one byte at a time',
      headersTimeout: 1000,
      requestTimeout: 5000,
      send: 'headers' as const,
    },
    {
      name: 'headers complete, body trickled',
      headersTimeout: 1000,
      requestTimeout: 2000,
      send: 'body' as const,
    },
  ])('$name: cut off with 408 soon after the timeout', async (c) => {
    const server = w.webhook.server
    server.headersTimeout = c.headersTimeout
    server.requestTimeout = c.requestTimeout
    const socket = await openTls()
    const started = performance.now()
    const closed = untilClosed(socket, started)
    const head = `POST /authenticate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n`
    let i = 0
    const timer = setInterval(() => {
      if (socket.destroyed) return
      if (c.send === 'headers') socket.write(head[i++ % head.length] as string)
      else socket.write(i++ === 0 ? `${head}\r\n{` : ' ')
    }, 100)
    try {
      const { text, ms } = await closed
      expect(text).toMatch(/^HTTP\/1\.1 408 /)
      const bound = c.send === 'headers' ? c.headersTimeout : c.requestTimeout
      expect(ms).toBeGreaterThanOrEqual(bound - 50)
      expect(ms).toBeLessThan(bound + 2500)
    } finally {
      clearInterval(timer)
      socket.destroy()
      server.headersTimeout = HEADERS_TIMEOUT_MS
      server.requestTimeout = REQUEST_TIMEOUT_MS
    }
  })
})
