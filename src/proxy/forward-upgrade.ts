/**
 * Forwards an admitted upgrade (WebSocket for exec/attach/port-forward over
 * WebSockets, SPDY/3.1 for the older streaming protocol) and, once the API
 * server switches protocols, splices the two sockets: bytes flow both ways
 * as they come, with back-pressure, without being parsed or held.
 */
import https from 'node:https'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../log/logger.js'
import { endToEndHeaders, toOutgoingHeaders } from './forward-headers.js'
import { sendProxyErrorOnSocket } from './proxy-errors.js'
import type { Upstream } from './upstream.js'

/** A head block (status line and fields) in HTTP/1.1 wire form. */
function head(statusLine: string, raw: readonly string[]): string {
  let text = `${statusLine}\r\n`
  for (let i = 0; i + 1 < raw.length; i += 2)
    text += `${raw[i] as string}: ${raw[i + 1] as string}\r\n`
  return `${text}\r\n`
}

/** The live spliced connections, so shutdown can wait for them and then end them. */
export class Tunnels {
  private readonly open = new Set<Duplex>()
  private waiters: (() => void)[] = []

  get size(): number {
    return this.open.size
  }

  add(client: Duplex, upstream: Duplex): void {
    this.open.add(client)
    const done = (): void => {
      upstream.destroy()
      client.destroy()
      if (!this.open.delete(client)) return
      if (this.open.size === 0) for (const w of this.waiters.splice(0)) w()
    }
    client.once('close', done)
    upstream.once('close', done)
  }

  idle(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy()
  }
}

export function forwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  clientHead: Buffer,
  headers: [string, string][],
  upstream: Upstream,
  tunnels: Tunnels,
  logger: Logger,
): void {
  const upReq = https.request(upstream.url, {
    method: req.method ?? 'GET',
    path: upstream.target(req.url ?? '/'),
    agent: upstream.agent,
    headers: toOutgoingHeaders([
      ...headers,
      ['Connection', 'Upgrade'],
      ['Upgrade', req.headers.upgrade ?? ''],
    ]),
  })
  const onClientGone = (): void => {
    upReq.destroy()
  }
  socket.once('close', onClientGone)
  let answered = false
  upReq.on('upgrade', (upRes, upSocket, upHead) => {
    answered = true
    upstream.markReachable(true)
    socket.off('close', onClientGone)
    if (socket.destroyed) {
      upSocket.destroy()
      return
    }
    // The 101's Connection and Upgrade fields belong to this switch and stay.
    socket.write(
      head(`HTTP/1.1 101 ${upRes.statusMessage ?? 'Switching Protocols'}`, upRes.rawHeaders),
    )
    if (upHead.length > 0) socket.write(upHead)
    if (clientHead.length > 0) upSocket.write(clientHead)
    tunnels.add(socket, upSocket)
    socket.on('error', () => upSocket.destroy())
    upSocket.on('error', () => socket.destroy())
    socket.pipe(upSocket)
    upSocket.pipe(socket)
  })
  upReq.on('response', (upRes) => {
    // The API server refused to switch (401, 403, 404, 400...): relay its
    // answer, delimited by closing the connection.
    answered = true
    upstream.markReachable(true)
    socket.off('close', onClientGone)
    const fields = endToEndHeaders(upRes.rawHeaders)
    fields.push(['Connection', 'close'])
    socket.write(
      head(`HTTP/1.1 ${upRes.statusCode ?? 502} ${upRes.statusMessage ?? ''}`, fields.flat()),
    )
    upRes.pipe(socket)
    socket.on('error', () => upRes.destroy())
  })
  upReq.on('error', (err: NodeJS.ErrnoException) => {
    if (answered || socket.destroyed) return
    upstream.markReachable(false)
    logger.warn({ method: req.method, err: err.message, code: err.code }, 'upstream upgrade failed')
    sendProxyErrorOnSocket(socket, 'ERR_UPSTREAM_UNAVAILABLE')
  })
  upReq.end()
}
