/**
 * Username, groups, uid and extra from verified claims, as oidc.go's
 * `getUsername`, `getGroups`, `getUID`, `getExtra` produce them, with their
 * messages.
 */
import { CelEvaluationError, type ClaimsActivation, type CompiledExpression } from '../cel/types.js'
import type {
  CompiledExtraMapping,
  CompiledPrefixedMapping,
  CompiledUIDMapping,
} from '../config/compiled.js'
import { goQuote } from '../go/quote.js'
import { goUnmarshalString, goUnmarshalValueError } from '../go/json.js'
import { reject } from './rejection.js'
import { returnsNativeStringList, toStringList } from './string-list.js'
import type { TokenRejected } from './types.js'

/** `authentication.kubernetes.io/credential-id` (k8s.io/apiserver/pkg/authentication/user). */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id'

export type Claims = Readonly<Record<string, unknown>>
/** Builds the CEL activation on first use, once per token. */
export type ActivationSource = () => ClaimsActivation

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Evaluates, turning a CEL error into kube-apiserver's `expression '<e>' resulted in error: <msg>`. */
export function evaluateExpression<
  A extends ClaimsActivation | import('../cel/types.js').UserActivation,
>(
  expression: CompiledExpression<A>,
  activation: A | (() => A),
): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    // Building the activation can fail too (claims nested too deeply): that is this
    // expression's error, not an internal one.
    const act = typeof activation === 'function' ? activation() : activation
    return { ok: true, value: expression.evaluate(act) }
  } catch (err) {
    const text = err instanceof CelEvaluationError ? err.message : 'internal evaluation error'
    return {
      ok: false,
      message: `expression '${expression.expression}' resulted in error: ${text}`,
    }
  }
}

function fail(
  reason: TokenRejected['reason'],
  step: TokenRejected['step'],
  message: string,
): never {
  throw reject(reason, step, message)
}

/**
 * A top-level claim decoded as a Go string, with kube-apiserver's two errors:
 * `<context> "<claim>": claim not present` and the JSON type error.
 */
function stringClaim(
  claims: Claims,
  claim: string,
  reason: TokenRejected['reason'],
  step: TokenRejected['step'],
  context: string,
): string {
  if (!hasOwn(claims, claim)) fail(reason, step, `${context} ${goQuote(claim)}: claim not present`)
  const decoded = goUnmarshalString(claims[claim])
  if (!decoded.ok) fail(reason, step, `${context} ${goQuote(claim)}: ${decoded.message}`)
  return decoded.value
}

export function mapUsername(
  mapping: CompiledPrefixedMapping,
  claims: Claims,
  activation: ActivationSource,
): string {
  if (mapping.kind === 'expression') {
    const prefix = 'oidc: error evaluating username claim expression: '
    const result = evaluateExpression(mapping.expression, activation)
    if (!result.ok) fail('username_mapping_failed', 'username', prefix + result.message)
    if (typeof result.value !== 'string') {
      fail(
        'username_mapping_failed',
        'username',
        `${prefix}username claim expression must return a string`,
      )
    }
    if (result.value === '')
      fail(
        'username_mapping_failed',
        'username',
        'oidc: empty username via CEL expression is not allowed',
      )
    return result.value
  }
  const claim = mapping.claim
  const value = stringClaim(
    claims,
    claim,
    'username_mapping_failed',
    'username',
    'oidc: parse username claims',
  )
  if (claim === 'email' && hasOwn(claims, 'email_verified')) {
    const verified = claims.email_verified
    if (verified !== null && typeof verified !== 'boolean') {
      fail(
        'email_not_verified',
        'username',
        `oidc: parse 'email_verified' claim: ${goUnmarshalValueError(verified, 'bool')}`,
      )
    }
    // null decodes to Go's zero value false.
    if (verified !== true) fail('email_not_verified', 'username', 'oidc: email not verified')
  }
  return mapping.prefix + value
}

// stringOrArray.UnmarshalJSON: []string first, then string; the string attempt's error is reported.
function groupsFromClaim(
  value: unknown,
): { ok: true; groups: string[] } | { ok: false; message: string } {
  if (value === null) return { ok: true, groups: [] }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || v === null)) {
    return { ok: true, groups: value.map((v) => (v === null ? '' : (v as string))) }
  }
  if (typeof value === 'string') return { ok: true, groups: [value] }
  return { ok: false, message: goUnmarshalValueError(value, 'string') }
}

export function mapGroups(
  mapping: CompiledPrefixedMapping | undefined,
  claims: Claims,
  activation: ActivationSource,
): string[] {
  if (mapping === undefined) return []
  if (mapping.kind === 'claim') {
    if (!hasOwn(claims, mapping.claim)) return []
    const decoded = groupsFromClaim(claims[mapping.claim])
    if (!decoded.ok) {
      fail(
        'groups_mapping_failed',
        'groups',
        `oidc: parse groups claim ${goQuote(mapping.claim)}: ${decoded.message}`,
      )
    }
    return mapping.prefix === '' ? decoded.groups : decoded.groups.map((g) => mapping.prefix + g)
  }
  const prefix = 'oidc: error evaluating group claim expression: '
  const result = evaluateExpression(mapping.expression, activation)
  if (!result.ok) fail('groups_mapping_failed', 'groups', prefix + result.message)
  try {
    return toStringList(result.value, returnsNativeStringList(mapping.expression))
  } catch (err) {
    return fail('groups_mapping_failed', 'groups', prefix + (err as Error).message)
  }
}

export function mapUID(
  mapping: CompiledUIDMapping | undefined,
  claims: Claims,
  activation: ActivationSource,
): string {
  if (mapping === undefined) return ''
  if (mapping.kind === 'claim') {
    return stringClaim(claims, mapping.claim, 'uid_mapping_failed', 'uid', 'oidc: parse uid claim')
  }
  const prefix = 'oidc: error evaluating uid claim expression: '
  const result = evaluateExpression(mapping.expression, activation)
  if (!result.ok) fail('uid_mapping_failed', 'uid', prefix + result.message)
  if (typeof result.value !== 'string')
    fail('uid_mapping_failed', 'uid', `${prefix}uid claim expression must return a string`)
  return result.value
}

/**
 * The credential id first (1.32+: `JTI=<jti>` for a non-empty string `jti`), then
 * every extra expression evaluated (first evaluation error wins, reported without
 * an `oidc:` prefix as oidc.go does), then each result converted in list order.
 */
export function mapExtra(
  mappings: readonly CompiledExtraMapping[],
  claims: Claims,
  activation: ActivationSource,
): Record<string, string[]> {
  const extra: Record<string, string[]> = {}
  if (hasOwn(claims, 'jti')) {
    const jti = claims.jti
    if (typeof jti === 'string' && jti !== '') extra[CREDENTIAL_ID_KEY] = [`JTI=${jti}`]
  }
  if (mappings.length === 0) return extra
  const values: unknown[] = []
  for (const mapping of mappings) {
    const result = evaluateExpression(mapping.valueExpression, activation)
    if (!result.ok) fail('extra_mapping_failed', 'extra', result.message)
    values.push(result.value)
  }
  mappings.forEach((mapping, i) => {
    let list: string[]
    try {
      list = toStringList(values[i], returnsNativeStringList(mapping.valueExpression))
    } catch (err) {
      return fail(
        'extra_mapping_failed',
        'extra',
        `oidc: error evaluating extra claim expression: ${mapping.valueExpression.expression}: ${(err as Error).message}`,
      )
    }
    if (list.length > 0) extra[mapping.key] = list
  })
  return extra
}
