/**
 * Compiles and type-checks CEL expressions once, when the config loads
 * (k8s.io/apiserver/pkg/authentication/cel/compile.go `CompileClaimsExpression`,
 * `CompileUserExpression`). The result evaluates per token with the runtime cost bound.
 */
import type { CelNode, CelTypeDecl } from './ast.js'
import { position, visitSyntax } from './ast.js'
import { activationContext } from './activation.js'
import { checkerMessage } from './checker-message.js'
import { celTypeName } from './type-name.js'
import { celEnvironment } from './environment.js'
import { evaluateBounded, instrumentCost } from './evaluate.js'
import { rewriteHasOperands } from './has-operand.js'
import {
  expandOptionalElements,
  markOptionalElements,
  optionalElementMessage,
} from './optional-elements.js'
import { compileLiteralRegex, RegexSyntaxError } from './library/regex.js'
import { timeLiteralConverts } from './library/time.js'
import { INTERNAL_PREFIX, publicNames, RENAMED_CALLS, RENAMED_METHODS } from './rename.js'
export { celTypeName } from './type-name.js'
import type {
  CelEnvironmentKind,
  ClaimsActivation,
  CompileResult,
  CompiledExpression,
  UserActivation,
} from './types.js'

const REGEX_METHODS: ReadonlySet<string> = new Set(['matches', 'find', 'findAll'])

class CompileError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message)
  }
}

interface SyntaxFacts {
  usesClaimsEmail: boolean
  usesClaimsEmailVerified: boolean
  /** Literals cel-go's `ValidateRegexLiterals` checks after type-checking: argument 0 of `matches`. */
  regexArguments: CelNode[]
  /**
   * Literal patterns the interpreter compiles when the program is built (cel-go
   * `MatchesRegexOptimization`, Kubernetes `Find(All)RegexOptimization`): the
   * argument after the string, receiver included.
   */
  regexPatterns: CelNode[]
}

function stringLiteral(node: CelNode | undefined): string | undefined {
  return node?.op === 'value' && typeof node.args === 'string' ? node.args : undefined
}

/**
 * One pass over the source tree: cel-go rules cel-js does not enforce,
 * literal validation (regex, duration, timestamp), renames to Kubernetes overloads,
 * and the `claims.email` facts (validation.go `hasSelectExp`).
 */
function inspectSyntax(root: CelNode, _kind: CelEnvironmentKind): SyntaxFacts {
  const facts: SyntaxFacts = {
    usesClaimsEmail: false,
    usesClaimsEmailVerified: false,
    regexArguments: [],
    regexPatterns: [],
  }
  visitSyntax(root, (node) => {
    switch (node.op) {
      case '.':
      case '.?': {
        const [operand, field] = node.args as [CelNode, string]
        if (operand.op === 'id' && operand.args === 'claims') {
          if (field === 'email') facts.usesClaimsEmail = true
          if (field === 'email_verified') facts.usesClaimsEmailVerified = true
        }
        break
      }
      case 'call': {
        const args = node.args as [string, CelNode[]]
        const name = args[0]
        if (name.startsWith(INTERNAL_PREFIX)) {
          throw new CompileError(`undeclared reference to '${name}'`, node.start)
        }
        if ((name === 'duration' || name === 'timestamp') && args[1].length === 1) {
          const argument = args[1][0] as CelNode
          if (argument.op === 'value' && !timeLiteralConverts(name, argument.args)) {
            throw new CompileError(`invalid ${name} argument`, argument.start)
          }
        }
        if (name === 'matches' && args[1].length === 2) {
          // cel-go's validator checks argument 0 of the call, which for the global form
          // is the string, not the pattern; the pattern is compiled with the program.
          facts.regexArguments.push(args[1][0] as CelNode)
          facts.regexPatterns.push(args[1][1] as CelNode)
        }
        if (RENAMED_CALLS.has(name)) args[0] = `${INTERNAL_PREFIX}${name}`
        break
      }
      case 'rcall': {
        const args = node.args as [string, CelNode, CelNode[]]
        const [name, receiver, callArgs] = args
        if (name.startsWith(INTERNAL_PREFIX)) {
          throw new CompileError(`undeclared reference to '${name}'`, node.start)
        }
        // kube-apiserver does not include cel-go's bindings extension.
        if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel') {
          throw new CompileError(`undeclared reference to 'cel'`, receiver.start)
        }
        if (REGEX_METHODS.has(name) && callArgs.length >= 1) {
          if (name === 'matches') facts.regexArguments.push(callArgs[0] as CelNode)
          facts.regexPatterns.push(callArgs[0] as CelNode)
        }
        if (RENAMED_METHODS.has(name)) args[0] = `${INTERNAL_PREFIX}${name}`
        break
      }
    }
  })
  return facts
}

