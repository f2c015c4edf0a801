import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import https from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { postJson, tokenReviewBody } from '../../helpers/https-client.js'
import { KEEP_ALIVE_TIMEOUT_MS } from '../../../src/http/tls-server.js'
import { startWebhook, type Webhook } from './fixture.js'

describe('keep-alive', () => {
  let w: Webhook
  beforeAll(async () => {
    w = await startWebhook()
  })
  afterAll(() => w.close())

  it('outlasts the Go client idle timeout of 90 s', () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(90_000)
    expect(w.webhook.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS)
  })

  it('100 sequential reviews with pauses share one connection', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const ports = new Set<number>()
      for (let i = 0; i < 100; i++) {
        const res = await postJson(
          `${w.url}?timeout=30s`,
          w.ca.certPem,
          tokenReviewBody('jane-token'),
          { agent },
        )
        expect(res.statusCode).toBe(200)
        expect(res.headers['keep-alive']).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`)
        ports.add(res.localPort)
        if (i % 10 === 9) await sleep(20)
      }
      expect(ports.size).toBe(1)
    } finally {
      agent.destroy()
    }
  })
})
