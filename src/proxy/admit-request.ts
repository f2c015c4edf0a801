/**
 * The proxy's decision for one request, before anything goes upstream:
 * find the bearer token, authenticate it through the shared review path,
 * refuse client impersonation, and build the headers the API server gets in
 * place of the client's credential.
 */
import type { IncomingMessage } from 'node:http'
import type { Logger } from '../log/logger.js'
import type { TokenReviewer } from '../http/token-reviewer.js'
import { endToEndHeaders, withForwardedFor } from './forward-headers.js'
import { impersonationHeaders, isImpersonationHeader } from './impersonation-headers.js'
import type { ProxyErrorCode } from './proxy-errors.js'
import { requestToken } from './request-token.js'

export type Admission =
  | { readonly ok: true; readonly headers: [string, string][] }
  | { readonly ok: false; readonly error: ProxyErrorCode }

/** Names never forwarded from the client: credentials, impersonation, and what the proxy sets itself. */
function dropFromClient(lower: string): boolean {
  return (
    lower === 'authorization' ||
    lower === 'host' ||
    lower === 'sec-websocket-protocol' ||
    isImpersonationHeader(lower)
  )
}

function hasImpersonation(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    if (isImpersonationHeader((raw[i] as string).toLowerCase())) return true
  }
  return false
}

/** Path without the query string: the query may carry a token and is never logged. */
export function logPath(url: string | undefined): string {
  const u = url ?? ''
  const q = u.indexOf('?')
  return q === -1 ? u : u.slice(0, q)
}

export interface AdmitOptions {
  readonly reviewer: TokenReviewer
  readonly logger: Logger
  /** `Bearer <the proxy's own token>` for the API server. */
  readonly upstreamAuthorization: () => string
}

/**
 * Decides on `req`. On success the headers are the client's end-to-end
 * headers minus credentials, plus the proxy's Authorization, the user's
 * impersonation headers and X-Forwarded-For; the caller adds framing and,
 * for an upgrade, Connection/Upgrade.
 */
export async function admitRequest(req: IncomingMessage, opts: AdmitOptions): Promise<Admission> {
  const refuse = (
    error: ProxyErrorCode,
    reason: string,
    extra: Record<string, unknown> = {},
  ): Admission => {
    opts.logger.info(
      { method: req.method, path: logPath(req.url), reason, ...extra },
      'proxy request refused',
    )
    return { ok: false, error }
  }
  const credential = requestToken(req.headersDistinct, req.headers)
  if (credential.kind === 'none') return refuse('ERR_UNAUTHORIZED', 'no bearer token')
  if (credential.kind === 'invalid')
    return refuse(
      credential.problem === 'more than one Authorization header'
        ? 'ERR_BAD_CREDENTIALS'
        : 'ERR_UNAUTHORIZED',
      credential.problem,
    )
  const outcome = await opts.reviewer.review(credential.token, [])
  if (outcome.kind !== 'authenticated')
    return refuse(
      'ERR_UNAUTHORIZED',
      outcome.kind === 'not-mine' ? 'token not from a configured issuer' : outcome.rejection.reason,
    )
  if (hasImpersonation(req.rawHeaders))
    return refuse('ERR_IMPERSONATION_FORBIDDEN', 'client sent Impersonate-* headers', {
      user: outcome.user.username,
    })
  const impersonation = impersonationHeaders(outcome.user)
  if (!impersonation.ok)
    return refuse('ERR_UNAUTHORIZED', 'user cannot be sent as impersonation headers', {
      field: impersonation.field,
    })
  const headers = withForwardedFor(
    endToEndHeaders(req.rawHeaders, dropFromClient),
    req.socket.remoteAddress,
  )
  headers.push(['Authorization', opts.upstreamAuthorization()])
  for (const [name, value] of impersonation.headers) headers.push([name, value])
  if (credential.protocols !== undefined)
    headers.push(['Sec-WebSocket-Protocol', credential.protocols])
  return { ok: true, headers }
}
