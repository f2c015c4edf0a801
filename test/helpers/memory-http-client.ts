/**
 * An HttpClient that answers from a table in memory: unit tests of issuer/
 * drive discovery and JWKS fetches through it, with no sockets.
 */
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http'
import {
  IssuerFetchError,
  type HttpClient,
  type HttpResponse,
} from '../../src/issuer/http-client.js'

export interface MemoryRoute {
  status?: number
  headers?: IncomingHttpHeaders
  body: string | object
}

export interface MemoryHttpClient extends HttpClient {
  /** Sets (or, with undefined, removes) the answer for `url`; an unknown url fails like a refused connection. */
  route(url: string, answer: MemoryRoute | undefined): void
  /** GETs seen per url. */
  count(url: string): number
}

export function memoryHttpClient(routes: Record<string, MemoryRoute> = {}): MemoryHttpClient {
  const table = new Map(Object.entries(routes))
  const counts = new Map<string, number>()
  return {
    async get(url: string): Promise<HttpResponse> {
      counts.set(url, (counts.get(url) ?? 0) + 1)
      const answer = table.get(url)
      if (answer === undefined)
        throw new IssuerFetchError(`Get ${JSON.stringify(url)}: connect ECONNREFUSED`)
      const status = answer.status ?? 200
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
      return {
        url,
        status,
        statusText: `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(),
        headers: answer.headers ?? { 'content-type': 'application/json' },
        body: Buffer.from(body, 'utf8'),
      }
    },
    close() {},
    route(url, answer) {
      if (answer === undefined) table.delete(url)
      else table.set(url, answer)
    },
    count: (url) => counts.get(url) ?? 0,
  }
}
