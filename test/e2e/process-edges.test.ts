/**
 * The built CLI (`node dist/cli.js serve`) against hostile HTTP edges: request
 * targets that do not parse, pipelined batches, and bodies over the limit
 * sent by a client that is still writing when the 413 goes out. The process
 * must answer each and stay up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import https from 'node:https'
import { rm } from 'node:fs/promises'
import { rawExchange, rawRequest, statusLines } from '../helpers/raw-http.js'
import { freePort, startCli, waitFor, type Running } from './cli-process.js'
import { serveFiles, type ServeFiles } from './serve-fixture.js'

const TOO_LARGE = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'request body is larger than 4194304 bytes',
  reason: 'RequestEntityTooLarge',
  code: 413,
}

/** Writes `chunks` pieces of 512 KiB a few milliseconds apart and reads whatever answer comes. */
function slowUpload(
  url: string,
  ca: string,
  chunks: number,
  declared: boolean,
): Promise<{ statusCode: number; body: string } | { error: string }> {
  const piece = 512 * 1024
  return new Promise((resolve) => {
    let answered = false
    const req = https.request(url, {
      method: 'POST',
      ca,
      agent: false,
      headers: {
        'Content-Type': 'application/json',
        ...(declared ? { 'Content-Length': chunks * piece } : {}),
      },
    })
    req.on('response', (r) => {
      answered = true
      let body = ''
      r.on('data', (c: Buffer) => (body += c.toString()))
      r.on('end', () => resolve({ statusCode: r.statusCode ?? 0, body }))
      r.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }))
    })
    // Writes after the server closed its side may fail; only a failure before the answer counts.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered) resolve({ error: err.code ?? err.message })
    })
    let sent = 0
    const next = (): void => {
      if (req.destroyed) return
      if (sent++ === chunks) {
        req.end()
        return
      }
      req.write(Buffer.alloc(piece, 0x20))
      setTimeout(next, 10)
    }
    next()
  })
}

describe('e2e: the serve process answers hostile HTTP edges and stays up', () => {
  let files: ServeFiles
  let proc: Running
  let securePort: number
  let healthPort: number

  beforeAll(async () => {
    files = await serveFiles()
    ;[securePort, healthPort] = [await freePort(), await freePort()]
    proc = startCli([
      'serve',
      `--authentication-config=${files.configFile}`,
      `--tls-cert-file=${files.certFile}`,
      `--tls-private-key-file=${files.keyFile}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--health-port=${healthPort}`,
      '--shutdown-grace=1s',
    ])
    await waitFor(`http://127.0.0.1:${healthPort}/readyz`, 200, 15_000, proc)
  })
  afterAll(async () => {
    proc.child.kill('SIGTERM')
    await proc.exited()
    await rm(files.dir, { recursive: true, force: true })
  })

  async function stillServing(): Promise<void> {
    expect(proc.child.exitCode).toBeNull()
    const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`)
    expect([res.status, await res.text()]).toEqual([200, 'ok'])
  }

  const badTargets = [
    'http://a:99999/metrics',
    'http://a:b/healthz',
    'http://[::1/readyz',
    'http://%zz/healthz',
    'http://user@/metrics',
  ]

  it.each(badTargets)('health port: GET %s -> 400, the process lives', async (target) => {
    const raw = await rawExchange(
      { host: '127.0.0.1', port: healthPort },
      rawRequest('GET', target),
    )
    expect(statusLines(raw)).toEqual(['HTTP/1.1 400 Bad Request'])
    await stillServing()
  })

  it.each(badTargets.flatMap((target) => ['GET', 'POST'].map((method) => ({ method, target }))))(
    'secure port: $method $target gets an answer, the process lives',
    async ({ method, target }) => {
      const raw = await rawExchange(
        { host: '127.0.0.1', port: securePort, ca: files.ca.certPem },
        rawRequest(method, target, method === 'POST' ? '{}' : ''),
      )
      expect(statusLines(raw)).toEqual([expect.stringMatching(/^HTTP\/1\.1 4\d\d /)])
      await stillServing()
    },
  )

  it('100 reviews pipelined on one connection are all answered, in order', async () => {
    const review = (i: number): string => {
      const body = JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token: `not-a-jwt-${i}` },
      })
      return `POST /authenticate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    }
    const raw = await rawExchange(
      { host: '127.0.0.1', port: securePort, ca: files.ca.certPem },
      Array.from({ length: 100 }, (_, i) => review(i)).join(''),
    )
    expect(statusLines(raw)).toEqual(Array<string>(100).fill('HTTP/1.1 200 OK'))
    await stillServing()
  })

  // The client is still writing when the 413 goes out; closing the connection
  // at once reset it, and the client saw EPIPE or ECONNRESET instead.
  it.each([
    { name: 'declared Content-Length', declared: true },
    { name: 'chunked', declared: false },
  ])('a client still sending an oversized body reads its 413 ($name)', async ({ declared }) => {
    const url = `https://localhost:${securePort}/authenticate`
    for (let round = 0; round < 5; round++) {
      expect(await slowUpload(url, files.ca.certPem, 12, declared)).toEqual({
        statusCode: 413,
        body: JSON.stringify(TOO_LARGE),
      })
    }
    await stillServing()
  })
})
