/**
 * The proxy's upgrades and its upstream: a SPDY/3.1 upgrade spliced both ways,
 * a WebSocket authenticated by its bearer subprotocol (never forwarded), an
 * upgrade the API server refuses relayed as it answered, the API server down
 * (503 Status, not ready) and back, and the proxy's own token re-read when its
 * file is replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { rename, writeFile } from 'node:fs/promises'
import { connect, type TLSSocket } from 'node:tls'
import WebSocket from 'ws'
import { httpsRequest } from '../helpers/https-client.js'
import { eventually } from '../helpers/ops-serve.js'
import { startProxyFixture, UPSTREAM_TOKEN, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fx: ProxyFixture

beforeAll(async () => {
  fx = await startProxyFixture({ probeIntervalMs: 100 })
  await eventually(async () => (await fx.serve.readyz()).status === 200, 10_000, 'proxy ready')
}, 30_000)

afterAll(async () => {
  await fx.stop()
})

function tlsConnect(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: fx.port, ca: fx.caPem, servername: 'localhost' },
      () => resolve(socket),
    )
    socket.once('error', reject)
  })
}

/** Reads from `socket` until `predicate(all bytes so far)` holds. */
function readUntil(socket: TLSSocket, predicate: (b: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let all = Buffer.alloc(0)
    const onData = (d: Buffer): void => {
      all = Buffer.concat([all, d])
      if (predicate(all)) {
        socket.off('data', onData)
        resolve(all)
      }
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('close', () => resolve(all))
  })
}

describe('proxy: upgrades', () => {
  it('SPDY/3.1 upgrade: 101 relayed, then bytes echoed both ways unchanged', async () => {
    const socket = await tlsConnect()
    socket.write(
      `POST /api/v1/namespaces/default/pods/pod-a/exec?command=sh&stdin=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.token()}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n`,
    )
    const head = await readUntil(socket, (b) => b.includes('\r\n\r\n'))
    expect(head.toString('latin1')).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
    )
    const payload = randomBytes(4 << 20)
    const echoed = readUntil(socket, (b) => b.length >= payload.length)
    socket.write(payload)
    expect((await echoed).equals(payload)).toBe(true)
    socket.destroy()
    const [seen] = fx.apiserver
      .to('/api/v1/namespaces/default/pods/pod-a/exec')
      .filter((r) => fx.apiserver.header(r, 'upgrade')[0] === 'SPDY/3.1')
    expect(fx.apiserver.header(seen!, 'x-stream-protocol-version')).toEqual(['v4.channel.k8s.io'])
    expect(fx.apiserver.header(seen!, 'authorization')).toEqual([`Bearer ${UPSTREAM_TOKEN}`])
    expect(fx.apiserver.header(seen!, 'connection')).toEqual(['Upgrade'])
  })

  it('WebSocket with the bearer subprotocol: authenticated, the token subprotocol not forwarded', async () => {
    const token = fx.token({ sub: 'browser-user' })
    const ws = new WebSocket(
      `wss://127.0.0.1:${fx.port}/api/v1/namespaces/default/pods/pod-a/exec?command=cat&stdin=true&stdout=true`,
      [
        `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`,
        'v5.channel.k8s.io',
      ],
      { ca: fx.caPem },
    )
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    expect(ws.protocol).toBe('v5.channel.k8s.io')
    const reply = new Promise<Buffer>((resolve) => ws.once('message', (d: Buffer) => resolve(d)))
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]))
    expect((await reply).toString('latin1')).toBe('\x01ping')
    ws.close()
    const seen = fx.apiserver
      .to('/api/v1/namespaces/default/pods/pod-a/exec')
      .find((r) => fx.apiserver.header(r, 'impersonate-user')[0] === 'oidc:browser-user')
    expect(fx.apiserver.header(seen!, 'sec-websocket-protocol')).toEqual(['v5.channel.k8s.io'])
    expect(JSON.stringify(seen!.rawHeaders)).not.toContain(token.split('.')[1])
  })

  it('an upgrade the API server refuses is relayed with its status and body', async () => {
    const socket = await tlsConnect()
    socket.write(
      `GET /api/v1/namespaces/default/pods/pod-a/attach HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.token()}\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n`,
    )
    const answer = (await readUntil(socket, () => false)).toString('latin1')
    expect(answer).toBe(
      'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    )
  })
})

describe('proxy: the upstream API server', () => {
  it('down -> 503 Status and not ready; back -> ready again', async () => {
    fx.apiserver.down = true
    const res = await httpsRequest({
      url: `${fx.url}/api`,
      ca: fx.caPem,
      headers: { Authorization: `Bearer ${fx.token()}` },
    })
    expect(res.statusCode).toBe(503)
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the upstream API server is unavailable',
      reason: 'ServiceUnavailable',
      code: 503,
    })
    expect(await fx.serve.readyz(true)).toEqual({
      status: 503,
      body: expect.stringContaining('[-]upstream failed\n') as unknown as string,
    })
    fx.apiserver.down = false
    await eventually(async () => (await fx.serve.readyz()).status === 200, 10_000, 'ready again')
    const again = await httpsRequest({
      url: `${fx.url}/api`,
      ca: fx.caPem,
      headers: { Authorization: `Bearer ${fx.token()}` },
    })
    expect(again.statusCode).toBe(200)
  })

  it("the proxy's token is re-read when kubelet replaces the file", async () => {
    await writeFile(`${fx.upstreamTokenFile}.new`, 'rotated-token\n')
    await rename(`${fx.upstreamTokenFile}.new`, fx.upstreamTokenFile)
    await eventually(
      async () => {
        const before = fx.apiserver.requests.length
        await httpsRequest({
          url: `${fx.url}/api`,
          ca: fx.caPem,
          headers: { Authorization: `Bearer ${fx.token()}` },
        })
        const seen = fx.apiserver.requests.slice(before).find((r) => r.url === '/api')
        return (
          seen !== undefined &&
          fx.apiserver.header(seen, 'authorization')[0] === 'Bearer rotated-token'
        )
      },
      10_000,
      'rotated token in use',
    )
  })
})