/** The first string-literal pattern RE2 refuses, with Go's message; each literal is compiled (and cached) once. */
function firstBadRegexLiteral(
  nodes: readonly CelNode[],
): { node: CelNode; message: string } | undefined {
  for (const node of nodes) {
    const literal = stringLiteral(node)
    if (literal === undefined) continue
    try {
      compileLiteralRegex(literal)
    } catch (err) {
      if (err instanceof RegexSyntaxError) return { node, message: err.message }
      throw err
    }
  }
  return undefined
}

/** cel-go `ValidateRegexLiterals`: a literal that RE2 refuses is `invalid matches argument`. */
function validateRegexArguments(nodes: readonly CelNode[]): void {
  const bad = firstBadRegexLiteral(nodes)
  if (bad !== undefined) throw new CompileError('invalid matches argument', bad.node.start)
}

/**
 * Compiles every literal pattern once, as cel-go's program planner does; returns
 * Go's message for the first that RE2 refuses (kube reports it as
 * `program instantiation failed: <message>`).
 */
function compileRegexPatterns(nodes: readonly CelNode[]): string | undefined {
  return firstBadRegexLiteral(nodes)?.message
}

function compatible(a: CelTypeDecl, b: CelTypeDecl): boolean {
  return (
    a.name === b.name ||
    a.hasDynType ||
    b.hasDynType ||
    a.hasPlaceholderType ||
    b.hasPlaceholderType
  )
}

/** cel-go's homogeneous aggregate literal rule: dyn mixes with anything, other types must agree. */
function checkHomogeneous(root: CelNode): void {
  visitSyntax(root, (node) => {
    if (node.op !== 'list' && node.op !== 'map') return
    const columns: CelNode[][] =
      node.op === 'list'
        ? [node.args as CelNode[]]
        : [
            (node.args as Array<[CelNode, CelNode]>).map((e) => e[0]),
            (node.args as Array<[CelNode, CelNode]>).map((e) => e[1]),
          ]
    for (const elements of columns) {
      let expected: CelTypeDecl | undefined
      for (const element of elements) {
        const type = element.checkedType
        if (type === undefined) continue
        if (expected === undefined || expected.hasDynType || expected.hasPlaceholderType) {
          if (expected === undefined || !type.hasDynType) expected = type
          continue
        }
        if (!compatible(expected, type)) {
          throw new CompileError(
            `expected type '${celTypeName(expected.name)}' but found '${celTypeName(type.name)}'`,
            element.start,
          )
        }
      }
    }
  })
}

/**
 * cel-go types `r.orValue(v)` as `v` when the optional's element type is unknown:
 * a `dyn` receiver, or an optional made by indexing (`[]`, `[?]`) into a `dyn` or
 * `optional(dyn)` value, where cel-go leaves the element a free type parameter that
 * `v` then binds. cel-js says `dyn` for all of these, which fails the `bool` check
 * of validation rules such as Kubernetes' own (oidc_test.go)
 * `claims[?"kubernetes.io"]["node"]["ip"].orValue(true)`. An optional with a known
 * element (`claims.?x`, `claims[?"x"]`: `optional(dyn)`) stays `dyn`, as in cel-go.
 */
