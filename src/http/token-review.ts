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

const ANSWER_PREFIX: Readonly<Record<TokenReviewApiVersion, string>> = {
  'authentication.k8s.io/v1':
    '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":',
  'authentication.k8s.io/v1beta1':
    '{"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","status":',
}

/**
 * The `status` text of users answered from the result cache, by user object:
 * a hit answers with the very object it stored, so a token asked about again
 * is rendered once. Only answers the caller says are reused are kept: an
 * uncached review's text would only outlive it as garbage the collector has
 * to copy. Bounded; emptied when full.
 */
const renderedStatus = new Map<UserInfo, string>()
const MAX_RENDERED = 1024

function hasKeys(record: Record<string, unknown>): boolean {
  for (const _ in record) return true
  return false
}

/**
 * `renderTokenReview(apiVersion, tokenReviewStatus(outcome))`, byte for byte,
 * without building the intermediate objects: the constant parts are
 * pre-serialised and only the user's names (or the refusal message) go
 * through `JSON.stringify`. This runs once per answered review.
 */
export function renderReviewAnswer(
  apiVersion: TokenReviewApiVersion,
  outcome: AuthOutcome,
  /** The outcome came from the result cache and may be asked for again. */
  reused = false,
): string {
  switch (outcome.kind) {
    case 'authenticated': {
      const user = outcome.user
      // Extra is rare and has its own omission rules: the general path renders it.
      if (hasKeys(user.extra)) return renderTokenReview(apiVersion, tokenReviewStatus(outcome))
      let status = reused ? renderedStatus.get(user) : undefined
      if (status === undefined) {
        status = '{"authenticated":true,"user":{"username":' + JSON.stringify(user.username)
        if (user.uid !== '') status += ',"uid":' + JSON.stringify(user.uid)
        if (user.groups.length > 0) status += ',"groups":' + JSON.stringify(user.groups)
        status += '}}'
        if (reused) {
          if (renderedStatus.size >= MAX_RENDERED) renderedStatus.clear()
          renderedStatus.set(user, status)
        }
      }
      return ANSWER_PREFIX[apiVersion] + status + '}'
    }
    case 'rejected':
      return (
        ANSWER_PREFIX[apiVersion] +
        '{"authenticated":false,"error":' +
        JSON.stringify(outcome.rejection.message) +
        '}}'
      )
    case 'not-mine':
      return ANSWER_PREFIX[apiVersion] + '{"authenticated":false}}'
  }
}
