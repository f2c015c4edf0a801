/**
 * The one place where failures become `TokenRejected`. Internal steps throw
 * `VerifyError` with kube-apiserver's inner message; the pipeline wraps it the
 * way oidc.go wraps (`oidc: verify token: ...`). Anything unexpected (a library
 * error, a bug) becomes a fixed message so that no payload, token or signature
 * can leak into `status.error` or a log line.
 */
import { TokenRejected, type PipelineStep, type RejectReason } from './types.js'

/** A failure inside verification, worded as go-oidc words it (without the outer wrap). */
export class VerifyError extends Error {
  readonly code = 'ERR_VERIFY'
  override readonly name = 'VerifyError'
  constructor(
    readonly reason: RejectReason,
    message: string,
    readonly transient = false,
  ) {
    super(message)
  }
}

export function reject(
  reason: RejectReason,
  step: PipelineStep,
  message: string,
  transient = false,
): TokenRejected {
  return new TokenRejected(reason, step, message, transient)
}

/**
 * Translates anything thrown inside the pipeline. `VerifyError`s keep their reason
 * and get `prefix` prepended; `TokenRejected` passes through; any other error
 * (jose, node:crypto, a bug) becomes a generic internal rejection whose cause is
 * kept for debug logs only.
 */
export function toRejection(err: unknown, step: PipelineStep, prefix = ''): TokenRejected {
  if (err instanceof TokenRejected) return err
  if (err instanceof VerifyError)
    return new TokenRejected(err.reason, step, prefix + err.message, err.transient)
  const code =
    typeof err === 'object' && err !== null && 'code' in err
      ? String((err as { code: unknown }).code)
      : 'unknown'
  return new TokenRejected(
    'malformed',
    step,
    `${prefix}oidc: internal error (${safeCode(code)})`,
    false,
    {
      cause: new Error(`internal error code ${safeCode(code)}`),
    },
  )
}

// Only a short error code ever surfaces, never the error's own text (jose errors carry payloads).
function safeCode(code: string): string {
  return /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'unknown'
}