function orValueType(root: CelNode): string | undefined {
  if (root.op !== 'rcall') return undefined
  const [name, receiver, args] = root.args as [string, CelNode, CelNode[]]
  const valueType = args[0]?.checkedType?.name
  if (name !== 'orValue' || args.length !== 1 || valueType === undefined) return undefined
  const receiverType = receiver.checkedType?.name
  const unknownElement = (node: CelNode): boolean => {
    if (node.op !== '[]' && node.op !== '[?]') return false
    const operandType = (node.args as CelNode[])[0]?.checkedType?.name
    return operandType === 'dyn' || operandType === 'optional<dyn>'
  }
  const free =
    receiverType === 'dyn' || (receiverType === 'optional<dyn>' && unknownElement(receiver))
  return free ? celTypeName(valueType) : undefined
}

function describe(
  expression: string,
  message: string,
  at: number | undefined,
  fromLibrary = true,
): string {
  const text = fromLibrary ? publicNames(message).replace(/dyn<([\w.]+)>/g, '$1') : message
  if (at === undefined) return `ERROR: <input>: ${text}`
  const { line, column } = position(expression, at)
  return `ERROR: <input>:${line}:${column}: ${text}`
}

function errorOffset(err: unknown): number | undefined {
  const range = (err as { range?: { start?: unknown } } | null)?.range
  return typeof range?.start === 'number' ? range.start : undefined
}

function compile<A extends ClaimsActivation | UserActivation>(
  kind: CelEnvironmentKind,
  expression: string,
): CompileResult<A> {
  if (expression.trim() === '') return { ok: false, message: 'expression is empty' }
  const env = celEnvironment(kind)
  let parsed: ReturnType<typeof env.parse>
  let facts: SyntaxFacts
  try {
    const marked = markOptionalElements(
      rewriteHasOperands(
        expression,
        (source) => env.parse(markOptionalElements(source).source).ast as unknown as CelNode,
      ),
    )
    parsed = env.parse(marked.source)
    facts = inspectSyntax(parsed.ast as unknown as CelNode, kind)
    if (marked.markers.length > 0) {
      const call = env.parse('f()').ast as unknown as CelNode
      expandOptionalElements(parsed.ast as unknown as CelNode, marked.markers, call)
    }
  } catch (err) {
    if (err instanceof CompileError)
      return { ok: false, message: describe(expression, err.message, err.at, false) }
    const summary = (err as { summary?: unknown }).summary
    const text = typeof summary === 'string' ? `Syntax error: ${summary}` : String(err)
    return { ok: false, message: describe(expression, text, errorOffset(err)) }
  }
  const checked = parsed.check()
  if (!checked.valid) {
    const err = checked.error
    const goWording = optionalElementMessage(err) ?? checkerMessage(err)
    if (goWording !== undefined) {
      return {
        ok: false,
        message: describe(expression, goWording.text, goWording.at ?? errorOffset(err), false),
      }
    }
    const text = err?.summary ?? 'type check failed'
    return { ok: false, message: describe(expression, text, errorOffset(err)) }
  }
  const root = parsed.ast as unknown as CelNode
  try {
    validateRegexArguments(facts.regexArguments)
    checkHomogeneous(root)
  } catch (err) {
    if (err instanceof CompileError)
      return { ok: false, message: describe(expression, err.message, err.at) }
    throw err
  }
  const staticType = orValueType(root) ?? celTypeName(checked.type ?? 'dyn')
  const programError = compileRegexPatterns(facts.regexPatterns)
  if (programError !== undefined)
    return { ok: false, message: programError, stage: 'program', staticType }
  instrumentCost(root)
  const compiled: CompiledExpression<A> = {
    expression,
    staticType,
    usesClaimsEmail: kind === 'claims' && facts.usesClaimsEmail,
    usesClaimsEmailVerified: kind === 'claims' && facts.usesClaimsEmailVerified,
    evaluate(activation: A): unknown {
      const context = activationContext(activation)
      return evaluateBounded(() => parsed(context))
    },
  }
  return { ok: true, compiled: Object.freeze(compiled) }
}

/** Compiles a claim expression (claimValidationRules, claimMappings) against `claims`. */
export function compileClaimsExpression(expression: string): CompileResult<ClaimsActivation> {
  return compile<ClaimsActivation>('claims', expression)
}

/** Compiles a userValidationRules expression against `user` (kubernetes.UserInfo). */
export function compileUserExpression(expression: string): CompileResult<UserActivation> {
  return compile<UserActivation>('user', expression)
}
