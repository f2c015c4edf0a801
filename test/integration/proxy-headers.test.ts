/**
 * What the API server receives through the proxy, recorded by the fake API
 * server: the exact impersonation headers for a table of users, the proxy's
 * own credential in place of the client's, and the hostile requests that
 * never reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { connect } from 'node:tls'
import { httpsRequest } from '../helpers/https-client.js'
import {
  ODD_EXTRA_KEY,
  startProxyFixture,
  UPSTREAM_TOKEN,
  type ProxyFixture,
} from '../helpers/proxy-fixture.js'
import type { Json } from '../helpers/tokens.js'
import { createLogger } from '../../src/log/logger.js'

let fx: ProxyFixture
const logLines: string[] = []

beforeAll(async () => {
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => logLines.push(line) },
  })
  fx = await startProxyFixture({ logger, revokedSubjects: ['revoked-user'] })
}, 30_000)

/** The `proxy request refused` log lines written since `from`. */
function refusals(from: number): Record<string, unknown>[] {
  return logLines
    .slice(from)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'proxy request refused')
}

afterAll(async () => {
  await fx.stop()
})

/** GET `path` through the proxy with `headers`; returns status, body and what reached the API server. */
async function through(
  path: string,
  headers: Record<string, string | number>,
  method = 'GET',
  body?: string,
): Promise<{ statusCode: number; body: string; reached: string[][] }> {
  const before = fx.apiserver.requests.length
  const res = await httpsRequest({
    url: fx.url + path,
    ca: fx.caPem,
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  })
  const reached = fx.apiserver.requests.slice(before).filter((r) => r.url !== '/readyz')
  return {
    statusCode: res.statusCode,
    body: res.body,
    reached: reached.map((r) => [...r.rawHeaders]),
  }
}

function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string])
  return out
}

const IMPERSONATION_TABLE: { name: string; claims: Json; want: [string, string][] }[] = [
  {
    name: 'user with one group, no uid, no extra',
    claims: { sub: 'jane', groups: ['developers'] },
    want: [
      ['Impersonate-User', 'oidc:jane'],
      ['Impersonate-Group', 'developers'],
    ],
  },
  {
    name: 'uid, several groups, extra with a key to percent-encode',
    claims: {
      sub: 'bob',
      uid: 'b-42',
      groups: ['a', 'b c', 'system:masters-not'],
      name: 'Bob B',
      odd: ['x', 'y'],
    },
    want: [
      ['Impersonate-User', 'oidc:bob'],
      ['Impersonate-Uid', 'b-42'],
      ['Impersonate-Group', 'a'],
      ['Impersonate-Group', 'b c'],
      ['Impersonate-Group', 'system:masters-not'],
      ['Impersonate-Extra-example.org%2Fdisplay-name', 'Bob B'],
      ['Impersonate-Extra-example.org%2F100%25%3Aodd~key', 'x'],
      ['Impersonate-Extra-example.org%2F100%25%3Aodd~key', 'y'],
    ],
  },
  {
    name: 'no groups at all',
    claims: { sub: 'carol', groups: [] },
    want: [['Impersonate-User', 'oidc:carol']],
  },
]

