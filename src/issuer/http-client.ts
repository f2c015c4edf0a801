/**
 * GET over node:https for one issuer: the issuer's `certificateAuthority` is the
 * only trust when set (system roots otherwise, as kube-apiserver's
 * `certutil.NewPoolFromBytes` replaces the pool), every request has a deadline
 * and a body limit. Redirects are followed only where the caller allows them.
 */
import { redactURL } from '../go/redact-url.js'
import { Agent, request } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import { STATUS_CODES } from 'node:http'

export interface HttpClientOptions {
  /** PEM bundle; when set it replaces the system roots. */
  ca?: string
  timeoutMs: number
  maxResponseBytes: number
}

export interface HttpGetOptions {
  headers?: Record<string, string>
  /** How many redirects to follow (https only); 0 by default. */
  maxRedirects?: number
  signal?: AbortSignal
}

export interface HttpResponse {
  readonly url: string
  readonly status: number
  /** Go's `resp.Status`: `"404 Not Found"`. */
  readonly statusText: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** A failed request (transport, TLS, timeout, size); the message is safe to show. */
export class IssuerFetchError extends Error {
  readonly code = 'ERR_ISSUER_HTTP'
  override readonly name = 'IssuerFetchError'
}

export interface HttpClient {
  get(url: string, options?: HttpGetOptions): Promise<HttpResponse>
  close(): void
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 8,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    minVersion: 'TLSv1.2',
  })
  const closing = new Set<AbortController>()

  function once(
    url: URL,
    get: HttpGetOptions,
    signal: AbortSignal,
    retries = 2,
  ): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, rejectPromise) => {
      if (url.protocol !== 'https:') {
        rejectPromise(
          new IssuerFetchError(
            `Get ${JSON.stringify(redactURL(url.href))}: unsupported protocol scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))}`,
          ),
        )
        return
      }
      const req = request(url, {
        method: 'GET',
        agent,
        headers: { accept: 'application/json', ...get.headers },
        signal,
      })
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const declared = Number(res.headers['content-length'])
        if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
          res.destroy()
          rejectPromise(
            new IssuerFetchError(
              `Get ${JSON.stringify(redactURL(url.href))}: response body larger than ${options.maxResponseBytes} bytes`,
            ),
          )
          return
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > options.maxResponseBytes) {
            res.destroy()
            rejectPromise(
              new IssuerFetchError(
                `Get ${JSON.stringify(redactURL(url.href))}: response body larger than ${options.maxResponseBytes} bytes`,
              ),
            )
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () => {
          const status = res.statusCode ?? 0
          resolve({
            url: url.href,
            status,
            statusText: `${status} ${res.statusMessage || STATUS_CODES[status] || ''}`.trimEnd(),
            headers: res.headers,
            body: Buffer.concat(chunks),
          })
        })
        res.on('error', (err) =>
          rejectPromise(
            new IssuerFetchError(`Get ${JSON.stringify(redactURL(url.href))}: ${err.message}`),
          ),
        )
      })
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as we reused it: a GET is safe
        // to send again on another socket (the pattern Node's http docs recommend).
        if (
          req.reusedSocket &&
          (err.code === 'ECONNRESET' || err.code === 'EPIPE') &&
          !signal.aborted &&
          retries > 0
        ) {
          once(url, get, signal, retries - 1).then(resolve, rejectPromise)
          return
        }
        const reason = signal.aborted ? describeAbort(signal) : err.message
        rejectPromise(new IssuerFetchError(`Get ${JSON.stringify(redactURL(url.href))}: ${reason}`))
      })
      req.end()
    })
  }

  async function get(href: string, get: HttpGetOptions = {}): Promise<HttpResponse> {
    const controller = new AbortController()
    closing.add(controller)
    const timer = setTimeout(
      () => controller.abort(new IssuerFetchError('context deadline exceeded')),
      options.timeoutMs,
    )
    timer.unref()
    const onOuterAbort = (): void => controller.abort(get.signal?.reason)
    get.signal?.addEventListener('abort', onOuterAbort, { once: true })
    try {
      let url: URL
      try {
        url = new URL(href)
      } catch {
        throw new IssuerFetchError(`parse ${JSON.stringify(redactURL(href))}: invalid URL`)
      }
      let redirects = get.maxRedirects ?? 0
      for (;;) {
        const res = await once(url, get, controller.signal)
        const location = res.headers.location
        if (res.status >= 300 && res.status < 400 && location !== undefined && redirects > 0) {
          redirects--
          url = new URL(location, url)
          continue
        }
        return res
      }
    } finally {
      clearTimeout(timer)
      closing.delete(controller)
      get.signal?.removeEventListener('abort', onOuterAbort)
    }
  }

  return {
    get,
    close() {
      for (const c of closing) c.abort(new IssuerFetchError('client closed'))
      agent.destroy()
    },
  }
}

function describeAbort(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason.message : 'request aborted'
}
