/** The answer of last resort, when a handler failed in a way it could not answer itself. */
import type { ServerResponse } from 'node:http'
import { HttpError, renderError } from './errors.js'

/** Last resort for a throw that escaped a handler: a 500 if nothing was sent, else drop the connection. */
export function answerInternalError(res: ServerResponse): void {
  try {
    if (!res.headersSent && !res.destroyed) {
      const rendered = renderError(new HttpError('ERR_INTERNAL'))
      res.writeHead(rendered.statusCode, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(rendered.body),
        Connection: 'close',
      })
      res.end(rendered.body)
      return
    }
  } catch {
    // fall through to destroying the connection
  }
  res.destroy()
}
