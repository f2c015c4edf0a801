/**
 * CEL types as cel-go's checker models them (common/types `Type`, by kind), for the
 * type inference in `infer.ts`. cel-js has no `any` (google.protobuf.Any) and no type
 * variables bound by unification; these do.
 */

export type GoType =
  | { readonly kind: 'any' }
  | { readonly kind: 'dyn' }
  | { readonly kind: 'error' }
  | { readonly kind: 'null' }
  | { readonly kind: 'type'; readonly param?: GoType }
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'list'; readonly elem: GoType }
  | { readonly kind: 'map'; readonly key: GoType; readonly value: GoType }
  /** Opaque types with parameters: `optional_type(T)`, and Kubernetes' `net.IP`, `kubernetes.URL`... */
  | { readonly kind: 'opaque'; readonly name: string; readonly params: readonly GoType[] }
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'param'; readonly name: string }

export const ANY: GoType = { kind: 'any' }
export const DYN: GoType = { kind: 'dyn' }
export const ERROR: GoType = { kind: 'error' }
export const NULL: GoType = { kind: 'null' }
export const BOOL: GoType = { kind: 'primitive', name: 'bool' }
export const INT: GoType = { kind: 'primitive', name: 'int' }
export const STRING: GoType = { kind: 'primitive', name: 'string' }

export const listOf = (elem: GoType): GoType => ({ kind: 'list', elem })
export const mapOf = (key: GoType, value: GoType): GoType => ({ kind: 'map', key, value })
export const optionalOf = (elem: GoType): GoType => ({
  kind: 'opaque',
  name: 'optional_type',
  params: [elem],
})
export const param = (name: string): GoType => ({ kind: 'param', name })

/** The type's parameters, in cel-go's order (list: elem; map: key, value). */
export function parameters(t: GoType): readonly GoType[] {
  switch (t.kind) {
    case 'list':
      return [t.elem]
    case 'map':
      return [t.key, t.value]
    case 'opaque':
      return t.params
    case 'type':
      return t.param === undefined ? [] : [t.param]
    default:
      return []
  }
}

/** The name that, with the kind, identifies a type (cel-go `TypeName`). */
export function typeName(t: GoType): string {
  switch (t.kind) {
    case 'primitive':
    case 'opaque':
    case 'struct':
    case 'param':
      return t.name
    default:
      return t.kind
  }
}

export function isOptional(t: GoType): boolean {
  return t.kind === 'opaque' && t.name === 'optional_type'
}

/** `optional_type(T)` -> [T, true]; anything else -> [itself, false] (cel-go `maybeUnwrapOptional`). */
export function unwrapOptional(t: GoType): [GoType, boolean] {
  return t.kind === 'opaque' && t.name === 'optional_type' && t.params[0] !== undefined
    ? [t.params[0], true]
    : [t, false]
}

/** cel-go `isDyn`: dyn and google.protobuf.Any. */
export function isDyn(t: GoType): boolean {
  return t.kind === 'dyn' || t.kind === 'any'
}

export function isDynOrError(t: GoType): boolean {
  return isDyn(t) || t.kind === 'error'
}

/**
 * cel-go `IsExactType` (`checkParamNames`) and `IsEquivalentType` (type parameter names
 * ignored): same kind, name and parameters.
 */
export function sameType(a: GoType, b: GoType, checkParamNames = true): boolean {
  if (a === b) return true
  if (a.kind !== b.kind) return false
  const pa = parameters(a)
  const pb = parameters(b)
  if (pa.length !== pb.length) return false
  if ((checkParamNames || a.kind !== 'param') && typeName(a) !== typeName(b)) return false
  return pa.every((p, i) => sameType(p, pb[i] as GoType, checkParamNames))
}

/** cel-go `FormatCELType`: how types are spelled in checker messages. */
export function formatType(t: GoType): string {
  switch (t.kind) {
    case 'any':
    case 'dyn':
    case 'null':
      return t.kind
    case 'error':
      return '!error!'
    case 'param':
    case 'struct':
      return t.name
    case 'primitive':
      return t.name
    case 'type':
      return t.param === undefined ? 'type' : `type(${formatType(t.param)})`
    default: {
      const params = parameters(t)
      if (params.length === 0) return typeName(t)
      return `${typeName(t)}(${params.map(formatType).join(', ')})`
    }
  }
}

/** The parts of a cel-js type declaration this module reads. */
export interface CelJsType {
  readonly kind: string
  readonly name: string
  readonly keyType?: CelJsType
  readonly valueType?: CelJsType
}

const MESSAGE_KINDS: Readonly<Record<string, GoType>> = {
  'google.protobuf.Timestamp': { kind: 'primitive', name: 'timestamp' },
  'google.protobuf.Duration': { kind: 'primitive', name: 'duration' },
  'kubernetes.UserInfo': { kind: 'struct', name: 'kubernetes.UserInfo' },
}

/**
 * A cel-js type in cel-go's model. `rename` gives each cel-js type parameter (`T`, `A`)
 * its name in the overload being instantiated; `freshDyn`, when given, replaces each
 * `dyn` (cel-js declares `size(list<dyn>)` where cel-go declares `size(list(A))`).
 */
export function fromCelJs(
  t: CelJsType,
  rename?: (name: string) => GoType,
  freshDyn?: () => GoType,
): GoType {
  const inner = (u: CelJsType | undefined): GoType =>
    u === undefined ? (freshDyn?.() ?? DYN) : fromCelJs(u, rename, freshDyn)
  switch (t.kind) {
    case 'dyn':
      return freshDyn?.() ?? DYN
    case 'param':
      return rename === undefined ? DYN : rename(t.name)
    case 'list':
      return listOf(inner(t.valueType))
    case 'map':
      return mapOf(inner(t.keyType), inner(t.valueType))
    case 'optional':
      return optionalOf(inner(t.valueType))
    case 'message':
      return MESSAGE_KINDS[t.name] ?? { kind: 'opaque', name: t.name, params: [] }
    default:
      if (t.name === 'null') return NULL
      if (t.name === 'type') return { kind: 'type' }
      return { kind: 'primitive', name: t.name }
  }
}
