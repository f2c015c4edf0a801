import { describe, expect, it } from '@jest/globals'
import type { IncomingHttpHeaders } from 'node:http'
import { requestToken } from '../../../src/proxy/request-token.js'

/** node's `headers` and `headersDistinct` from a raw list. */
function headersOf(raw: [string, string][]): [Record<string, string[]>, IncomingHttpHeaders] {
  const distinct: Record<string, string[]> = {}
  const joined: IncomingHttpHeaders = {}
  for (const [name, value] of raw) {
    const lower = name.toLowerCase()
    ;(distinct[lower] ??= []).push(value)
    if (joined[lower] === undefined) joined[lower] = value
  }
  return [distinct, joined]
}

const WS: [string, string][] = [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
]
const b64 = (s: string): string => Buffer.from(s).toString('base64url')
const PROTO = 'base64url.bearer.authorization.k8s.io.'

describe('requestToken', () => {
  it.each([
    {
      name: 'Bearer token',
      raw: [['Authorization', 'Bearer abc']],
      want: { kind: 'token', token: 'abc', protocols: undefined },
    },
    {
      name: 'scheme is case-insensitive, surrounding space trimmed',
      raw: [['Authorization', '  bEaReR abc  ']],
      want: { kind: 'token', token: 'abc', protocols: undefined },
    },
    {
      name: 'a third part is ignored as Go SplitN does',
      raw: [['Authorization', 'Bearer abc def']],
      want: { kind: 'token', token: 'abc', protocols: undefined },
    },
    {
      name: 'two spaces: empty token, none',
      raw: [['Authorization', 'Bearer  abc']],
      want: { kind: 'none' },
    },
    { name: 'Basic is not ours', raw: [['Authorization', 'Basic YTpi']], want: { kind: 'none' } },
    { name: 'no credential', raw: [], want: { kind: 'none' } },
    {
      name: 'two Authorization headers',
      raw: [
        ['Authorization', 'Bearer a'],
        ['Authorization', 'Bearer b'],
      ],
      want: { kind: 'invalid', problem: 'more than one Authorization header' },
    },
    {
      name: 'WebSocket subprotocol token, removed from the forwarded list',
      raw: [...WS, ['Sec-WebSocket-Protocol', `${PROTO}${b64('tok')}, v5.channel.k8s.io`]],
      want: { kind: 'token', token: 'tok', protocols: 'v5.channel.k8s.io' },
    },
    {
      name: 'subprotocols over several header lines',
      raw: [
        ...WS,
        ['Sec-WebSocket-Protocol', 'v5.channel.k8s.io'],
        ['Sec-WebSocket-Protocol', `${PROTO}${b64('tok')},v4.channel.k8s.io`],
      ],
      want: { kind: 'token', token: 'tok', protocols: 'v5.channel.k8s.io,v4.channel.k8s.io' },
    },
    {
      name: 'subprotocol token on a request that is not a WebSocket',
      raw: [['Sec-WebSocket-Protocol', `${PROTO}${b64('tok')}, v5.channel.k8s.io`]],
      want: { kind: 'none' },
    },
    {
      name: 'Authorization wins; the subprotocol token is still never forwarded',
      raw: [
        ...WS,
        ['Authorization', 'Bearer abc'],
        ['Sec-WebSocket-Protocol', `${PROTO}${b64('tok')}, v5.channel.k8s.io`],
      ],
      want: { kind: 'token', token: 'abc', protocols: 'v5.channel.k8s.io' },
    },
    {
      name: 'two subprotocol tokens',
      raw: [
        ...WS,
        ['Sec-WebSocket-Protocol', `${PROTO}${b64('a')}, ${PROTO}${b64('b')}, v5.channel.k8s.io`],
      ],
      want: { kind: 'invalid', problem: 'multiple base64.bearer.authorization tokens specified' },
    },
    {
      name: 'padding is not raw base64url',
      raw: [...WS, ['Sec-WebSocket-Protocol', `${PROTO}dG9r=, v5.channel.k8s.io`]],
      want: { kind: 'invalid', problem: 'invalid base64.bearer.authorization token encoding' },
    },
    {
      name: 'not UTF-8',
      raw: [
        ...WS,
        [
          'Sec-WebSocket-Protocol',
          `${PROTO}${Buffer.from([0xff, 0xfe]).toString('base64url')}, v5.channel.k8s.io`,
        ],
      ],
      want: { kind: 'invalid', problem: 'invalid base64.bearer.authorization token' },
    },
    {
      name: 'token as the only subprotocol',
      raw: [...WS, ['Sec-WebSocket-Protocol', `${PROTO}${b64('tok')}`]],
      want: { kind: 'invalid', problem: 'missing additional subprotocol' },
    },
  ] as { name: string; raw: [string, string][]; want: unknown }[])('$name', ({ raw, want }) => {
    const [distinct, headers] = headersOf(raw)
    expect(requestToken(distinct, headers)).toEqual(want)
  })
})
