/**
 * Just enough HTTP/1.1 response parsing for the load generator: status,
 * Content-Length or chunked body, `Connection: close`. Cheaper than
 * node:http's client, so the generator leaves more of the shared cores to
 * the server under test.
 */

export interface ParsedResponse {
  readonly statusCode: number
  readonly body: Buffer
  readonly close: boolean
}

const HEADER_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i
const CHUNKED = /\r\ntransfer-encoding:[ \t]*chunked/i
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i

function parseChunked(buf: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = []
  let pos = start
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', pos, 'latin1')
    if (lineEnd === -1) return undefined
    const size = parseInt(buf.toString('latin1', pos, lineEnd), 16)
    if (!Number.isFinite(size)) throw new Error('bad chunk size')
    const dataStart = lineEnd + 2
    if (size === 0) {
      const trailerEnd = buf.indexOf('\r\n', dataStart, 'latin1')
      if (trailerEnd === -1) return undefined
      if (trailerEnd !== dataStart) throw new Error('chunked trailers are not supported')
      return { body: Buffer.concat(parts), end: trailerEnd + 2 }
    }
    if (buf.length < dataStart + size + 2) return undefined
    parts.push(buf.subarray(dataStart, dataStart + size))
    pos = dataStart + size + 2
  }
}

/** Takes every complete response off the front of `buf`; `rest` is what remains. */
export function parseResponses(buf: Buffer): { responses: ParsedResponse[]; rest: Buffer } {
  const responses: ParsedResponse[] = []
  let pos = 0
  for (;;) {
    const headerEnd = buf.indexOf(HEADER_END, pos)
    if (headerEnd === -1) break
    const head = buf.toString('latin1', pos, headerEnd)
    if (!head.startsWith('HTTP/1.')) throw new Error('not an HTTP/1.x response')
    const statusCode = Number(head.slice(9, 12))
    const bodyStart = headerEnd + 4
    const length = CONTENT_LENGTH.exec(head)
    let body: Buffer
    let end: number
    if (length?.[1] !== undefined) {
      end = bodyStart + Number(length[1])
      if (buf.length < end) break
      body = buf.subarray(bodyStart, end)
    } else if (CHUNKED.test(head)) {
      const chunked = parseChunked(buf, bodyStart)
      if (chunked === undefined) break
      ;({ body, end } = chunked)
    } else {
      throw new Error('response without Content-Length or chunked encoding')
    }
    responses.push({ statusCode, body, close: CONNECTION_CLOSE.test(head) })
    pos = end
  }
  return { responses, rest: pos === 0 ? buf : buf.subarray(pos) }
}

const AUTHENTICATED = Buffer.from('"authenticated":true')

/** True for a 200 TokenReview answer that authenticated the token. */
export function isAuthenticated(response: ParsedResponse): boolean {
  return response.statusCode === 200 && response.body.includes(AUTHENTICATED)
}
