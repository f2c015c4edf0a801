/**
 * `POST /authenticate` on the lean path: parse, delegate to the
 * authenticator, render. Runs straight from the https request listener,
 * without express's router (see docs/background/decisions.md).
 * Every token outcome is a 200: kube-apiserver retries 5xx up to five times
 *, which would only multiply load.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../log/logger.js'
import type { AuthOutcome } from '../token/types.js'
import type { TokenReviewer } from './token-reviewer.js'
import { drainBeforeClose } from './drain-before-close.js'
import { HttpError, renderError } from './errors.js'
import { answerInternalError } from './internal-error.js'
import {
  DEFAULT_BODY_LIMIT_BYTES,
  readTokenReview,
  type TokenReviewRequest,
} from './parse-token-review.js'
import { flatSecurityHeaders, type SecurityHeaders } from './security-headers.js'
import { renderReviewAnswer, renderTokenReview, type TokenReviewStatus } from './token-review.js'

export interface ReviewHandlerOptions {
  /** Asked for every review; may be a wrapper that swaps its target on config reload. */
  readonly reviewer: TokenReviewer
  readonly logger: Logger
  readonly securityHeaders: SecurityHeaders
  /** Default 4 MiB. */
  readonly bodyLimitBytes?: number
  /** True once shutdown began: answers then carry `Connection: close`. */
  readonly isShuttingDown?: () => boolean
}

/** Handles one request; never throws, answers every request once. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Sends a JSON body with the security headers, in one `writeHead` with a
 * precomputed header list (the per-review hot path: no per-header setHeader).
 */
export function sendJson(
  res: ServerResponse,
  statusCode: number,
  body: string,
  securityHeaders: SecurityHeaders,
  extraHeaders: Record<string, string> = NO_HEADERS,
): void {
  const headers = jsonHeaders(securityHeaders).slice()
  headers.push(String(Buffer.byteLength(body)))
  for (const name in extraHeaders) headers.push(name, extraHeaders[name] as string)
  res.writeHead(statusCode, headers)
  res.end(body)
}

const NO_HEADERS: Record<string, string> = Object.freeze({})
const CLOSE_HEADERS: Record<string, string> = Object.freeze({ Connection: 'close' })

const jsonHeaderCache = new WeakMap<SecurityHeaders, readonly string[]>()

/** The security headers, then `Content-Type` and the name `Content-Length` (its value follows). */
function jsonHeaders(securityHeaders: SecurityHeaders): readonly string[] {
  let headers = jsonHeaderCache.get(securityHeaders)
  if (headers === undefined) {
    headers = [
      ...flatSecurityHeaders(securityHeaders),
      'Content-Type',
      'application/json',
      'Content-Length',
    ]
    jsonHeaderCache.set(securityHeaders, headers)
  }
  return headers
}

const INTERNAL_STATUS: TokenReviewStatus = {
  authenticated: false,
  error: 'internal error while verifying the token',
}

/**
 * The `POST /authenticate` handler. Callbacks, not an async function: a cache
 * hit (the reviewer answers it synchronously) is then read, answered and
 * logged without a promise or a turn of the microtask queue.
 */
export function createReviewHandler(opts: ReviewHandlerOptions): RequestHandler {
  const limit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES
  const { logger, securityHeaders, reviewer } = opts
  const closing = (): Record<string, string> =>
    opts.isShuttingDown?.() === true ? CLOSE_HEADERS : NO_HEADERS

  const refuse = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const rendered = renderError(err)
    if (!(err instanceof HttpError))
      logger.error({ err: errorSummary(err) }, 'reading token review failed')
    else logger.debug({ code: err.code, statusCode: err.statusCode }, 'bad token review request')
    // After a refusal the rest of the body is not read: close the connection
    // rather than parse leftovers as the next request.
    const headers = rendered.statusCode === 413 ? CLOSE_HEADERS : closing()
    if (rendered.statusCode === 413) drainBeforeClose(req)
    sendJson(res, rendered.statusCode, rendered.body, securityHeaders, headers)
  }

  const answer = (
    res: ServerResponse,
    review: TokenReviewRequest,
    outcome: AuthOutcome,
    reused: boolean,
  ): void => {
    let body: string
    try {
      body = renderReviewAnswer(review.apiVersion, outcome, reused)
    } catch (err) {
      return failed(res, review, err)
    }
    sendJson(res, 200, body, securityHeaders, closing())
  }

  // A bug, not a bad token: answer with an error (not cached by
  // kube-apiserver, not retried five times as a 5xx would be).
  const failed = (res: ServerResponse, review: TokenReviewRequest, err: unknown): void => {
    logger.error({ err: errorSummary(err) }, 'authenticator failed')
    sendJson(
      res,
      200,
      renderTokenReview(review.apiVersion, INTERNAL_STATUS),
      securityHeaders,
      closing(),
    )
  }

  const reviewed = (
    req: IncomingMessage,
    res: ServerResponse,
    err: Error | undefined,
    review: TokenReviewRequest | undefined,
  ): void => {
    if (review === undefined) return refuse(req, res, err)
    let outcome: AuthOutcome | Promise<AuthOutcome>
    try {
      outcome = reviewer.review(review.token, review.audiences)
    } catch (reviewErr) {
      return failed(res, review, reviewErr)
    }
    if (outcome instanceof Promise) {
      outcome
        .then(
          (settled) => answer(res, review, settled, false),
          (reviewErr: unknown) => failed(res, review, reviewErr),
        )
        .catch(() => answerInternalError(res))
      // An answer at hand is a result-cache hit.
    } else answer(res, review, outcome, true)
  }

  return (req, res) => {
    readTokenReview(req, limit, (err, review) => {
      // Runs from the request's stream events: nothing may escape into them.
      try {
        reviewed(req, res, err, review)
      } catch {
        answerInternalError(res)
      }
    })
  }
}

/** Name and message only: library errors (jose) may carry the claims payload. */
export function errorSummary(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message }
  return { name: typeof err, message: 'non-error thrown' }
}
