/**
 * Type assignability and type-parameter substitution, as cel-go's checker does them
 * (checker/types.go `internalIsAssignable`, `isValidTypeSubstitution`, `mostGeneral`,
 * `substitute`; checker/mapping.go). `any` and `dyn` are both wildcards here; they
 * differ only where the checker asks for a comprehension range or a literal's
 * element types (see `infer.ts`).
 */
import type { GoType } from './go-type.js'
import {
  DYN,
  isDyn,
  isDynOrError,
  listOf,
  mapOf,
  parameters,
  sameType,
  typeName,
} from './go-type.js'

/** Bindings of type parameters, by name. */
export class Substitutions {
  constructor(private readonly bound = new Map<string, GoType>()) {}

  find(t: GoType): GoType | undefined {
    return t.kind === 'param' ? this.bound.get(t.name) : undefined
  }

  add(from: GoType, to: GoType): void {
    if (from.kind === 'param') this.bound.set(from.name, to)
  }

  copy(): Substitutions {
    return new Substitutions(new Map(this.bound))
  }
}

function withParams(t: GoType, params: readonly GoType[]): GoType {
  switch (t.kind) {
    case 'list':
      return listOf(params[0] ?? DYN)
    case 'map':
      return mapOf(params[0] ?? DYN, params[1] ?? DYN)
    case 'opaque':
      return { kind: 'opaque', name: t.name, params }
    case 'type':
      return params[0] === undefined ? t : { kind: 'type', param: params[0] }
    default:
      return t
  }
}

/** Replaces bound parameters; unbound ones become dyn when `paramToDyn`. */
export function substitute(m: Substitutions, t: GoType, paramToDyn: boolean): GoType {
  const sub = m.find(t)
  if (sub !== undefined) return substitute(m, sub, paramToDyn)
  if (paramToDyn && t.kind === 'param') return DYN
  const params = parameters(t)
  if (params.length === 0) return t
  return withParams(
    t,
    params.map((p) => substitute(m, p, paramToDyn)),
  )
}

function isEqualOrLessSpecific(t1: GoType, t2: GoType): boolean {
  if (isDyn(t1) || t1.kind === 'param') return true
  if (isDyn(t2) || t2.kind === 'param') return false
  if (t1.kind !== t2.kind) return false
  switch (t1.kind) {
    case 'opaque': {
      const p1 = parameters(t1)
      const p2 = parameters(t2)
      if (typeName(t1) !== typeName(t2) || p1.length !== p2.length) return false
      return p1.every((p, i) => isEqualOrLessSpecific(p, p2[i] as GoType))
    }
    case 'list':
    case 'map': {
      const p2 = parameters(t2)
      return parameters(t1).every((p, i) => isEqualOrLessSpecific(p, p2[i] as GoType))
    }
    case 'type':
      return true
    default:
      return sameType(t1, t2)
  }
}

/** The more general of two types known to unify. */
export function mostGeneral(t1: GoType, t2: GoType): GoType {
  return isEqualOrLessSpecific(t1, t2) ? t1 : t2
}

function notReferencedIn(m: Substitutions, t: GoType, within: GoType): boolean {
  if (sameType(t, within)) return false
  if (within.kind === 'param') {
    const sub = m.find(within)
    return sub === undefined ? true : notReferencedIn(m, t, sub)
  }
  return parameters(within).every((p) => notReferencedIn(m, t, p))
}

function isValidTypeSubstitution(m: Substitutions, t1: GoType, t2: GoType): [boolean, boolean] {
  if (t1.kind === t2.kind && sameType(t1, t2)) return [true, true]
  const t2Sub = m.find(t2)
  if (t2Sub !== undefined) {
    if (t1.kind === t2Sub.kind && sameType(t1, t2Sub)) return [true, true]
    if (internalIsAssignable(m, t1, t2Sub)) {
      const t2New = mostGeneral(t1, t2Sub)
      if (notReferencedIn(m, t2, t2New)) m.add(t2, t2New)
      return [true, true]
    }
    return [false, true]
  }
  if (notReferencedIn(m, t2, t1)) {
    m.add(t2, t1)
    return [true, false]
  }
  return [false, false]
}

/** cel-go `Type.IsAssignableType` (the default rule): `to` accepts `from`. */
function acceptsType(to: GoType, from: GoType): boolean {
  if (to === from || isDyn(to) || to.kind === 'param') return true
  if (to.kind !== from.kind || typeName(to) !== typeName(from)) return false
  const pt = parameters(to)
  const pf = parameters(from)
  return pt.length === pf.length && pt.every((p, i) => acceptsType(p, pf[i] as GoType))
}

function isLegacyNullable(t: GoType): boolean {
  if (t.kind === 'opaque' || t.kind === 'struct' || t.kind === 'any') return true
  return t.kind === 'primitive' && (t.name === 'duration' || t.name === 'timestamp')
}

function internalIsAssignable(m: Substitutions, t1: GoType, t2: GoType): boolean {
  if (t2.kind === 'param') {
    const [valid, t2HasSub] = isValidTypeSubstitution(m, t1, t2)
    if (valid) return true
    if (t2HasSub) return false
  }
  if (t1.kind === 'param') return isValidTypeSubstitution(m, t2, t1)[0]
  if (isDynOrError(t1) || isDynOrError(t2)) return true
  if (t1.kind === 'null') return isLegacyNullable(t2) || acceptsType(t2, t1)
  if (t2.kind === 'null') return isLegacyNullable(t1) || acceptsType(t1, t2)
  switch (t1.kind) {
    case 'primitive':
    case 'struct':
      return acceptsType(t2, t1)
    case 'type':
      return t2.kind === 'type'
    case 'opaque':
    case 'list':
    case 'map':
      return (
        t1.kind === t2.kind &&
        typeName(t1) === typeName(t2) &&
        internalIsAssignableList(m, parameters(t1), parameters(t2))
      )
    default:
      return false
  }
}

function internalIsAssignableList(
  m: Substitutions,
  l1: readonly GoType[],
  l2: readonly GoType[],
): boolean {
  if (l1.length !== l2.length) return false
  return l1.every((t, i) => internalIsAssignable(m, t, l2[i] as GoType))
}

/** The bindings with which `t1` is assignable to `t2`, or undefined (cel-go `isAssignable`). */
export function isAssignable(m: Substitutions, t1: GoType, t2: GoType): Substitutions | undefined {
  const copy = m.copy()
  return internalIsAssignable(copy, t1, t2) ? copy : undefined
}

/** The bindings with which each of `l1` is assignable to the same place in `l2`. */
export function isAssignableList(
  m: Substitutions,
  l1: readonly GoType[],
  l2: readonly GoType[],
): Substitutions | undefined {
  const copy = m.copy()
  return internalIsAssignableList(copy, l1, l2) ? copy : undefined
}
