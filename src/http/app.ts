/**
 * Routing of the secure port. `POST /authenticate` (any query string, such as
 * kube-apiserver's `?timeout=30s`) is handled straight from the request
 * listener; everything else goes through express (405, 404, errors), which
 * sets the same security headers on its own responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { type NextFunction, type Request, type Response } from 'express'
import { HttpError, renderError } from './errors.js'
import { answerInternalError } from './internal-error.js'
import type { RequestHandler } from './review-handler.js'
import { applySecurityHeaders, type SecurityHeaders } from './security-headers.js'

export const REVIEW_PATH = '/authenticate'

/** Route label for metrics: a closed set, never the raw path. */
export type RouteLabel = '/authenticate' | 'other'

export interface RequestHooks {
  /** Called once per response that was sent in full (metrics are wired here). */
  onRequest?(statusCode: number, route: RouteLabel): void
}

function sendStatus(res: Response, err: unknown, headers: Record<string, string> = {}): void {
  const rendered = renderError(err)
  res.set(headers).status(rendered.statusCode).type('application/json').send(rendered.body)
}

/** The express app for everything but the lean path. */
export function createWebhookApp(
  reviewHandler: RequestHandler,
  securityHeaders: SecurityHeaders,
): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  // Only the exact path reviews tokens; express would also route `/AUTHENTICATE`.
  app.enable('case sensitive routing')
  app.use((_req: Request, res: Response, next: NextFunction) => {
    applySecurityHeaders(res, securityHeaders)
    next()
  })
  // Reached only by spellings the lean path does not take (`/authenticate/`).
  app.post(REVIEW_PATH, (req: Request, res: Response) => {
    reviewHandler(req, res)
  })
  app.all(REVIEW_PATH, (_req: Request, res: Response) => {
    sendStatus(res, new HttpError('ERR_METHOD_NOT_ALLOWED'), { Allow: 'POST' })
  })
  app.use((_req: Request, res: Response) => {
    sendStatus(res, new HttpError('ERR_NOT_FOUND'))
  })
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendStatus(res, err)
  })
  return app
}

/** True when the path of `url` (the query string ignored) is exactly {@link REVIEW_PATH}; allocates nothing. */
function isReviewPath(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(REVIEW_PATH)) return false
  return url.length === REVIEW_PATH.length || url.charCodeAt(REVIEW_PATH.length) === QUESTION_MARK
}

const QUESTION_MARK = 0x3f

/**
 * Runs `dispatch` once `res` owns the connection (the listener calls it only
 * when it does not yet). A pipelined request arrives
 * while the answer before it is still unfinished; answering it right away
 * would queue its bytes inside node's http server, and once that queue passes
 * the socket's high-water mark node pauses its parser while TLS may still be
 * delivering the rest of the batch, which then fails with "Parse Error: Paused"
 * and resets the connection. Waiting for our turn keeps nothing queued, answers
 * in order, and is never reached when requests are not pipelined (kube-apiserver's
 * Go client never pipelines: `res.socket` is set already).
 */
function whenOwnTurn(
  req: IncomingMessage,
  res: ServerResponse,
  dispatch: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  const onSocket = (): void => {
    req.off('close', onClose)
    dispatch(req, res)
  }
  const onClose = (): void => {
    res.off('socket', onSocket)
  }
  res.once('socket', onSocket)
  req.once('close', onClose)
}

/** The https request listener: lean path first, express for the rest. Never throws. */
export function createRequestListener(
  reviewHandler: RequestHandler,
  app: express.Express,
): (req: IncomingMessage, res: ServerResponse) => void {
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (req.method === 'POST' && isReviewPath(req.url)) reviewHandler(req, res)
      else app(req, res)
    } catch {
      answerInternalError(res)
    }
  }
  return (req, res) => {
    // Not pipelined (the case of kube-apiserver's client): our turn already.
    if (res.socket !== null) dispatch(req, res)
    else whenOwnTurn(req, res, dispatch)
  }
}

/**
 * The `onDone` of {@link InFlight.track} that reports each response sent in
 * full to `hooks.onRequest` (a response whose connection dropped first is not
 * reported), or `undefined` when there is no hook.
 */
export function requestReporter(
  hooks: RequestHooks,
): ((req: IncomingMessage, res: ServerResponse) => void) | undefined {
  const onRequest = hooks.onRequest
  if (onRequest === undefined) return undefined
  return (req, res) => {
    if (!res.writableFinished) return
    onRequest(res.statusCode, isReviewPath(req.url) ? REVIEW_PATH : 'other')
  }
}
