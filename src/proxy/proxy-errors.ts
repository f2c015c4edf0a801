/**
 * What the proxy answers itself instead of the API server, as the API server
 * would: a `metav1.Status` body, which kubectl prints (`error: You must be
 * logged in to the server (Unauthorized)`). Messages never carry the token or
 * a value mapped from it.
 */
import type { ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

interface ProxyErrorDef {
  readonly statusCode: number
  readonly reason: string
  readonly message: string
}

export const PROXY_ERRORS = {
  /** kube-apiserver's answer to any failed authentication, whatever the cause. */
  ERR_UNAUTHORIZED: { statusCode: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  ERR_IMPERSONATION_FORBIDDEN: {
    statusCode: 403,
    reason: 'Forbidden',
    message: 'impersonation through the kube-oidc-webhook proxy is not supported',
  },
  ERR_BAD_CREDENTIALS: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'the request carries more than one Authorization header',
  },
  ERR_UPSTREAM_UNAVAILABLE: {
    statusCode: 503,
    reason: 'ServiceUnavailable',
    message: 'the upstream API server is unavailable',
  },
  ERR_SHUTTING_DOWN: {
    statusCode: 503,
    reason: 'ServiceUnavailable',
    message: 'the proxy is shutting down',
  },
  ERR_UPSTREAM_FAILED: {
    statusCode: 502,
    reason: 'InternalError',
    message: 'the upstream API server closed the connection before answering',
  },
} as const satisfies Record<string, ProxyErrorDef>

export type ProxyErrorCode = keyof typeof PROXY_ERRORS

/** The JSON of a metav1.Status for `code`. */
export function statusBody(code: ProxyErrorCode): string {
  const def: ProxyErrorDef = PROXY_ERRORS[code]
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: def.message,
    reason: def.reason,
    code: def.statusCode,
  })
}

/** Answers a plain request with the Status of `code`. */
export function sendProxyError(res: ServerResponse, code: ProxyErrorCode): void {
  const body = statusBody(code)
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(PROXY_ERRORS[code].statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

/** Answers an upgrade request (a raw socket, before any 101) with the Status of `code` and closes. */
export function sendProxyErrorOnSocket(socket: Duplex, code: ProxyErrorCode): void {
  const body = statusBody(code)
  const def: ProxyErrorDef = PROXY_ERRORS[code]
  socket.end(
    `HTTP/1.1 ${def.statusCode} ${STATUS_TEXT[def.statusCode] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  )
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}
