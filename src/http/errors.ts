/**
 * Every error the HTTP layer answers with, in one catalog (fastify's
 * lib/errors.js shape: a code, a status and a message), and the one function
 * that renders them as a Kubernetes metav1.Status body
 * (k8s.io/apimachinery/pkg/api/errors). Messages never contain the token.
 */

interface HttpErrorDef {
  readonly statusCode: number
  /** metav1.StatusReason for the status code. */
  readonly reason: string
  readonly message: string
}

export const HTTP_ERRORS = {
  ERR_BAD_JSON: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'request body is not valid JSON',
  },
  ERR_NOT_AN_OBJECT: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'request body must be a JSON object',
  },
  ERR_NOT_A_TOKEN_REVIEW: {
    statusCode: 400,
    reason: 'BadRequest',
    message:
      'request body must be a TokenReview of apiVersion authentication.k8s.io/v1 or authentication.k8s.io/v1beta1',
  },
  ERR_BAD_SPEC: { statusCode: 400, reason: 'BadRequest', message: 'spec must be an object' },
  // kube-apiserver's own TokenReview API words it so (pkg/registry/authentication/tokenreview/storage.go).
  ERR_TOKEN_REQUIRED: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'token is required for TokenReview in authentication',
  },
  ERR_TOKEN_NOT_STRING: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'spec.token must be a string',
  },
  ERR_BAD_AUDIENCES: {
    statusCode: 400,
    reason: 'BadRequest',
    message: 'spec.audiences must be a list of strings',
  },
  ERR_NOT_FOUND: {
    statusCode: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
  },
  ERR_METHOD_NOT_ALLOWED: {
    statusCode: 405,
    reason: 'MethodNotAllowed',
    message: 'only POST is allowed on /authenticate',
  },
  ERR_BODY_TOO_LARGE: {
    statusCode: 413,
    reason: 'RequestEntityTooLarge',
    message: 'request body is larger than the limit',
  },
  ERR_UNSUPPORTED_MEDIA_TYPE: {
    statusCode: 415,
    reason: 'UnsupportedMediaType',
    message: 'Content-Type must be application/json',
  },
  ERR_SHUTTING_DOWN: {
    statusCode: 503,
    reason: 'ServiceUnavailable',
    message: 'the server is shutting down',
  },
  ERR_INTERNAL: { statusCode: 500, reason: 'InternalError', message: 'internal error' },
} as const satisfies Record<string, HttpErrorDef>

export type HttpErrorCode = keyof typeof HTTP_ERRORS

export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly statusCode: number
  readonly reason: string
  constructor(
    readonly code: HttpErrorCode,
    /** Replaces the catalog message; must never contain request data such as the token. */
    message?: string,
  ) {
    const def: HttpErrorDef = HTTP_ERRORS[code]
    super(message ?? def.message)
    this.statusCode = def.statusCode
    this.reason = def.reason
  }
}

/** A rendered error: status code and the JSON body of a metav1.Status. */
export interface RenderedError {
  readonly statusCode: number
  readonly body: string
}

/** Renders any thrown value; anything that is not an HttpError becomes a 500 without details. */
export function renderError(err: unknown): RenderedError {
  const e = err instanceof HttpError ? err : new HttpError('ERR_INTERNAL')
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: e.reason,
    code: e.statusCode,
  }
  return { statusCode: e.statusCode, body: JSON.stringify(status) }
}
