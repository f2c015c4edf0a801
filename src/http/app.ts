/**
 * Routing of the secure port. `POST /authenticate` (any query string, such as
 * kube-apiserver's `?timeout=30s`) is handled straight from the request
 * listener; everything else goes through express (405, 404, errors), which
 * sets helmet's headers on its own responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { type NextFunction, type Request, type Response } from 'express'
import helmet from 'helmet'
import { HttpError, renderError } from './errors.js'
import type { RequestHandler } from './review-handler.js'

export const REVIEW_PATH = '/authenticate'

/** Route label for metrics: a closed set, never the raw path. */
export type RouteLabel = '/authenticate' | 'other'

export interface RequestHooks {
  /** Called once per finished response (the lead wires metrics here). */
  onRequest?(statusCode: number, route: RouteLabel, durationSeconds: number): void
}

function sendStatus(res: Response, err: unknown, headers: Record<string, string> = {}): void {
  const rendered = renderError(err)
  res.set(headers).status(rendered.statusCode).type('application/json').send(rendered.body)
}

/** The express app for everything but the lean path. */
export function createWebhookApp(reviewHandler: RequestHandler): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  // Only the exact path reviews tokens; express would also route `/AUTHENTICATE`.
  app.enable('case sensitive routing')
  app.use(helmet())
  // Reached only by spellings the lean path does not take (`/authenticate/`).
  app.post(REVIEW_PATH, (req: Request, res: Response, next: NextFunction) => {
    reviewHandler(req, res).catch(next)
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

function pathOf(url: string | undefined): string {
  if (url === undefined) return ''
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

/** The https request listener: lean path first, express for the rest. */
export function createRequestListener(
  reviewHandler: RequestHandler,
  app: express.Express,
  hooks: RequestHooks = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const lean = req.method === 'POST' && pathOf(req.url) === REVIEW_PATH
    const onRequest = hooks.onRequest
    if (onRequest !== undefined) {
      const started = process.hrtime.bigint()
      res.once('finish', () => {
        const route: RouteLabel = lean || pathOf(req.url) === REVIEW_PATH ? REVIEW_PATH : 'other'
        onRequest(res.statusCode, route, Number(process.hrtime.bigint() - started) / 1e9)
      })
    }
    if (lean) {
      void reviewHandler(req, res)
      return
    }
    app(req, res)
  }
}
