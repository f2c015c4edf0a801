/**
 * Raw HTTP/1.1 over plain TCP or TLS: for request targets and framings a
 * regular client refuses to send (absolute-form targets with bad ports,
 * pipelined batches). Resolves with every byte the server sent until it closed
 * the connection or `idleMs` passed without data.
 */
import net from 'node:net'
import tls from 'node:tls'

export interface RawTarget {
  readonly host: string
  readonly port: number
  /** When set, TLS trusting this CA (servername `localhost`). */
  readonly ca?: string
}

export function rawExchange(
  target: RawTarget,
  bytes: string | Buffer,
  idleMs = 2000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket =
      target.ca === undefined
        ? net.connect(target.port, target.host)
        : tls.connect({
            host: target.host,
            port: target.port,
            ca: target.ca,
            servername: 'localhost',
          })
    const chunks: Buffer[] = []
    let timer: NodeJS.Timeout | undefined
    const finish = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(finish, idleMs)
    }
    socket.once(target.ca === undefined ? 'connect' : 'secureConnect', () => {
      socket.write(bytes)
      arm()
    })
    socket.on('data', (c: Buffer) => {
      chunks.push(c)
      arm()
    })
    socket.once('close', finish)
    socket.once('error', (err) => {
      clearTimeout(timer)
      if (chunks.length > 0) resolve(Buffer.concat(chunks).toString('latin1'))
      else reject(err)
    })
  })
}

/**
 * Status lines of every response in a raw exchange, in order (a response
 * follows the body before it directly, not on a line of its own).
 */
export function statusLines(raw: string): string[] {
  return [...raw.matchAll(/HTTP\/1\.1 \d{3}[^\r\n]*(?=\r\n)/g)].map((m) => m[0])
}

/** A request with `Connection: close` asking for `target` (any bytes, unvalidated). */
export function rawRequest(method: string, target: string, body = ''): string {
  const length =
    body === ''
      ? ''
      : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
  return `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n${length}Connection: close\r\n\r\n${body}`
}
