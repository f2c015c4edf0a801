import { describe, expect, it } from '@jest/globals'
import {
  endToEndHeaders,
  toOutgoingHeaders,
  withForwardedFor,
} from '../../../src/proxy/forward-headers.js'

describe('endToEndHeaders (RFC 9110 §7.6.1)', () => {
  it('drops hop-by-hop fields and every field Connection names, keeps order and duplicates', () => {
    const raw = [
      'Host',
      'proxy.example',
      'Connection',
      'keep-alive, X-Secret-Hop',
      'Connection',
      'Foo',
      'Keep-Alive',
      'timeout=5',
      'Proxy-Connection',
      'keep-alive',
      'TE',
      'trailers',
      'Trailer',
      'Expires',
      'Transfer-Encoding',
      'chunked',
      'Upgrade',
      'websocket',
      'Proxy-Authorization',
      'Basic eA==',
      'X-Secret-Hop',
      '1',
      'foo',
      '2',
      'Accept',
      'application/json',
      'Warning',
      '299 - "a"',
      'Warning',
      '299 - "b"',
      'Content-Length',
      '3',
    ]
    expect(endToEndHeaders(raw, (n) => n === 'host')).toEqual([
      ['Accept', 'application/json'],
      ['Warning', '299 - "a"'],
      ['Warning', '299 - "b"'],
      ['Content-Length', '3'],
    ])
  })

  it('X-Forwarded-For: the client address appended to what came before', () => {
    expect(
      withForwardedFor(
        [
          ['X-Forwarded-For', '203.0.113.9'],
          ['A', 'b'],
        ],
        '10.0.0.7',
      ),
    ).toEqual([
      ['A', 'b'],
      ['X-Forwarded-For', '203.0.113.9, 10.0.0.7'],
    ])
    expect(withForwardedFor([], '::1')).toEqual([['X-Forwarded-For', '::1']])
  })

  it('toOutgoingHeaders keeps repeated names as one list', () => {
    expect(
      toOutgoingHeaders([
        ['Impersonate-Group', 'a'],
        ['impersonate-group', 'b'],
        ['Impersonate-Group', 'c'],
        ['X', 'y'],
      ]),
    ).toEqual({ 'Impersonate-Group': ['a', 'b', 'c'], X: 'y' })
  })
})
