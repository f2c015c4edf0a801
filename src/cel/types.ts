/**
 * The contract between the CEL module and its users (config compilation and the
 * token pipeline). Mirrors k8s.io/apiserver/pkg/authentication/cel: expressions
 * are compiled and type-checked once when the config loads, then evaluated per
 * token against an activation built once per token.
 */

/** Which variable an expression sees: `claims` (map(string, any)) or `user` (kubernetes.UserInfo). */
export type CelEnvironmentKind = 'claims' | 'user'

/** Claims converted for CEL once per token (see `toClaimsActivation`). Opaque to callers. */
export interface ClaimsActivation {
  readonly kind: 'claims'
}

/** The user value seen by userValidationRules (see `toUserActivation`). Opaque to callers. */
export interface UserActivation {
  readonly kind: 'user'
}

export interface CompiledExpression<A extends ClaimsActivation | UserActivation> {
  readonly expression: string
  /** The static CEL result type as cel-go's checker infers it (`bool`, `string`, `any`, `dyn`, `list(string)` ...). */
  readonly staticType: string
  /**
   * Syntactic facts used by the email_verified rule (validation.go): whether the
   * AST contains a field selection `claims.email` / `claims.?email`, and
   * `claims.email_verified` / `claims.?email_verified`. Index syntax
   * (`claims["email"]`) does not count.
   */
  readonly usesClaimsEmail: boolean
  readonly usesClaimsEmailVerified: boolean
  /**
   * Evaluates with the runtime cost bound. Returns the CEL result converted to
   * plain JS (string, boolean, number for double, bigint for int/uint, null,
   * arrays, plain objects for maps). Throws `CelEvaluationError` on any error,
   * including exceeding the cost limit.
   */
  evaluate(activation: A): unknown
}

export type CompileResult<A extends ClaimsActivation | UserActivation> =
  | { ok: true; compiled: CompiledExpression<A> }
  /**
   * `message` is the text after "compilation failed: " in the field error. With
   * `stage: 'program'` the expression compiled and type-checked (to `staticType`)
   * but building the program failed (cel-go compiles literal regex patterns then):
   * kube checks the return type first, then reports `program instantiation failed: <message>`.
   */
  | { ok: false; message: string; stage?: 'program'; staticType?: string }

export class CelEvaluationError extends Error {
  readonly code = 'ERR_CEL_EVALUATION'
  override readonly name = 'CelEvaluationError'
  constructor(
    /** The CEL error text, e.g. `no such key: hd`. Never contains claim values wholesale. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
