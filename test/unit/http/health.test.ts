import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createHealthServer,
  readyz,
  type HealthState,
  type IssuerReadiness,
} from '../../../src/http/health.js'
import { captureSecurityHeaders } from '../../../src/http/security-headers.js'
import { rawExchange, rawRequest, statusLines } from '../../helpers/raw-http.js'

const ISSUER_OK: IssuerReadiness = {
  url: 'https://a.example',
  issuerHash: 'sha256:aaaa',
  ready: true,
  conditions: [{ type: 'Ready', status: 'True', reason: 'Success', message: 'ready' }],
}
const ISSUER_DOWN: IssuerReadiness = {
  url: 'https://b.example',
  issuerHash: 'sha256:bbbb',
  ready: false,
  conditions: [
    { type: 'DiscoveryURLValid', status: 'True', reason: 'Success', message: 'discovery ok' },
    {
      type: 'JWKSFetchValid',
      status: 'False',
      reason: 'JWKSFetchFailed',
      message: 'could not fetch\nkeys',
    },
    { type: 'Ready', status: 'False', reason: 'NotReady', message: 'not ready' },
  ],
}

function state(
  over: Partial<{
    loaded: boolean
    serving: boolean
    down: boolean
    issuers: IssuerReadiness[]
  }> = {},
): HealthState {
  return {
    configLoaded: () => over.loaded ?? true,
    serving: () => over.serving ?? true,
    shuttingDown: () => over.down ?? false,
    issuers: () => over.issuers ?? [ISSUER_OK, ISSUER_DOWN],
  }
}

describe('/readyz', () => {
  it.each([
    { name: 'ready even with one issuer down', s: state(), code: 200, body: 'ok' },
    { name: 'no config yet', s: state({ loaded: false }), code: 503, body: 'not ready' },
    { name: 'not listening yet', s: state({ serving: false }), code: 503, body: 'not ready' },
    { name: 'shutting down', s: state({ down: true }), code: 503, body: 'not ready' },
  ])('$name -> $code', ({ s, code, body }) => {
    expect(readyz(s, false)).toEqual({ statusCode: code, body })
  })

  it('?verbose lists each check and issuer in kube style', () => {
    expect(readyz(state(), true)).toEqual({
      statusCode: 200,
      body: [
        '[+]config ok',
        '[+]serving ok',
        '[+]shutdown ok',
        '[+]issuer sha256:aaaa https://a.example ok',
        '[-]issuer sha256:bbbb https://b.example not ready: JWKSFetchFailed: could not fetch keys',
        'readyz check passed',
        '',
      ].join('\n'),
    })
    expect(readyz(state({ down: true, issuers: [] }), true)).toEqual({
      statusCode: 503,
      body: '[+]config ok\n[+]serving ok\n[-]shutdown failed\nreadyz check failed\n',
    })
  })

  it('a further check (the proxy upstream) counts and is listed', () => {
    const upstream = (up: boolean): HealthState => ({
      ...state({ issuers: [] }),
      checks: () => [['upstream', up]],
    })
    expect(readyz(upstream(true), false)).toEqual({ statusCode: 200, body: 'ok' })
    expect(readyz(upstream(false), false)).toEqual({ statusCode: 503, body: 'not ready' })
    expect(readyz(upstream(false), true)).toEqual({
      statusCode: 503,
      body: '[+]config ok\n[+]serving ok\n[+]shutdown ok\n[-]upstream failed\nreadyz check failed\n',
    })
  })
})

describe('health server over HTTP', () => {
  let server: http.Server | undefined
  afterEach(async () => {
    await new Promise((r) => server?.close(r))
  })

  async function start(metrics?: {
    contentType: string
    metrics(): Promise<string>
  }): Promise<string> {
    server = createHealthServer({
      state: state(),
      securityHeaders: captureSecurityHeaders(),
      ...(metrics === undefined ? {} : { metrics }),
    })
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  async function get(
    url: string,
    method = 'GET',
  ): Promise<{ status: number; body: string; type: string | null; nosniff: string | null }> {
    const res = await fetch(url, { method })
    return {
      status: res.status,
      body: await res.text(),
      type: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
    }
  }

  it.each([
    { path: '/healthz', status: 200, body: 'ok' },
    { path: '/readyz', status: 200, body: 'ok' },
    { path: '/metrics', status: 404, body: 'not found' },
    { path: '/other', status: 404, body: 'not found' },
  ])('GET $path -> $status', async ({ path, status, body }) => {
    const base = await start()
    expect(await get(`${base}${path}`)).toEqual({
      status,
      body,
      type: 'text/plain; charset=utf-8',
      nosniff: 'nosniff',
    })
  })

  it('POST -> 405', async () => {
    const base = await start()
    expect((await get(`${base}/healthz`, 'POST')).status).toBe(405)
  })

  it('/metrics serves the registry text with its content type', async () => {
    const base = await start({
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      metrics: async () => 'up 1\n',
    })
    expect(await get(`${base}/metrics`)).toEqual({
      status: 200,
      body: 'up 1\n',
      type: 'text/plain; version=0.0.4; charset=utf-8',
      nosniff: 'nosniff',
    })
  })
})

describe('health server: request targets that do not parse', () => {
  let server: http.Server | undefined
  afterEach(async () => {
    await new Promise((r) => server?.close(r))
  })

  // Each of these made `new URL()` throw outside any handler and the process exit.
  it.each([
    { name: 'absolute form, port past 65535', target: 'http://a:99999/metrics' },
    { name: 'absolute form, port of letters', target: 'http://a:b/healthz' },
    { name: 'absolute form, unclosed IPv6 host', target: 'http://[::1/readyz' },
    { name: 'absolute form, bad percent-escape in host', target: 'http://%zz/healthz' },
    { name: 'absolute form, empty host with userinfo', target: 'http://user@/metrics' },
  ])('$name -> 400, and the server still answers', async ({ target }) => {
    const seen: Array<[number, string]> = []
    server = createHealthServer({
      state: state(),
      securityHeaders: captureSecurityHeaders(),
      onRequest: (code, path) => seen.push([code, path]),
    })
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const raw = await rawExchange({ host: '127.0.0.1', port }, rawRequest('GET', target))
    expect(statusLines(raw)).toEqual(['HTTP/1.1 400 Bad Request'])
    expect(raw.endsWith('bad request: unparsable request target')).toBe(true)
    expect(seen).toEqual([[400, 'other']])
    const after = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect([after.status, await after.text()]).toEqual([200, 'ok'])
  })

  it('a metrics hook that throws does not take the port down', async () => {
    server = createHealthServer({
      state: state(),
      securityHeaders: captureSecurityHeaders(),
      onRequest: () => {
        throw new Error('hook failed')
      },
    })
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/healthz`)
      expect([res.status, await res.text()]).toEqual([200, 'ok'])
    }
  })

  it('a metrics source that throws synchronously -> 500, not a crash', async () => {
    server = createHealthServer({
      state: state(),
      securityHeaders: captureSecurityHeaders(),
      metrics: {
        contentType: 'text/plain',
        metrics: () => {
          throw new Error('registry broken')
        },
      },
    })
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`)
    expect([res.status, await res.text()]).toEqual([500, 'internal error'])
  })
})