describe('proxy: impersonation headers the API server receives', () => {
  it.each(IMPERSONATION_TABLE)('$name', async ({ claims, want }) => {
    const token = fx.token(claims)
    const res = await through('/api/v1/namespaces/default/pods?limit=5', {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    })
    expect(res.statusCode).toBe(200)
    expect(res.reached).toHaveLength(1)
    const got = pairs(res.reached[0] as string[])
    expect(got.filter(([n]) => n.toLowerCase().startsWith('impersonate-'))).toEqual(want)
    expect(got.filter(([n]) => n.toLowerCase() === 'authorization')).toEqual([
      ['Authorization', `Bearer ${UPSTREAM_TOKEN}`],
    ])
    expect(got.find(([n]) => n === 'X-Forwarded-For')).toEqual(['X-Forwarded-For', '127.0.0.1'])
    expect(got.find(([n]) => n.toLowerCase() === 'accept')).toEqual(['Accept', 'application/json'])
    // The client's token appears nowhere in what was forwarded.
    expect(JSON.stringify(got)).not.toContain(token.split('.')[2])
  })

  it('a SelfSubjectReview reads back the mapped user (key decoded as kube-apiserver decodes it)', async () => {
    const res = await through(
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        Authorization: `Bearer ${fx.token({ sub: 'bob', uid: 'b-42', odd: ['x'] })}`,
        'Content-Type': 'application/json',
      },
      'POST',
      '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}',
    )
    expect(res.statusCode).toBe(201)
    expect((JSON.parse(res.body) as { status: unknown }).status).toEqual({
      userInfo: {
        username: 'oidc:bob',
        uid: 'b-42',
        groups: ['developers', 'system:authenticated'],
        extra: { [ODD_EXTRA_KEY]: ['x'] },
      },
    })
  })
})

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
}

