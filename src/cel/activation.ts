/**
 * Converts token claims and the authenticated user into CEL values, once per token.
 *
 * Mirrors kube-apiserver 1.34+ (plugin/pkg/authenticator/token/oidc/oidc.go and
 * k8s.io/apiserver/pkg/cel/lazy): JSON objects become CEL maps whose lookups
 * un-escape the field name (`kubernetes__dot__io` -> `kubernetes.io`), JSON numbers
 * stay doubles (Go's encoding/json decodes every number to float64).
 */
import type { ClaimsActivation, UserActivation } from './types.js'
import { CelEvaluationError } from './types.js'
import { unescapeFieldName } from './escaping.js'

/** The user fields userValidationRules see (`kubernetes.UserInfo`). */
export interface CelUserInput {
  readonly username: string
  readonly uid: string
  readonly groups?: readonly string[] | undefined
  readonly extra?: Readonly<Record<string, readonly string[]>> | undefined
}

/** The runtime value of `user`: its constructor is registered as `kubernetes.UserInfo`. */
export class CelUserInfo {
  constructor(
    readonly username: string,
    readonly uid: string,
    readonly groups: string[],
    readonly extra: Map<string, string[]>,
  ) {}
}

const CONTEXT = Symbol('cel.context')

interface InternalClaimsActivation extends ClaimsActivation {
  readonly [CONTEXT]: { readonly claims: Map<string, unknown> }
}

interface InternalUserActivation extends UserActivation {
  readonly [CONTEXT]: { readonly user: CelUserInfo }
}

const mapGet = Map.prototype.get

// Top-level claims: a name with an invalid escape is unreachable, as oidc.go's
// `unescapedName` makes it.
function topLevelGet(this: Map<unknown, unknown>, key: unknown): unknown {
  if (typeof key !== 'string') return mapGet.call(this, key)
  const name = unescapeFieldName(key)
  return name === undefined ? undefined : mapGet.call(this, name)
}

// Nested objects and user.extra: valid escapes are un-escaped, anything else is literal.
function nestedGet(this: Map<unknown, unknown>, key: unknown): unknown {
  if (typeof key !== 'string') return mapGet.call(this, key)
  return mapGet.call(this, unescapeFieldName(key) ?? key)
}

/**
 * Iterating over top-level `claims` yields the claim *values*, not the names: Kubernetes'
 * lazy claims map (k8s.io/apiserver pkg/cel/lazy `iterator.Next`) returns `Get(name)` for
 * each name, and `Get` un-escapes that name first, so a name holding an escape sequence
 * is an error there (`no such key: <name>`). Upstream's order is Go's random map order;
 * here it is the token's.
 */
function* claimValues(this: Map<string, unknown>): IterableIterator<unknown> {
  for (const name of Map.prototype.keys.call(this) as IterableIterator<string>) {
    const value = topLevelGet.call(this, name)
    if (value === undefined) throw new CelEvaluationError(`no such key: ${name}`)
    yield value
  }
}

/**
 * The top-level claims maps. Kubernetes' lazy claims map has the indexer, field-tester
 * and iterable traits only (pkg/cel/lazy `NewMapValue`), so `in` and `size()` on it
 * fail at run time there; `runtime-errors.ts` asks this to do the same.
 */
const claimsRoots = new WeakSet<object>()

/** Whether `value` is the top-level `claims` map of some activation. */
export function isClaimsRoot(value: unknown): boolean {
  return typeof value === 'object' && value !== null && claimsRoots.has(value)
}

/**
 * A Map whose `get` un-escapes. It stays a plain `Map` (same constructor) so cel-js
 * treats it as a CEL map; only the instance's `get` is replaced.
 */
function escapingMap<V>(entries: Iterable<[string, V]>, topLevel: boolean): Map<string, V> {
  const map = new Map<string, V>(entries)
  Object.defineProperty(map, 'get', { value: topLevel ? topLevelGet : nestedGet })
  if (topLevel) {
    Object.defineProperty(map, 'keys', { value: claimValues })
    claimsRoots.add(map)
  }
  return map
}

function convertJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(convertJson)
  return escapingMap(
    Object.entries(value).map(([k, v]): [string, unknown] => [k, convertJson(v)]),
    false,
  )
}

/**
 * Converts a verified JWT payload for claim expressions. Run once per token; the
 * result can be evaluated by any number of compiled claim expressions.
 * Objects become maps, arrays lists, numbers doubles, and map lookups un-escape.
 */
export function toClaimsActivation(payload: Readonly<Record<string, unknown>>): ClaimsActivation {
  let claims: Map<string, unknown>
  try {
    claims = escapingMap(
      Object.entries(payload).map(([k, v]): [string, unknown] => [k, convertJson(v)]),
      true,
    )
  } catch (err) {
    // Only a pathologically deep payload can get here (stack exhaustion).
    throw new CelEvaluationError('claims are nested too deeply', { cause: err })
  }
  const activation: InternalClaimsActivation = { kind: 'claims', [CONTEXT]: { claims } }
  return Object.freeze(activation)
}

/**
 * Converts the mapped user for userValidationRules. Unset groups become `[]` and
 * unset extra `{}`, as kube-apiserver presents them.
 */
export function toUserActivation(user: CelUserInput): UserActivation {
  const extra = escapingMap(
    Object.entries(user.extra ?? {}).map(([k, v]): [string, string[]] => [k, [...v]]),
    false,
  )
  const value = new CelUserInfo(user.username, user.uid, [...(user.groups ?? [])], extra)
  const activation: InternalUserActivation = { kind: 'user', [CONTEXT]: { user: value } }
  return Object.freeze(activation)
}

/** The cel-js context object behind an activation made by this module. */
export function activationContext(activation: ClaimsActivation | UserActivation): object {
  const context = (activation as Partial<InternalClaimsActivation | InternalUserActivation>)[
    CONTEXT
  ]
  if (context === undefined) {
    throw new TypeError('activation was not made by toClaimsActivation/toUserActivation')
  }
  return context
}
