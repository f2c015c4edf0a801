/**
 * Type inference as cel-go's checker does it (checker/checker.go), run after cel-js has
 * accepted an expression, for what cel-js cannot see:
 *
 * - Kubernetes declares `claims` as `map(string, any)` (authentication/cel/compile.go),
 *   `any` being google.protobuf.Any. The checker treats `any` as a wildcard for
 *   overloads but refuses it as a comprehension range (`checkComprehension`), so
 *   `claims.groups.map(g, g)` does not compile while `dyn(claims.groups).map(g, g)` does.
 * - Type parameters bound by unification (`claims[?'a']['b'].orValue(true)` is `bool`),
 *   and the element types the homogeneous-literal validator compares afterwards.
 *
 * Overload signatures come from the cel-js declarations the node was checked against;
 * where none of them applies, cel-js's own result type stands.
 */
import type { CelNode } from '../ast.js'
import type { CelEnvironmentKind } from '../types.js'
import type { CelJsType, GoType } from './go-type.js'
import { goOffset } from './offset.js'
import {
  ANY,
  BOOL,
  DYN,
  ERROR,
  INT,
  STRING,
  formatType,
  fromCelJs,
  isDyn,
  listOf,
  mapOf,
  optionalOf,
  param,
  sameType,
  unwrapOptional,
} from './go-type.js'
import { isAssignable, isAssignableList, mostGeneral, Substitutions, substitute } from './unify.js'

/** An error the checker reports, at a source offset. */
export interface CheckIssue {
  readonly message: string
  readonly at: number
}

/** A list or map literal, for the homogeneous-literal validator. */
export interface AggregateLiteral {
  /** List elements, or map keys then values as two columns. */
  readonly columns: ReadonlyArray<ReadonlyArray<LiteralElement>>
  /** A list stops at its first mismatch; a map reports every one. */
  readonly stopAtFirst: boolean
}

export interface LiteralElement {
  readonly node: CelNode
  /** `[?e]`, `{?k: e}`: the element's type is the optional's parameter. */
  readonly optional: boolean
}

export interface Inference {
  readonly issues: readonly CheckIssue[]
  readonly literals: readonly AggregateLiteral[]
  /** The final type of a node: bound parameters substituted, free ones `dyn`. */
  typeOf(node: CelNode): GoType
  readonly outputType: GoType
}

export interface InferenceOptions {
  readonly kind: CelEnvironmentKind
  /** Names of the internal calls that wrap optional list elements and map entry values. */
  readonly optionalElement: string
  readonly optionalEntry: string
}

interface CelJsDeclaration {
  readonly macro?: boolean
  readonly receiverType?: CelJsType | null
  readonly argTypes?: readonly CelJsType[]
  readonly leftType?: CelJsType
  readonly rightType?: CelJsType | null
  readonly returnType: CelJsType
}

interface CheckedNode extends CelNode {
  readonly candidates?: { readonly declarations: readonly CelJsDeclaration[] }
}

const USER_FIELDS: Readonly<Record<string, GoType>> = {
  username: STRING,
  uid: STRING,
  groups: listOf(STRING),
  extra: mapOf(STRING, listOf(STRING)),
}
const USER_TYPE: GoType = { kind: 'struct', name: 'kubernetes.UserInfo' }

const RELATIONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', 'in'])

