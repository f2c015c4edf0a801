/**
 * Turns an HTTP request into the one thing the webhook needs from a
 * TokenReview: its apiVersion and spec.token. Checks in the order a caller
 * can fix them: media type (415), size (413), JSON (400), shape (400).
 * Unknown fields and the empty `metadata`/`status` kube-apiserver sends are
 * ignored.
 */
import type { IncomingMessage } from 'node:http'
import { HttpError } from './errors.js'

/**
 * 4 MiB: above kube-apiserver's 3 MiB MaxRequestBodyBytes, so any token its
 * own TokenReview API accepts and forwards fits.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024

export const TOKEN_REVIEW_API_VERSIONS = [
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1beta1',
] as const
export type TokenReviewApiVersion = (typeof TOKEN_REVIEW_API_VERSIONS)[number]

export interface TokenReviewRequest {
  readonly apiVersion: TokenReviewApiVersion
  readonly token: string
  /** `spec.audiences`, `[]` when absent: part of the result-cache key, never echoed back. */
  readonly audiences: readonly string[]
}

/**
 * `application/json` with any parameters (`; charset=utf-8`), case-insensitive.
 * No Content-Type at all counts as JSON, as in kube-apiserver
 * (endpoints/handlers/negotiation NegotiateInputSerializerForMediaType takes the
 * first supported type, JSON, for an empty header): `kubectl create --raw` sends none.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined || header === '' || header === 'application/json') return true
  const semi = header.indexOf(';')
  const mediaType = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase()
  return mediaType === 'application/json'
}

/**
 * Reads the body, refusing (413) before buffering more than `limit` bytes:
 * a declared Content-Length above the limit is refused without reading.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(
      new HttpError('ERR_BODY_TOO_LARGE', `request body is larger than ${limit} bytes`),
    )
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const onData = (chunk: Buffer): void => {
      if (done) return
      size += chunk.length
      if (size > limit) {
        done = true
        chunks.length = 0
        reject(new HttpError('ERR_BODY_TOO_LARGE', `request body is larger than ${limit} bytes`))
        return
      }
      chunks.push(chunk)
    }
    // `on`, not `once`: each fires at most once that matters (`done` guards), and
    // `once` would wrap every listener on every review.
    req.on('data', onData)
    req.on('end', () => {
      if (done) return
      done = true
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    })
    req.on('error', (err) => {
      if (done) return
      done = true
      reject(err)
    })
  })
}

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false
  for (const item of value as unknown[]) if (typeof item !== 'string') return false
  return true
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Validates a decoded body; throws HttpError (400) naming what is wrong, never the token. */
export function decodeTokenReview(text: string): TokenReviewRequest {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError('ERR_BAD_JSON')
  }
  if (!isObject(body)) throw new HttpError('ERR_NOT_AN_OBJECT')
  const { apiVersion, kind, spec } = body
  if (
    kind !== 'TokenReview' ||
    (apiVersion !== TOKEN_REVIEW_API_VERSIONS[0] && apiVersion !== TOKEN_REVIEW_API_VERSIONS[1])
  ) {
    throw new HttpError('ERR_NOT_A_TOKEN_REVIEW')
  }
  if (spec !== undefined && spec !== null && !isObject(spec)) throw new HttpError('ERR_BAD_SPEC')
  const token = spec?.token
  if (token === undefined || token === null || token === '')
    throw new HttpError('ERR_TOKEN_REQUIRED')
  if (typeof token !== 'string') throw new HttpError('ERR_TOKEN_NOT_STRING')
  const audiences = spec?.audiences ?? []
  if (!isStringList(audiences)) throw new HttpError('ERR_BAD_AUDIENCES')
  return { apiVersion, token, audiences }
}

/** Content type, size, JSON, shape: the whole request side of `POST /authenticate`. */
export function parseTokenReview(
  req: IncomingMessage,
  limit = DEFAULT_BODY_LIMIT_BYTES,
): Promise<TokenReviewRequest> {
  if (!isJsonContentType(req.headers['content-type']))
    return Promise.reject(new HttpError('ERR_UNSUPPORTED_MEDIA_TYPE'))
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(
      new HttpError(
        'ERR_UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding is not supported; send the body uncompressed',
      ),
    )
  }
  // `then` rather than an async function: one promise and one microtask turn fewer per review.
  return readBody(req, limit).then((body) => decodeTokenReview(body.toString('utf8')))
}
