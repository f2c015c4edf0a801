/**
 * The `token review` line, one per answered review at `info`: who
 * (`user`), from which issuer, the outcome (`result`, and for a refusal
 * `reason`, `step` and `error`), `latencyMs` and `cacheHit`.
 *
 * It is written on every review, cache hits included, so it is built from
 * parts serialised ahead of time: the constant members per outcome kind,
 * each configured issuer URL once, each reason and step once. Per line only
 * the username (or the refusal message), the latency and the timestamp are
 * formatted. Every value is safe by construction, so no redaction pass runs:
 * the issuer is a configured URL, `reason` and `step` come from closed sets,
 * the username is the mapped one, and a refusal message never holds the
 * token, its signature or its payload (token/rejection.ts).
 */
import { preformattedLine, type Logger } from '../log/logger.js'
import type { AuthOutcome } from '../token/types.js'

/** Writes the line for one answered review. */
export type ReviewLog = (outcome: AuthOutcome, seconds: number, cacheHit: boolean) => void

/** Serialised pieces are kept for at most this many distinct values (issuers, reasons, steps). */
const MAX_MEMO = 1024

/** `JSON.stringify(value)` prefixed by `prefix`, computed once per distinct value. */
function memoized(prefix: string): (value: string) => string {
  const memo = new Map<string, string>()
  return (value) => {
    let out = memo.get(value)
    if (out === undefined) {
      if (memo.size >= MAX_MEMO) memo.clear()
      out = prefix + JSON.stringify(value)
      memo.set(value, out)
    }
    return out
  }
}

export function createReviewLog(logger: Logger): ReviewLog {
  const line = preformattedLine(logger, 'info', 'token review')
  const authenticatedIssuer = memoized(',"result":"authenticated","issuer":')
  const rejectedIssuer = memoized(',"result":"rejected","issuer":')
  const reason = memoized(',"reason":')
  const step = memoized(',"step":')
  /** The issuer and user part of the line, by outcome, for outcomes answered from the cache. */
  const hitParts = new Map<AuthOutcome, string>()
  return (outcome, seconds, cacheHit) => {
    if (!logger.isLevelEnabled('info')) return
    let who: string
    switch (outcome.kind) {
      case 'authenticated': {
        // A hit carries the outcome object stored at the miss: its part is made once.
        const known = cacheHit ? hitParts.get(outcome) : undefined
        if (known !== undefined) {
          who = known
          break
        }
        who =
          authenticatedIssuer(outcome.issuer) + ',"user":' + JSON.stringify(outcome.user.username)
        if (cacheHit) {
          if (hitParts.size >= MAX_MEMO) hitParts.clear()
          hitParts.set(outcome, who)
        }
        break
      }
      case 'rejected':
        who =
          rejectedIssuer(outcome.issuer) +
          reason(outcome.rejection.reason) +
          step(outcome.rejection.step) +
          ',"error":' +
          JSON.stringify(outcome.rejection.message)
        break
      case 'not-mine':
        who = ',"result":"not_mine"'
        break
    }
    line(
      who +
        ',"latencyMs":' +
        String(Math.round(seconds * 1e6) / 1e3) +
        (cacheHit ? ',"cacheHit":true' : ',"cacheHit":false'),
    )
  }
}
