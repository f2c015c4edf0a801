/**
 * Bodies stream through the proxy, never held whole: a multi-hundred-MiB
 * upload (chunked, so nobody knows its size up front) and download pass
 * through while the process's resident memory stays within a bound far below
 * the size moved. Client, proxy and fake API server share this process, so
 * any of them buffering a body would show.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import https from 'node:https'
import { Readable } from 'node:stream'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

const MiB = 1 << 20
/** Moved each way. */
const SIZE = 320 * MiB
/** Allowed growth of RSS above the level before the transfer. */
const RSS_BOUND = 96 * MiB

let fx: ProxyFixture

beforeAll(async () => {
  fx = await startProxyFixture()
}, 30_000)

afterAll(async () => {
  await fx.stop()
})

/** Samples RSS until stopped; returns the peak. */
function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 10)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage.rss())
    },
  }
}

/** `total` bytes in 1 MiB pushes of one shared, never-changed chunk (no garbage from the source itself). */
function chunks(total: number, hash: ReturnType<typeof createHash>): Readable {
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
      hash.update(piece)
      this.push(piece)
    },
  })
}

describe('proxy: bodies are streamed', () => {
  it(`a ${SIZE / MiB} MiB chunked upload and a ${SIZE / MiB} MiB download, RSS within ${RSS_BOUND / MiB} MiB of where it started`, async () => {
    const token = fx.token()
    const agent = new https.Agent({ ca: fx.caPem, keepAlive: false })
    const base = process.memoryUsage.rss()
    const sampler = sampleRss()

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
      chunks(SIZE, sent).pipe(req)
    })
    expect(uploaded).toEqual({ bytes: SIZE, sha256: sent.digest('hex') })

    fx.apiserver.downloadBytes = SIZE
    const received = await new Promise<number>((resolve, reject) => {
      https
        .get(
          `${fx.url}/download`,
          { agent, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            let bytes = 0
            res.on('data', (d: Buffer) => (bytes += d.length))
            res.on('end', () => resolve(bytes))
            res.on('error', reject)
          },
        )
        .on('error', reject)
    })
    expect(received).toBe(SIZE)

    const peak = sampler.stop()
    // In MiB, so a failure names the growth.
    if (process.env.PROXY_STREAM_REPORT === '1')
      process.stderr.write(`RSS growth ${Math.round((peak - base) / MiB)} MiB\n`)
    expect(Math.round((peak - base) / MiB)).toBeLessThan(RSS_BOUND / MiB)
    const [upload] = fx.apiserver.to('/upload')
    expect(fx.apiserver.header(upload!, 'transfer-encoding')).toEqual(['chunked'])
  }, 180_000)
})
