/**
 * The response side of `POST /authenticate`: a TokenReview of the request's
 * apiVersion with only `status` filled.
 *
 * - `spec` is never sent back, so the token cannot be echoed.
 * - `system:authenticated` is not added: kube-apiserver adds it itself.
 * - `status.audiences` is left absent: kube-apiserver then intersects the
 *   audiences it asked for with its own API audiences, which is exactly what
 *   its in-process JWT authenticator does. Echoing `spec.audiences`
 *   would let its TokenReview API vouch for any audience a caller names.
 * - A token no configured issuer claims ("not mine") is answered
 *   `authenticated: false` without `error`, as kube-apiserver's union
 *   authenticator treats an authenticator that does not recognise a token;
 *   kube-apiserver caches that answer for its webhook cache TTL. A
 *   rejection by a configured issuer carries `error`, which kube-apiserver
 *   logs and does not cache, so transient failures recover at once.
 */
import type { AuthOutcome, UserInfo } from '../token/types.js'
import type { TokenReviewApiVersion } from './parse-token-review.js'

/** `status.user` of a TokenReview; empty fields are omitted (Go `omitempty`). */
export interface TokenReviewUser {
  username: string
  uid?: string
  groups?: string[]
  extra?: Record<string, string[]>
}

/** `status` of a TokenReview as this service fills it. */
export interface TokenReviewStatus {
  authenticated: boolean
  user?: TokenReviewUser
  error?: string
}

function renderUser(user: UserInfo): TokenReviewUser {
  const out: TokenReviewUser = { username: user.username }
  if (user.uid !== '') out.uid = user.uid
  if (user.groups.length > 0) out.groups = [...user.groups]
  const keys = Object.keys(user.extra)
  if (keys.length > 0) {
    const extra: Record<string, string[]> = {}
    for (const key of keys) {
      const values = user.extra[key]
      if (values !== undefined && values.length > 0) extra[key] = values.map(String)
    }
    if (Object.keys(extra).length > 0) out.extra = extra
  }
  return out
}

/** The TokenReview `status` for an outcome: what `serve` answers and `check` prints. */
export function tokenReviewStatus(outcome: AuthOutcome): TokenReviewStatus {
  switch (outcome.kind) {
    case 'authenticated':
      return { authenticated: true, user: renderUser(outcome.user) }
    case 'rejected':
      return { authenticated: false, error: outcome.rejection.message }
    case 'not-mine':
      return { authenticated: false }
  }
}

/** The whole response body: same apiVersion and kind as the request, `status` only. */
export function renderTokenReview(
  apiVersion: TokenReviewApiVersion,
  status: TokenReviewStatus,
): string {
  return JSON.stringify({ apiVersion, kind: 'TokenReview', status })
}