/** cel-go's `_[_]` overloads (standard library, then the optional library). */
const INDEX: ReadonlyArray<(p: (n: string) => GoType) => [GoType[], GoType]> = [
  (p) => [[listOf(p('A')), INT], p('A')],
  (p) => [[mapOf(p('K'), p('V')), p('K')], p('V')],
  (p) => [[optionalOf(listOf(p('V'))), INT], optionalOf(p('V'))],
  (p) => [[optionalOf(mapOf(p('K'), p('V'))), p('K')], optionalOf(p('V'))],
]
/** cel-go's `_[?_]` overloads. */
const OPT_INDEX: ReadonlyArray<(p: (n: string) => GoType) => [GoType[], GoType]> = [
  (p) => [[listOf(p('V')), INT], optionalOf(p('V'))],
  (p) => [[optionalOf(listOf(p('V'))), INT], optionalOf(p('V'))],
  (p) => [[mapOf(p('K'), p('V')), p('K')], optionalOf(p('V'))],
  (p) => [[optionalOf(mapOf(p('K'), p('V'))), p('K')], optionalOf(p('V'))],
]
/** cel-go's optional `orValue` and `or`, which cel-js implements as macros. */
const OR_VALUE: (p: (n: string) => GoType) => [GoType[], GoType] = (p) => [
  [optionalOf(p('V')), p('V')],
  p('V'),
]
const OR: (p: (n: string) => GoType) => [GoType[], GoType] = (p) => [
  [optionalOf(p('V')), optionalOf(p('V'))],
  optionalOf(p('V')),
]
const CONDITIONAL: (p: (n: string) => GoType) => [GoType[], GoType] = (p) => [
  [BOOL, p('A'), p('A')],
  p('A'),
]

const ONE_VARIABLE_BOOL: ReadonlySet<string> = new Set(['all', 'exists', 'exists_one'])
const TWO_VARIABLE_BOOL: ReadonlySet<string> = new Set(['all', 'exists', 'existsOne', 'exists_one'])

/** The standard type identifiers, typed `type(T)` as cel-go's standard library declares them. */
const TYPE_IDENTIFIERS: Readonly<Record<string, GoType>> = {
  bool: BOOL,
  bytes: { kind: 'primitive', name: 'bytes' },
  double: { kind: 'primitive', name: 'double' },
  int: INT,
  string: STRING,
  uint: { kind: 'primitive', name: 'uint' },
  list: listOf(DYN),
  map: mapOf(DYN, DYN),
  null_type: { kind: 'null' },
  type: { kind: 'type' },
}

function typeIdentifier(node: CelNode): GoType | undefined {
  const t = TYPE_IDENTIFIERS[node.args as string]
  return t === undefined || node.checkedType?.name !== 'type'
    ? undefined
    : { kind: 'type', param: t }
}

class Inferrer {
  private m = new Substitutions()
  private readonly types = new Map<CelNode, GoType>()
  private readonly scopes: Array<Map<string, GoType>> = []
  private nextVar = 0
  /** Inside a `format` call, whose literals the homogeneity validator skips (ext/formatting.go). */
  private insideFormat = 0
  readonly issues: CheckIssue[] = []
  readonly literals: AggregateLiteral[] = []

  constructor(private readonly options: InferenceOptions) {}

  check(node: CelNode): GoType {
    const type = this.compute(node)
    this.types.set(node, type)
    return type
  }

  finalType(node: CelNode): GoType {
    return substitute(this.m, this.types.get(node) ?? this.celJsType(node), true)
  }

  private celJsType(node: CelNode): GoType {
    const t = node.checkedType
    return t === undefined ? DYN : fromCelJs(t)
  }

  private fresh(): (name: string) => GoType {
    const names = new Map<string, GoType>()
    return (name) => {
      let t = names.get(name)
      if (t === undefined) {
        t = param(`_var${this.nextVar++}`)
        names.set(name, t)
      }
      return t
    }
  }

