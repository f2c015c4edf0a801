/**
 * Forwards an admitted plain request to the API server and streams the answer
 * back. Both bodies are piped with back-pressure and never held whole; no
 * timeout applies, so a watch lasts as long as client and server keep it.
 */
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'
import type { Logger } from '../log/logger.js'
import { endToEndHeaders, toOutgoingHeaders } from './forward-headers.js'
import { sendProxyError } from './proxy-errors.js'
import type { Upstream } from './upstream.js'

/** The body framing for the next hop: the client's length, or chunked when the client sent chunks. */
export function bodyFraming(req: IncomingMessage): [string, string][] {
  const te = req.headers['transfer-encoding']
  // node's parser refused anything but a final `chunked` with a body, and a
  // Content-Length beside it, before this point.
  if (te !== undefined) return [['Transfer-Encoding', 'chunked']]
  return []
}

function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0'
  )
}

export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  headers: [string, string][],
  upstream: Upstream,
  logger: Logger,
  retried = false,
): void {
  const upReq = https.request(upstream.url, {
    method: req.method ?? 'GET',
    path: upstream.target(req.url ?? '/'),
    agent: upstream.agent,
    headers: toOutgoingHeaders([...headers, ...bodyFraming(req)]),
  })
  let answered = false
  upReq.on('response', (upRes) => {
    answered = true
    upstream.markReachable(true)
    res.writeHead(
      upRes.statusCode ?? 502,
      upRes.statusMessage ?? '',
      toOutgoingHeaders(endToEndHeaders(upRes.rawHeaders)),
    )
    // A watch answers headers first and events much later: send the head now.
    res.flushHeaders()
    pipeline(upRes, res, (err) => {
      if (err !== undefined && err !== null) upReq.destroy()
    })
  })
  upReq.on('error', (err: NodeJS.ErrnoException) => {
    if (answered) return
    // A kept-alive connection the API server closed just as it was reused:
    // a request without a body is safe to send again, once.
    if (!retried && upReq.reusedSocket && err.code === 'ECONNRESET' && !hasBody(req)) {
      forwardRequest(req, res, headers, upstream, logger, true)
      return
    }
    if (res.destroyed) return
    upstream.markReachable(false)
    logger.warn({ method: req.method, err: err.message, code: err.code }, 'upstream request failed')
    sendProxyError(res, 'ERR_UPSTREAM_UNAVAILABLE')
  })
  res.on('close', () => {
    if (!res.writableFinished) upReq.destroy()
  })
  if (!hasBody(req) || retried) {
    req.resume()
    upReq.end()
    return
  }
  pipeline(req, upReq, (err) => {
    if (err !== undefined && err !== null) upReq.destroy()
  })
}
