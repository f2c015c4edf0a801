import { describe, expect, it } from '@jest/globals'
import { isAuthenticated, parseResponses } from '../../../bench/load/response-parser.js'

const ok =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 23\r\n\r\n{"authenticated":true}\n'
const chunked =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{"aut\r\n' +
  '12\r\nhenticated":false}\r\n0\r\n\r\n'

describe('parseResponses', () => {
  it.each([
    {
      name: 'one complete response',
      input: ok,
      statuses: [200],
      bodies: ['{"authenticated":true}\n'],
      rest: 0,
      close: [false],
    },
    {
      name: 'two responses back to back',
      input: ok + ok,
      statuses: [200, 200],
      bodies: ['{"authenticated":true}\n', '{"authenticated":true}\n'],
      rest: 0,
      close: [false, false],
    },
    {
      name: 'headers not yet complete',
      input: ok.slice(0, 30),
      statuses: [],
      bodies: [],
      rest: 30,
      close: [],
    },
    {
      name: 'body not yet complete',
      input: ok.slice(0, -3),
      statuses: [],
      bodies: [],
      rest: ok.length - 3,
      close: [],
    },
    {
      name: 'complete response then a partial one',
      input: ok + ok.slice(0, 10),
      statuses: [200],
      bodies: ['{"authenticated":true}\n'],
      rest: 10,
      close: [false],
    },
    {
      name: 'chunked body with connection close',
      input: chunked,
      statuses: [200],
      bodies: ['{"authenticated":false}'],
      rest: 0,
      close: [true],
    },
    {
      name: 'chunked body cut short',
      input: chunked.slice(0, -2),
      statuses: [],
      bodies: [],
      rest: chunked.length - 2,
      close: [],
    },
  ])('$name', ({ input, statuses, bodies, rest, close }) => {
    const parsed = parseResponses(Buffer.from(input, 'latin1'))
    expect(parsed.responses.map((r) => r.statusCode)).toEqual(statuses)
    expect(parsed.responses.map((r) => r.body.toString('latin1'))).toEqual(bodies)
    expect(parsed.responses.map((r) => r.close)).toEqual(close)
    expect(parsed.rest.length).toBe(rest)
  })

  it.each([
    { name: 'not HTTP', input: 'SSH-2.0-x\r\n\r\n', message: 'not an HTTP/1.x response' },
    {
      name: 'no length and not chunked',
      input: 'HTTP/1.1 200 OK\r\n\r\nabc',
      message: 'response without Content-Length or chunked encoding',
    },
  ])('refuses $name', ({ input, message }) => {
    expect(() => parseResponses(Buffer.from(input))).toThrow(message)
  })
})

describe('isAuthenticated', () => {
  it.each([
    {
      name: '200 authenticated',
      head: 'HTTP/1.1 200 OK',
      body: '{"status":{"authenticated":true}}',
      want: true,
    },
    {
      name: '200 not authenticated',
      head: 'HTTP/1.1 200 OK',
      body: '{"status":{"authenticated":false}}',
      want: false,
    },
    {
      name: '400 even with the text',
      head: 'HTTP/1.1 400 Bad Request',
      body: '{"authenticated":true}',
      want: false,
    },
  ])('$name', ({ head, body, want }) => {
    const [response] = parseResponses(
      Buffer.from(`${head}\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    ).responses
    expect(response === undefined ? undefined : isAuthenticated(response)).toBe(want)
  })
})