  private lookup(name: string): GoType | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i]?.get(name)
      if (t !== undefined) return t
    }
    if (name === 'claims' && this.options.kind === 'claims') return mapOf(STRING, ANY)
    if (name === 'user' && this.options.kind === 'user') return USER_TYPE
    return undefined
  }

  private compute(node: CelNode): GoType {
    switch (node.op) {
      case 'id':
        return this.lookup(node.args as string) ?? typeIdentifier(node) ?? this.celJsType(node)
      case '.':
      case '.?':
        return this.select(node)
      case '[]':
      case '[?]': {
        const [operand, index] = node.args as [CelNode, CelNode]
        const overloads = node.op === '[]' ? INDEX : OPT_INDEX
        return this.resolve(node, [this.check(operand), this.check(index)], overloads)
      }
      case '?:': {
        const args = (node.args as CelNode[]).map((a) => this.check(a))
        return this.resolve(node, args, [CONDITIONAL])
      }
      case '&&':
      case '||':
        // Operands must be assignable to bool, which binds a type parameter.
        for (const a of node.args as CelNode[]) this.assign(this.check(a), BOOL)
        return BOOL
      case '!_':
        this.assign(this.check(node.args as CelNode), BOOL)
        return BOOL
      case '-_':
        return this.resolveDeclared(node, [this.check(node.args as CelNode)], false)
      case 'list':
        return this.list(node)
      case 'map':
        return this.map(node)
      case 'call':
        return this.call(node)
      case 'rcall':
        return this.rcall(node)
      default:
        if (RELATIONS.has(node.op)) {
          for (const a of node.args as CelNode[]) this.check(a)
          return BOOL
        }
        if (Array.isArray(node.args) && node.args.length === 2 && node.op !== 'value') {
          const args = (node.args as CelNode[]).map((a) => this.check(a))
          return this.resolveDeclared(node, args, false)
        }
        return this.celJsType(node)
    }
  }

  /** cel-go `checkSelectField`. */
  private select(node: CelNode): GoType {
    const [operand, field] = node.args as [CelNode, string]
    if (operand.op === 'id' && this.lookup(operand.args as string) === undefined) {
      return this.celJsType(node) // a qualified name, not a field selection
    }
    const operandType = substitute(this.m, this.check(operand), false)
    const [target, wasOptional] = unwrapOptional(operandType)
    let result: GoType
    switch (target.kind) {
      case 'map':
        result = target.value
        break
      case 'struct':
        result = USER_FIELDS[field] ?? ERROR
        break
      case 'param':
        this.assign(DYN, target)
        result = DYN
        break
      default:
        result = DYN
    }
    return wasOptional || node.op === '.?' ? optionalOf(result) : result
  }

  private list(node: CelNode): GoType {
    const elements = (node.args as CelNode[]).map((e) => this.element(e, 'optionalElement'))
    let elemType: GoType | undefined
    for (const { node: e, optional } of elements) {
      let t = this.check(e)
      if (optional) t = unwrapOptional(t)[0]
      elemType = this.join(elemType, t)
    }
    if (this.insideFormat === 0) this.literals.push({ columns: [elements], stopAtFirst: true })
    return listOf(elemType ?? param(`_var${this.nextVar++}`))
  }

  private map(node: CelNode): GoType {
    const keys: LiteralElement[] = []
    const values: LiteralElement[] = []
    let keyType: GoType | undefined
    let valueType: GoType | undefined
    for (const [k, v] of node.args as Array<[CelNode, CelNode]>) {
      keys.push({ node: k, optional: false })
      keyType = this.join(keyType, this.check(k))
      const value = this.element(v, 'optionalEntry')
      values.push(value)
      let t = this.check(value.node)
      if (value.optional) t = unwrapOptional(t)[0]
      valueType = this.join(valueType, t)
    }
    if (this.insideFormat === 0) this.literals.push({ columns: [keys, values], stopAtFirst: false })
    if (keyType === undefined || valueType === undefined) {
      return mapOf(param(`_var${this.nextVar++}`), param(`_var${this.nextVar++}`))
    }
    return mapOf(keyType, valueType)
  }

  /** An element as written: the compiler's wrapper call around `?e` is looked through. */
  private element(node: CelNode, wrapper: 'optionalElement' | 'optionalEntry'): LiteralElement {
    if (node.op === 'call') {
      const [name, args] = node.args as [string, CelNode[]]
      const inner = args[0]
      if (name === this.options[wrapper] && inner !== undefined) {
        return { node: inner, optional: true }
      }
    }
    return { node, optional: false }
  }

  /** cel-go `joinTypes`, with the checker's default (mixed literals become `dyn`). */
  private join(previous: GoType | undefined, current: GoType): GoType {
    if (previous === undefined) return current
    if (this.assign(previous, current)) return mostGeneral(previous, current)
    return DYN
  }

  private assign(t1: GoType, t2: GoType): boolean {
    const subs = isAssignable(this.m, t1, t2)
    if (subs === undefined) return false
    this.m = subs
    return true
  }

  private call(node: CelNode): GoType {
    const [name, args] = node.args as [string, CelNode[]]
    if (name === 'has' && node.meta.alternate !== undefined) {
      const [selection] = args
      if (selection?.op === '.') this.check((selection.args as [CelNode])[0])
      return BOOL
    }
    const types = args.map((a) => this.check(a))
    if (name === this.options.optionalElement || name === this.options.optionalEntry) {
      return types[0] ?? DYN
    }
    // cel-go's `type` overload is (A) -> type(A).
    if (name === 'type' && types.length === 1 && types[0] !== undefined) {
      return { kind: 'type', param: types[0] }
    }
    return this.resolveDeclared(node, types, false)
  }

  private rcall(node: CelNode): GoType {
    const [name, receiver, args] = node.args as [string, CelNode, CelNode[]]
    if (node.meta.alternate !== undefined || node.meta.macro !== undefined) {
      return this.macro(node, name, receiver, args)
    }
    if (name !== 'format') return this.memberCall(node, receiver, args)
    this.insideFormat++
    try {
      return this.memberCall(node, receiver, args)
    } finally {
      this.insideFormat--
    }
  }

  private memberCall(node: CelNode, receiver: CelNode, args: CelNode[]): GoType {
    const namespaced = receiver.op === 'id' && this.lookup(receiver.args as string) === undefined
    const types = args.map((a) => this.check(a))
    if (namespaced) return this.resolveDeclared(node, types, false)
    return this.resolveDeclared(node, [this.check(receiver), ...types], true)
  }

  /**
   * cel-go `resolveOverload`: the first overload the arguments are assignable to gives
   * the result type, `dyn` when later ones disagree.
   */
  private resolve(
    node: CelNode,
    args: readonly GoType[],
    overloads: ReadonlyArray<(p: (n: string) => GoType) => [GoType[], GoType]>,
  ): GoType {
    let result: GoType | undefined
    for (const overload of overloads) {
      const [params, returns] = overload(this.fresh())
      if (params.length !== args.length) continue
      const subs = isAssignableList(this.m, args, params)
      if (subs === undefined) continue
      this.m = subs
      const fnResult = substitute(this.m, returns, false)
      if (result === undefined) result = fnResult
      else if (!isDyn(result) && !sameType(fnResult, result)) result = DYN
    }
    return result ?? this.celJsType(node)
  }

  private resolveDeclared(node: CelNode, args: readonly GoType[], member: boolean): GoType {
    const declarations = (node as CheckedNode).candidates?.declarations ?? []
    const overloads = declarations
      .filter((d) => d.macro !== true)
      .map((d) => (p: (n: string) => GoType): [GoType[], GoType] => {
        const declared: CelJsType[] =
          d.leftType !== undefined
            ? [d.leftType, ...(d.rightType ? [d.rightType] : [])]
            : [...(member && d.receiverType ? [d.receiverType] : []), ...(d.argTypes ?? [])]
        const freshDyn = (): GoType => param(`_var${this.nextVar++}`)
        return [declared.map((t) => fromCelJs(t, p, freshDyn)), fromCelJs(d.returnType, p)]
      })
    return this.resolve(node, args, overloads)
  }

  /** The iteration variable types of a range (cel-go `checkComprehension`), or an error. */
  private rangeTypes(range: GoType, twoVariables: boolean, at: number): [GoType, GoType] {
    const t = substitute(this.m, range, false)
    switch (t.kind) {
      case 'list':
        return twoVariables ? [INT, t.elem] : [t.elem, ERROR]
      case 'map':
        return [t.key, t.value]
      case 'dyn':
      case 'error':
      case 'param':
        this.assign(DYN, t)
        return [DYN, DYN]
      default:
        this.issues.push({
          message: `expression of type '${formatType(t)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
          at,
        })
        return [ERROR, ERROR]
    }
  }

  private scoped<T>(vars: ReadonlyArray<[CelNode | undefined, GoType]>, body: () => T): T {
    const scope = new Map<string, GoType>()
    for (const [v, t] of vars) if (v?.op === 'id') scope.set(v.args as string, t)
    this.scopes.push(scope)
    try {
      return body()
    } finally {
      this.scopes.pop()
    }
  }

  private macro(node: CelNode, name: string, receiver: CelNode, args: CelNode[]): GoType {
    const [a0, a1, a2, a3] = args
    const rangeType = this.check(receiver)
    if ((name === 'orValue' || name === 'or') && a0 !== undefined && args.length === 1) {
      return this.resolve(node, [rangeType, this.check(a0)], [name === 'or' ? OR : OR_VALUE])
    }
    const rangeAt = goOffset(receiver)
    if (args.length === 2 && (ONE_VARIABLE_BOOL.has(name) || name === 'map' || name === 'filter')) {
      const [v] = this.rangeTypes(rangeType, false, rangeAt)
      return this.scoped([[a0, v]], () => {
        const body = this.check(a1 as CelNode)
        if (name === 'map') return listOf(body)
        this.assign(body, BOOL)
        return name === 'filter' ? listOf(v) : BOOL
      })
    }
    if (name === 'map' && args.length === 3) {
      const [v] = this.rangeTypes(rangeType, false, rangeAt)
      return this.scoped([[a0, v]], () => {
        this.assign(this.check(a1 as CelNode), BOOL)
        return listOf(this.check(a2 as CelNode))
      })
    }
    if (args.length === 3 && TWO_VARIABLE_BOOL.has(name)) {
      const [k, v] = this.rangeTypes(rangeType, true, rangeAt)
      this.scoped([[a0, k]], () =>
        this.scoped([[a1, v]], () => this.assign(this.check(a2 as CelNode), BOOL)),
      )
      return BOOL
    }
    if (name === 'transformList' || name === 'transformMap' || name === 'transformMapEntry') {
      const [k, v] = this.rangeTypes(rangeType, true, rangeAt)
      const body = this.scoped([[a0, k]], () =>
        this.scoped([[a1, v]], () => {
          if (a3 !== undefined) this.assign(this.check(a2 as CelNode), BOOL)
          return this.check((a3 ?? a2) as CelNode)
        }),
      )
      if (name === 'transformList') return listOf(body)
      if (name === 'transformMap') return mapOf(k, body)
      const entry = substitute(this.m, body, false)
      return entry.kind === 'map' ? entry : mapOf(param(`_var${this.nextVar++}`), DYN)
    }
    if (name === 'sortBy') {
      // ext/lists.go binds the target to a variable and maps over that variable, which
      // the parser places at the `(` of the call.
      const [v] = this.rangeTypes(rangeType, false, goOffset(node))
      this.scoped([[a0, v]], () => this.check(a1 as CelNode))
      const target = substitute(this.m, rangeType, false)
      return target.kind === 'list' ? target : listOf(param(`_var${this.nextVar++}`))
    }
    if (name === 'optMap' || name === 'optFlatMap') {
      const [inner, wasOptional] = unwrapOptional(substitute(this.m, rangeType, false))
      const v = wasOptional ? inner : param(`_var${this.nextVar++}`)
      const body = this.scoped([[a0, v]], () => this.check(a1 as CelNode))
      return name === 'optMap' ? optionalOf(body) : body
    }
    return this.celJsType(node)
  }
}

/** Infers cel-go's types for an expression cel-js has type-checked. */
export function inferTypes(root: CelNode, options: InferenceOptions): Inference {
  const inferrer = new Inferrer(options)
  inferrer.check(root)
  return {
    issues: [...inferrer.issues].sort((a, b) => a.at - b.at),
    literals: inferrer.literals,
    typeOf: (node) => inferrer.finalType(node),
    outputType: inferrer.finalType(root),
  }
}