describe('proxy: hostile requests never reach the API server', () => {
  const bearer = (claims: Json = {}): Record<string, string> => ({
    Authorization: `Bearer ${fx.token(claims)}`,
  })
  const cases: {
    name: string
    headers: () => Record<string, string>
    path?: string
    status: number
    reason: string
    logged: Record<string, unknown>
  }[] = [
    {
      name: 'no token',
      headers: () => ({}),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'no bearer token' },
    },
    {
      name: 'a token the issuer did not sign',
      headers: () => ({ Authorization: `Bearer ${fx.token().slice(0, -4)}AAAA` }),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'bad_signature' },
    },
    {
      name: 'an expired token',
      headers: () => bearer({ exp: 1000 }),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'expired' },
    },
    {
      name: 'token only in the query string',
      headers: () => ({}),
      path: `/api?access_token=${'x'}`,
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'no bearer token', path: '/api' },
    },
    {
      name: 'Basic credentials',
      headers: () => ({ Authorization: 'Basic amFuZTpwdw==' }),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'no bearer token' },
    },
    {
      name: 'a token that verifies but is revoked',
      headers: () => bearer({ sub: 'revoked-user' }),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'revoked' },
    },
    {
      name: 'client Impersonate-User',
      headers: () => ({ ...bearer(), 'Impersonate-User': 'admin' }),
      status: 403,
      reason: 'Forbidden',
      logged: { reason: 'client sent Impersonate-* headers' },
    },
    {
      name: 'client Impersonate-Group',
      headers: () => ({ ...bearer(), 'Impersonate-Group': 'system:masters' }),
      status: 403,
      reason: 'Forbidden',
      logged: { reason: 'client sent Impersonate-* headers' },
    },
    {
      name: 'client Impersonate-Extra-*',
      headers: () => ({ ...bearer(), 'impersonate-extra-scopes': 'all' }),
      status: 403,
      reason: 'Forbidden',
      logged: { reason: 'client sent Impersonate-* headers' },
    },
    {
      name: 'client Impersonate-Uid',
      headers: () => ({ ...bearer(), 'Impersonate-Uid': '0' }),
      status: 403,
      reason: 'Forbidden',
      logged: { reason: 'client sent Impersonate-* headers' },
    },
    {
      name: 'group with CR/LF (header injection)',
      headers: () => bearer({ groups: ['dev', 'x\r\nImpersonate-Group: system:masters'] }),
      status: 401,
      reason: 'Unauthorized',
      logged: { reason: 'user cannot be sent as impersonation headers', field: 'groups[1]' },
    },
    {
      name: 'group with a leading space',
      headers: () => bearer({ groups: [' system:masters'] }),
      status: 401,
      reason: 'Unauthorized',
      logged: { field: 'groups[0]' },
    },
    {
      name: 'non-ASCII group',
      headers: () => bearer({ groups: ['grüppe'] }),
      status: 401,
      reason: 'Unauthorized',
      logged: { field: 'groups[0]' },
    },
    {
      name: 'extra value with LF',
      headers: () => bearer({ odd: ['a\nImpersonate-User: admin'] }),
      status: 401,
      reason: 'Unauthorized',
      logged: { field: `extra[${JSON.stringify(ODD_EXTRA_KEY)}][0]` },
    },
    {
      name: 'username with CR',
      headers: () => bearer({ sub: 'jane\r' }),
      status: 401,
      reason: 'Unauthorized',
      logged: { field: 'username' },
    },
  ]

  it.each(cases)('$name -> $status', async ({ headers, path, status, reason, logged }) => {
    const from = logLines.length
    const sent = headers()
    const res = await through(path ?? '/api/v1/namespaces/default/pods', sent)
    expect(res.statusCode).toBe(status)
    const body = JSON.parse(res.body) as Record<string, unknown>
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason, code: status })
    if (status === 401) expect(body).toEqual(UNAUTHORIZED)
    expect(res.reached).toEqual([])
    expect(refusals(from)).toEqual([expect.objectContaining(logged)])
    const signature = (sent.Authorization ?? '').split('.')[2]
    if (signature !== undefined) expect(logLines.slice(from).join('')).not.toContain(signature)
  })

  /** Writes raw bytes on a TLS connection and returns everything the proxy answers. */
  function raw(request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: fx.port, ca: fx.caPem, servername: 'localhost' },
        () => {
          socket.write(request)
        },
      )
      let out = ''
      socket.setEncoding('utf8')
      socket.on('data', (d: string) => (out += d))
      socket.on('end', () => resolve(out))
      socket.on('close', () => resolve(out))
      socket.on('error', reject)
      setTimeout(() => socket.end(), 1500).unref()
    })
  }

  it('two Authorization headers -> 400, nothing forwarded', async () => {
    const before = fx.apiserver.requests.filter((r) => r.url !== '/readyz').length
    const answer = await raw(
      `GET /api HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.token()}\r\nAuthorization: Bearer ${fx.token({ sub: 'admin' })}\r\nConnection: close\r\n\r\n`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).toContain('"message":"the request carries more than one Authorization header"')
    expect(fx.apiserver.requests.filter((r) => r.url !== '/readyz').length).toBe(before)
  })

  it.each([
    {
      name: 'Content-Length with Transfer-Encoding',
      head: 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
      body: '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
    },
    {
      name: 'two different Content-Length',
      head: 'Content-Length: 5\r\nContent-Length: 40\r\n',
      body: 'hello',
    },
    {
      name: 'bad chunk size',
      head: 'Transfer-Encoding: chunked\r\n',
      body: 'zz\r\nhello\r\n0\r\n\r\n',
    },
    {
      name: 'Transfer-Encoding not ending in chunked',
      head: 'Transfer-Encoding: chunked, identity\r\n',
      body: '5\r\nhello\r\n0\r\n\r\n',
    },
  ])('request smuggling: $name -> 400, nothing forwarded', async ({ head, body }) => {
    const before = fx.apiserver.requests.filter((r) => r.url !== '/readyz').length
    const answer = await raw(
      `POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.token()}\r\n${head}\r\n${body}`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(fx.apiserver.requests.filter((r) => r.url !== '/readyz').length).toBe(before)
  })

  it('upgrade without a token -> 401 Status on the socket, nothing forwarded', async () => {
    const before = fx.apiserver.requests.filter((r) => r.url !== '/readyz').length
    const answer = await raw(
      'GET /api/v1/namespaces/default/pods/pod-a/exec?command=sh HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/)
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(JSON.stringify(UNAUTHORIZED))
    expect(fx.apiserver.requests.filter((r) => r.url !== '/readyz').length).toBe(before)
  })

  it('upgrade with Impersonate-User -> 403 on the socket', async () => {
    const answer = await raw(
      `GET /api/v1/namespaces/default/pods/pod-a/exec HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.token()}\r\nImpersonate-User: admin\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/)
  })
})
