/**
 * HTTP/1.1 pipelining on the secure port: a client may send many requests on
 * one connection before reading any answer; each must be answered, in order.
 * node's server used to reset such a connection after the first answer
 * ("Parse Error: Paused") once the answers queued behind it passed the
 * socket's high-water mark.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rawExchange, statusLines } from '../../helpers/raw-http.js'
import type { AuthOutcome, TokenAuthenticator } from '../../../src/token/types.js'
import { startWebhook, type Webhook } from './fixture.js'

/** Authenticates every token as a user of the same name. */
const echo: TokenAuthenticator = {
  async authenticate(token: string): Promise<AuthOutcome> {
    return {
      kind: 'authenticated',
      issuer: 'https://issuer.example',
      user: { username: token, uid: '', groups: [], extra: {} },
    }
  },
}

function review(token: string): string {
  const body = JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token },
  })
  return `POST /authenticate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
}

const notFound = 'GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n'

describe('pipelined requests on one connection', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook({ authenticator: echo })
  })
  afterAll(() => w.close())

  it.each([
    {
      name: '100 reviews',
      requests: Array.from({ length: 100 }, (_, i) => review(`user-${i}`)),
    },
    {
      name: '300 reviews',
      requests: Array.from({ length: 300 }, (_, i) => review(`user-${i}`)),
    },
    { name: '100 requests express answers (404)', requests: Array<string>(100).fill(notFound) },
    {
      name: '100 reviews and 404s interleaved',
      requests: Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0 ? review(`user-${i}`) : notFound,
      ),
    },
  ])('$name: every one answered, in order', async ({ requests }) => {
    const raw = await rawExchange(
      { host: '127.0.0.1', port: Number(new URL(w.base).port), ca: w.ca.certPem },
      requests.join(''),
    )
    const expected = requests.map((r) =>
      r === notFound ? 'HTTP/1.1 404 Not Found' : 'HTTP/1.1 200 OK',
    )
    expect(statusLines(raw)).toEqual(expected)
    const users = [...raw.matchAll(/"username":"(user-\d+)"/g)].map((m) => m[1])
    const sent = requests.flatMap((r) => r.match(/"token":"(user-\d+)"/)?.[1] ?? [])
    expect(users).toEqual(sent)
    expect(w.logs.join('')).not.toContain('reading token review failed')
  })
})
