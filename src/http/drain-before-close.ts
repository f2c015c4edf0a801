/**
 * Closing a connection whose request body was not read, so that the client
 * still reads our answer (a 413). Closing a socket with unread bytes in its
 * receive buffer makes the kernel send a reset, and a client still writing
 * its body then sees EPIPE or ECONNRESET, often before it has read the
 * response. Go's net/http server avoids this in `closeWriteAndWait`: it
 * half-closes (FIN after the response) and waits `rstAvoidanceDelay` (500 ms)
 * before closing. We do the same and, unlike Go, also read and discard what
 * the client keeps sending meanwhile, within a byte budget, so its writes do
 * not stall on a full window.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/** Go's rstAvoidanceDelay. */
export const DRAIN_MAX_MS = 500
/** How much of an unwanted body is read and thrown away before the connection is dropped. */
export const DRAIN_MAX_BYTES = 4 * 1024 * 1024

export interface DrainLimits {
  readonly maxMs?: number
  readonly maxBytes?: number
}

/**
 * Arranges for the connection of `req` to be half-closed and drained, instead
 * of destroyed, once node's http server closes it after a `Connection: close`
 * answer. Call before sending that answer.
 */
export function drainBeforeClose(req: IncomingMessage, limits: DrainLimits = {}): void {
  const socket: Socket = req.socket
  const maxMs = limits.maxMs ?? DRAIN_MAX_MS
  const maxBytes = limits.maxBytes ?? DRAIN_MAX_BYTES
  // node's server calls destroySoon() once a `Connection: close` response has
  // been written (resOnFinish); that is the moment to half-close instead.
  const destroySoon = socket.destroySoon.bind(socket)
  socket.destroySoon = () => {
    if (socket.destroyed) return
    // The whole body arrived after all: nothing unread, close as usual.
    if (req.complete) return destroySoon()
    let drained = 0
    const close = (): void => {
      clearTimeout(timer)
      if (socket.writableFinished) socket.destroy()
      else socket.once('finish', () => socket.destroy())
    }
    const timer = setTimeout(close, maxMs)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    // The client finished its body or closed its side: nothing is left unread.
    req.once('end', close)
    socket.once('end', close)
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length
      if (drained > maxBytes) close()
    })
    req.resume()
    socket.end()
  }
}
