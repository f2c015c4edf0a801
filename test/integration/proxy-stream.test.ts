/**
 * Bodies stream through the proxy, never held whole: a multi-hundred-MiB
 * upload (chunked, so nobody knows its size up front) and download pass
 * through while the bytes in transit (sent by one end, not yet received by
 * the other) stay within socket-buffer sizes, and the process's resident
 * memory stays within a bound far below the size moved. Client, proxy and
 * fake API server share this process, so any of them buffering a body would
 * show. Memory is sampled right after a full collection: on a loaded machine
 * V8's background sweeping lags behind TLS's garbage, which says nothing
 * about what the proxy holds.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import https from 'node:https'
import { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

const MiB = 1 << 20
/** Moved each way. */
const SIZE = 320 * MiB
/** Allowed growth of RSS above the level before the transfer. */
const RSS_BOUND = 96 * MiB
/** Allowed bytes in transit between the two ends: kernel and TLS buffers, never a body. */
const IN_TRANSIT_BOUND = 32 * MiB

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let fx: ProxyFixture

beforeAll(async () => {
  fx = await startProxyFixture()
}, 30_000)

afterAll(async () => {
  await fx.stop()
})

function rssAfterGc(): number {
  gc()
  return process.memoryUsage.rss()
}

/**
 * Samples the bytes in transit every 10 ms and RSS (after a collection) every
 * 250 ms until stopped; returns both peaks.
 */
function sample(inTransit: () => number): { stop(): { rss: number; inTransit: number } } {
  let rss = rssAfterGc()
  let transit = 0
  let ticks = 0
  const timer = setInterval(() => {
    transit = Math.max(transit, inTransit())
    if (++ticks % 25 === 0) rss = Math.max(rss, rssAfterGc())
  }, 10)
  return {
    stop() {
      clearInterval(timer)
      return { rss: Math.max(rss, rssAfterGc()), inTransit: transit }
    },
  }
}

/** `total` bytes in 1 MiB pushes of one shared, never-changed chunk (no garbage from the source itself). */
function chunks(
  total: number,
  hash: ReturnType<typeof createHash>,
  produced: { bytes: number },
): Readable {
  const chunk = Buffer.alloc(MiB, 0x5a)
  let left = total
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null)
        return
      }
      const piece = left >= MiB ? chunk : chunk.subarray(0, left)
      left -= piece.length
      produced.bytes += piece.length
      hash.update(piece)
      this.push(piece)
    },
  })
}

describe('proxy: bodies are streamed', () => {
  it(`a ${SIZE / MiB} MiB chunked upload and a ${SIZE / MiB} MiB download, RSS within ${RSS_BOUND / MiB} MiB of where it started`, async () => {
    const token = fx.token()
    const agent = new https.Agent({ ca: fx.caPem, keepAlive: false })
    const produced = { bytes: 0 }
    let received = 0
    let phase: 'upload' | 'download' = 'upload'
    const base = rssAfterGc()
    const sampler = sample(() =>
      phase === 'upload'
        ? produced.bytes - (fx.apiserver.to('/upload')[0]?.bodyBytes ?? 0)
        : fx.apiserver.downloadSentBytes - received,
    )

    const sent = createHash('sha256')
    const uploaded = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
      const req = https.request(`${fx.url}/upload`, {
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      })
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => resolve(JSON.parse(text) as { bytes: number; sha256: string }))
      })
      req.on('error', reject)
      chunks(SIZE, sent, produced).pipe(req)
    })
    expect(uploaded).toEqual({ bytes: SIZE, sha256: sent.digest('hex') })

    phase = 'download'
    fx.apiserver.downloadBytes = SIZE
    await new Promise<void>((resolve, reject) => {
      https
        .get(
          `${fx.url}/download`,
          { agent, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            res.on('data', (d: Buffer) => (received += d.length))
            res.on('end', () => resolve())
            res.on('error', reject)
          },
        )
        .on('error', reject)
    })
    expect(received).toBe(SIZE)

    const peaks = sampler.stop()
    // In MiB, so a failure names the figure.
    if (process.env.PROXY_STREAM_REPORT === '1')
      process.stderr.write(
        `RSS growth ${Math.round((peaks.rss - base) / MiB)} MiB, in transit at most ${Math.round(peaks.inTransit / MiB)} MiB\n`,
      )
    expect(Math.round(peaks.inTransit / MiB)).toBeLessThan(IN_TRANSIT_BOUND / MiB)
    expect(Math.round((peaks.rss - base) / MiB)).toBeLessThan(RSS_BOUND / MiB)
    const [upload] = fx.apiserver.to('/upload')
    expect(fx.apiserver.header(upload!, 'transfer-encoding')).toEqual(['chunked'])
  }, 180_000)
})
