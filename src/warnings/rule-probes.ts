/**
 * Whether validation rules keep `system:` names out, found by running them: a
 * rule excludes a value when it accepts an ordinary user (or token) and
 * refuses the same one with the value put in. Evaluation errors refuse, as in
 * kube-apiserver. Whatever way a rule is written, only its behaviour counts.
 */
import { toClaimsActivation, toUserActivation, type CelUserInput } from '../cel/activation.js'
import type { CompiledClaimValidationRule, CompiledUserValidationRule } from '../config/compiled.js'
import { parseSyntaxTree, type SyntaxNode } from '../cel/syntax-tree.js'
import type { StringShape } from './string-shape.js'

/** Names Kubernetes gives meaning to, each of which a rule must refuse. */
export const SYSTEM_USERNAME_PROBES = [
  'system:admin',
  'system:kube-controller-manager',
  'system:node:probe-node',
  'system:serviceaccount:kube-system:probe',
] as const

export const SYSTEM_GROUP_PROBES = [
  'system:masters',
  'system:nodes',
  'system:serviceaccounts',
  'system:probe-group',
] as const

const PROBE_NAME = 'kube-oidc-webhook-probe'

function accepts(run: () => unknown): boolean {
  try {
    return run() === true
  } catch {
    return false
  }
}

function userAccepted(rule: CompiledUserValidationRule, user: CelUserInput): boolean {
  return accepts(() => rule.expression.evaluate(toUserActivation(user)))
}

/** Ordinary values to try as the baseline: the mapping's own, and ones built from the rule's literals. */
function candidates(shape: StringShape, literals: readonly string[]): string[] {
  const own = shape.exact ? [shape.prefix] : [`${shape.prefix}${PROBE_NAME}`]
  const fromRule = literals.flatMap((l) => [`${l}${PROBE_NAME}`, l])
  return [...own, ...fromRule].filter((v) => !v.startsWith('system:'))
}

function stringLiterals(node: SyntaxNode | undefined): string[] {
  if (node === undefined) return []
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? [node.value] : []
    case 'select':
      return stringLiterals(node.operand)
    case 'index':
      return [...stringLiterals(node.operand), ...stringLiterals(node.index)]
    case 'call':
      return [...stringLiterals(node.target), ...node.args.flatMap(stringLiterals)]
    case 'operator':
      return node.args.flatMap(stringLiterals)
    case 'list':
      return node.elements.flatMap(stringLiterals)
    default:
      return []
  }
}

function ruleLiterals(expression: string, kind: 'claims' | 'user'): string[] {
  return stringLiterals(parseSyntaxTree(expression, kind))
}

/** Baseline users every rule accepts, built from the mappings' shapes. */
function baselineUsers(
  rules: readonly CompiledUserValidationRule[],
  username: StringShape,
  groups: StringShape | undefined,
): CelUserInput[] {
  const literals = rules.flatMap((r) => ruleLiterals(r.expression.expression, 'user'))
  const names = candidates(username, literals)
  const groupSets: string[][] = [[]]
  if (groups !== undefined) groupSets.push(...candidates(groups, literals).map((g) => [g]))
  return names.flatMap((username) => groupSets.map((g) => ({ username, uid: '', groups: g })))
}

/**
 * Whether some user the rules all accept (a baseline) is refused by at least one
 * rule in every variant `probes` makes of it.
 */
function rulesRefuseEveryProbe(
  rules: readonly CompiledUserValidationRule[],
  username: StringShape,
  groups: StringShape | undefined,
  probes: (base: CelUserInput) => CelUserInput[],
): boolean {
  if (rules.length === 0) return false
  return baselineUsers(rules, username, groups).some(
    (base) =>
      rules.every((r) => userAccepted(r, base)) &&
      probes(base).every((probe) => rules.some((r) => !userAccepted(r, probe))),
  )
}

/**
 * Whether userValidationRules refuse every `system:` username: some user they
 * all accept is refused once its username is any of the probes.
 */
export function userRulesExcludeSystemUsernames(
  rules: readonly CompiledUserValidationRule[],
  username: StringShape,
  groups: StringShape | undefined,
): boolean {
  return rulesRefuseEveryProbe(rules, username, groups, (base) =>
    SYSTEM_USERNAME_PROBES.map((name) => ({ ...base, username: name })),
  )
}

/** Whether userValidationRules refuse every user holding a `system:` group. */
export function userRulesExcludeSystemGroups(
  rules: readonly CompiledUserValidationRule[],
  username: StringShape,
  groups: StringShape | undefined,
): boolean {
  return rulesRefuseEveryProbe(rules, username, groups, (base) =>
    SYSTEM_GROUP_PROBES.map((group) => ({ ...base, groups: [...(base.groups ?? []), group] })),
  )
}

/**
 * Whether some claimValidationRule refuses every token whose `claim` holds a
 * `system:` value while accepting one with an ordinary value: as a string
 * (a username claim) or in a list of strings (a groups claim).
 */
export function claimRulesExcludeSystemValues(
  rules: readonly CompiledClaimValidationRule[],
  claim: string,
  form: 'string' | 'list',
): boolean {
  const probes = form === 'string' ? SYSTEM_USERNAME_PROBES : SYSTEM_GROUP_PROBES
  return rules.some((rule) => {
    if (rule.kind !== 'expression') return false
    const run = (value: string | string[]) => () =>
      rule.expression.evaluate(toClaimsActivation({ [claim]: value }))
    const literals = ruleLiterals(rule.expression.expression, 'claims')
    const baselines = candidates({ prefix: '', exact: false, excludes: [] }, literals)
    return baselines.some((base) =>
      form === 'string'
        ? accepts(run(base)) && probes.every((p) => !accepts(run(p)))
        : accepts(run([base])) && probes.every((p) => !accepts(run([base, p]))),
    )
  })
}
