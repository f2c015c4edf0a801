/**
 * The issuer HTTP client against one loopback HTTPS server: CA-only trust,
 * body limits, redirects only when allowed, its own deadline and the caller's,
 * closing with requests in flight. What needs no server (scheme and URL
 * errors, redaction) is in test/unit/issuer/http-client.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import { createHttpClient, IssuerFetchError } from '../../src/issuer/http-client.js'

let server: Server
let origin: string
let caPem: string
let otherCaPem: string

beforeAll(async () => {
  const ca = await createCertificateAuthority({ commonName: 'http-client test CA' })
  const other = await createCertificateAuthority({ commonName: 'unrelated CA' })
  caPem = ca.certPem
  otherCaPem = other.certPem
  const serving = await createServerCertificate(ca)
  server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}')
        return
      case '/big-declared':
        res.writeHead(200, { 'content-length': '2048' }).end('x'.repeat(2048))
        return
      case '/big-chunked':
        res.writeHead(200)
        for (let i = 0; i < 4; i++) res.write('y'.repeat(512))
        res.end()
        return
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end()
        return
      case '/hang':
        return
      default:
        res.writeHead(404).end('not here')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `https://localhost:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function client(overrides: { ca?: string; timeoutMs?: number } = {}) {
  return createHttpClient({
    ca: overrides.ca ?? caPem,
    timeoutMs: overrides.timeoutMs ?? 10_000,
    maxResponseBytes: 1024,
  })
}

describe('createHttpClient', () => {
  it('GETs over HTTPS trusting the given CA, with Go-style status text', async () => {
    const c = client()
    const res = await c.get(`${origin}/ok`)
    const missing = await c.get(`${origin}/nope`)
    c.close()
    expect([res.status, res.statusText, res.body.toString()]).toEqual([200, '200 OK', '{"a":1}'])
    expect([missing.status, missing.statusText]).toEqual([404, '404 Not Found'])
  })

  it('trusts only the given CA', async () => {
    const c = client({ ca: otherCaPem })
    await expect(c.get(`${origin}/ok`)).rejects.toThrow(IssuerFetchError)
    c.close()
  })

  it.each(['/big-declared', '/big-chunked'])('refuses a body over the limit (%s)', async (path) => {
    const c = client()
    await expect(c.get(`${origin}${path}`)).rejects.toThrow(
      `Get "${origin}${path}": response body larger than 1024 bytes`,
    )
    c.close()
  })

  it('follows redirects only when the caller allows them', async () => {
    const c = client()
    expect((await c.get(`${origin}/redirect`)).status).toBe(302)
    const followed = await c.get(`${origin}/redirect`, { maxRedirects: 1 })
    c.close()
    expect([followed.status, followed.url]).toEqual([200, `${origin}/ok`])
  })

  it('gives up at the deadline', async () => {
    const c = client({ timeoutMs: 200 })
    await expect(c.get(`${origin}/hang`)).rejects.toThrow(
      `Get "${origin}/hang": context deadline exceeded`,
    )
    c.close()
  })

  it("names the caller's abort reason when the caller gives up first", async () => {
    const c = client()
    const caller = new AbortController()
    const pending = c.get(`${origin}/hang`, { signal: caller.signal })
    caller.abort(new Error('context deadline exceeded'))
    await expect(pending).rejects.toThrow(`Get "${origin}/hang": context deadline exceeded`)
    c.close()
  })

  it('aborts requests in flight when closed', async () => {
    const c = client()
    const pending = c.get(`${origin}/hang`)
    c.close()
    await expect(pending).rejects.toThrow(`Get "${origin}/hang": client closed`)
  })
})
