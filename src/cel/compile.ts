/**
 * Compiles and type-checks CEL expressions once, when the config loads
 * (k8s.io/apiserver/pkg/authentication/cel/compile.go `CompileClaimsExpression`,
 * `CompileUserExpression`). The result evaluates per token with the runtime cost bound.
 */
import type { CelNode } from './ast.js'
import { position, visitSyntax } from './ast.js'
import { activationContext } from './activation.js'
import { checkerMessage } from './checker-message.js'
import { celEnvironment } from './environment.js'
import { evaluateBounded, instrumentCost } from './evaluate.js'
import { rewriteHasOperands } from './has-operand.js'
import { retypeClaimsIteration } from './claims-iteration.js'
import type { CheckIssue } from './checker/infer.js'
import { inferTypes } from './checker/infer.js'
import { formatType } from './checker/go-type.js'
import { homogeneousLiteralIssues } from './checker/homogeneous-literals.js'
import {
  OPTIONAL_ELEMENT,
  OPTIONAL_ENTRY,
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
function regexArgumentIssues(nodes: readonly CelNode[]): CheckIssue[] {
  const bad = firstBadRegexLiteral(nodes)
  return bad === undefined ? [] : [{ message: 'invalid matches argument', at: bad.node.start }]
}

/**
 * Compiles every literal pattern once, as cel-go's program planner does; returns
 * Go's message for the first that RE2 refuses (kube reports it as
 * `program instantiation failed: <message>`).
 */
function compileRegexPatterns(nodes: readonly CelNode[]): string | undefined {
  return firstBadRegexLiteral(nodes)?.message
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
  const inference = inferTypes(root, {
    kind,
    optionalElement: OPTIONAL_ELEMENT,
    optionalEntry: OPTIONAL_ENTRY,
  })
  // cel-go runs its AST validators only on an expression that type-checked; issues are
  // listed in source order, of which the first is shown.
  const [issue] =
    inference.issues.length > 0
      ? inference.issues
      : [...homogeneousLiteralIssues(inference), ...regexArgumentIssues(facts.regexArguments)].sort(
          (a, b) => a.at - b.at,
        )
  if (issue !== undefined)
    return { ok: false, message: describe(expression, issue.message, issue.at, false) }
  const staticType = formatType(inference.outputType)
  const programError = compileRegexPatterns(facts.regexPatterns)
  if (programError !== undefined)
    return { ok: false, message: programError, stage: 'program', staticType }
  if (kind === 'claims') retypeClaimsIteration(root)
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
