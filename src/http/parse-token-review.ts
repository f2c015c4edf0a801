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

/** How {@link readBody} and {@link readTokenReview} answer: an error, or the value. */
export type Reply<T> = (err: Error | undefined, value?: T) => void

/**
 * Reads the body, refusing (413) before buffering more than `limit` bytes:
 * a declared Content-Length above the limit is refused without reading.
 * `done` is called once. A callback, not a promise: this runs for every
 * review, and a cache hit is then answered with no promise at all.
 */
export function readBody(req: IncomingMessage, limit: number, done: Reply<Buffer>): void {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) {
    done(new HttpError('ERR_BODY_TOO_LARGE', `request body is larger than ${limit} bytes`))
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  let finished = false
  const onData = (chunk: Buffer): void => {
    if (finished) return
    size += chunk.length
    if (size > limit) {
      finished = true
      chunks.length = 0
      done(new HttpError('ERR_BODY_TOO_LARGE', `request body is larger than ${limit} bytes`))
      return
    }
    chunks.push(chunk)
  }
  // `on`, not `once`: each fires at most once that matters (`finished` guards), and
  // `once` would wrap every listener on every review.
  req.on('data', onData)
  req.on('end', () => {
    if (finished) return
    finished = true
    done(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
  })
  req.on('error', (err) => {
    if (finished) return
    finished = true
    done(err)
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

/** Content type, size, JSON, shape: the whole request side of `POST /authenticate`. `done` is called once. */
export function readTokenReview(
  req: IncomingMessage,
  limit: number,
  done: Reply<TokenReviewRequest>,
): void {
  if (!isJsonContentType(req.headers['content-type'])) {
    done(new HttpError('ERR_UNSUPPORTED_MEDIA_TYPE'))
    return
  }
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    done(
      new HttpError(
        'ERR_UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding is not supported; send the body uncompressed',
      ),
    )
    return
  }
  readBody(req, limit, (err, body) => {
    if (body === undefined) return done(err)
    let review: TokenReviewRequest
    try {
      review = decodeTokenReview(body.toString('utf8'))
    } catch (decodeErr) {
      return done(decodeErr as Error)
    }
    done(undefined, review)
  })
}
