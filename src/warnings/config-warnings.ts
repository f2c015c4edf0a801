/**
 * Every warning about a valid, compiled AuthenticationConfiguration, in file
 * order: inert fields first, then each `jwt[i]` (its own risks, then what it
 * shares with an earlier entry). Pure: the same config gives the same list,
 * which `validate` prints and `serve` logs at each load.
 */
import { parseSyntaxTree } from '../cel/syntax-tree.js'
import type {
  CompiledConfig,
  CompiledJWTAuthenticator,
  CompiledPrefixedMapping,
} from '../config/compiled.js'
import { knownCiIssuer } from './ci-issuers.js'
import { claimsMapOperationWarnings } from './claims-map-operations.js'
import { rulesPin } from './ci-pinning.js'
import { claimAccessed, referencedClaims } from './claim-references.js'
import { inertFieldWarning } from './inert-fields.js'
import { describeShape, mappingShape } from './mapping-shape.js'
import {
  claimRulesExcludeSystemValues,
  userRulesExcludeSystemGroups,
  userRulesExcludeSystemUsernames,
} from './rule-probes.js'
import { canStartWith, overlaps, type StringShape } from './string-shape.js'
import type { ConfigWarning } from './warning.js'

interface EntryShapes {
  readonly entry: CompiledJWTAuthenticator
  readonly path: string
  readonly username: StringShape
  readonly groups: StringShape | undefined
}

/**
 * @param inertFields paths of fields present without effect (`anonymous`,
 *   `jwt[i].issuer.egressSelectorType`); by default the compiled config's own list.
 */
export function configWarnings(
  config: CompiledConfig,
  inertFields: readonly string[] = config.inertFields,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = []
  if (inertFields.includes('anonymous')) warnings.push(inertFieldWarning('anonymous')!)
  const seen: EntryShapes[] = []
  const audiences = new Map<string, string>()
  for (const entry of config.jwt) {
    const path = `jwt[${entry.index}]`
    const egress = `${path}.issuer.egressSelectorType`
    if (inertFields.includes(egress)) warnings.push(inertFieldWarning(egress)!)
    const { username, groups } = entry.claimMappings
    const shapes: EntryShapes = {
      entry,
      path,
      username: mappingShape(username),
      groups: groups === undefined ? undefined : mappingShape(groups),
    }
    warnings.push(...claimsMapOperationWarnings(entry.source, path))
    warnings.push(...ciWarnings(entry, path))
    warnings.push(...systemPrefixWarnings(shapes))
    warnings.push(...audienceWarnings(entry, path, audiences))
    for (const earlier of seen) warnings.push(...overlapWarnings(earlier, shapes))
    seen.push(shapes)
  }
  return warnings
}

function ciWarnings(entry: CompiledJWTAuthenticator, path: string): ConfigWarning[] {
  const ci = knownCiIssuer(entry.issuer.url)
  if (ci === undefined || rulesPin(entry.claimValidationRules, ci)) return []
  const who =
    ci.audience === 'anyone'
      ? `every job of every ${ci.name} user`
      : `every job of the organization in the issuer URL`
  return [
    {
      code: 'WARN_CI_ISSUER_UNPINNED',
      path: `${path}.claimValidationRules`,
      why: `${entry.issuer.url} is ${ci.name}, which issues tokens to ${who}, and no rule pins the owner, project or repository, so all of them authenticate.`,
      fix: `add a rule requiring one of ${ci.pinClaims.join(', ')} (claim and requiredValue, or an expression comparing it with ==).`,
    },
  ]
}

function systemPrefixWarnings(s: EntryShapes): ConfigWarning[] {
  const { entry, path } = s
  const warnings: ConfigWarning[] = []
  const usernameClaim = passedThroughClaim(entry.claimMappings.username)
  if (
    canStartWith(s.username, 'system:') &&
    !userRulesExcludeSystemUsernames(entry.userValidationRules, s.username, s.groups) &&
    !(
      usernameClaim !== undefined &&
      claimRulesExcludeSystemValues(entry.claimValidationRules, usernameClaim, 'string')
    )
  ) {
    warnings.push({
      code: 'WARN_USERNAME_SYSTEM_PREFIX',
      path: `${path}.claimMappings.username`,
      why: `the mapping (${describeShape(s.username)}) can produce names starting with "system:", which Kubernetes reserves for its own components (system:kube-controller-manager, system:node:...), and no userValidationRules entry refuses them.`,
      fix: `give the mapping a prefix (such as "oidc:"), or add the userValidationRules expression "!user.username.startsWith('system:')".`,
    })
  }
  const groups = entry.claimMappings.groups
  if (
    groups !== undefined &&
    s.groups !== undefined &&
    canStartWith(s.groups, 'system:') &&
    !userRulesExcludeSystemGroups(entry.userValidationRules, s.username, s.groups) &&
    !claimRulesExcludeAll(entry, groupClaims(groups))
  ) {
    warnings.push({
      code: 'WARN_GROUPS_SYSTEM_PREFIX',
      path: `${path}.claimMappings.groups`,
      why: `the mapping (${describeShape(s.groups)}) can produce groups starting with "system:", so whoever controls the claim can put a user in system:masters (cluster-admin), and no rule refuses such groups.`,
      fix: `give the mapping a prefix (such as "oidc:"), or add the userValidationRules expression "user.groups.all(g, !g.startsWith('system:'))".`,
    })
  }
  return warnings
}

/** Every claim the groups come from has a claim rule refusing `system:` values in it. */
function claimRulesExcludeAll(entry: CompiledJWTAuthenticator, claims: readonly string[]): boolean {
  return (
    claims.length > 0 &&
    claims.every((claim) =>
      claimRulesExcludeSystemValues(entry.claimValidationRules, claim, 'list'),
    )
  )
}

/** The claim a username mapping passes on unchanged: `claim: x, prefix: ""`, or `claims.x`. */
function passedThroughClaim(mapping: CompiledPrefixedMapping): string | undefined {
  if (mapping.kind === 'claim') return mapping.prefix === '' ? mapping.claim : undefined
  const root = parseSyntaxTree(mapping.expression.expression, 'claims')
  return root === undefined ? undefined : claimAccessed(root)
}

function groupClaims(groups: NonNullable<CompiledJWTAuthenticator['claimMappings']['groups']>) {
  return groups.kind === 'claim' ? [groups.claim] : referencedClaims(groups.expression.expression)
}

function audienceWarnings(
  entry: CompiledJWTAuthenticator,
  path: string,
  seen: Map<string, string>,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = []
  entry.issuer.audiences.forEach((audience, k) => {
    const here = `${path}.issuer.audiences[${k}]`
    const first = seen.get(audience)
    if (first === undefined) {
      seen.set(audience, here)
      return
    }
    if (first.startsWith(`${path}.`)) return
    warnings.push({
      code: 'WARN_AUDIENCE_SHARED',
      path: here,
      why: `the audience ${JSON.stringify(audience)} is also accepted from ${first}; an audience names the one service a token is for, and one shared by several issuers is a generic value that tokens minted for other clusters or services carry too.`,
      fix: `give each issuer an audience unique to this cluster and that issuer (for example "https://<cluster>/<issuer name>").`,
    })
  })
  return warnings
}

function overlapWarnings(earlier: EntryShapes, later: EntryShapes): ConfigWarning[] {
  const warnings: ConfigWarning[] = []
  if (overlaps(earlier.username, later.username)) {
    warnings.push({
      code: 'WARN_USERNAME_OVERLAP',
      path: `${later.path}.claimMappings.username`,
      why: `can produce the same usernames as ${earlier.path}.claimMappings.username (${describeShape(later.username)} here, ${describeShape(earlier.username)} there), so a user of one issuer can become a user of the other and get their RBAC bindings.`,
      fix: `give each issuer its own prefix, neither a prefix of the other (such as "corp:" and "github:").`,
    })
  }
  if (
    earlier.groups !== undefined &&
    later.groups !== undefined &&
    overlaps(earlier.groups, later.groups)
  ) {
    warnings.push({
      code: 'WARN_GROUPS_OVERLAP',
      path: `${later.path}.claimMappings.groups`,
      why: `can produce the same groups as ${earlier.path}.claimMappings.groups (${describeShape(later.groups)} here, ${describeShape(earlier.groups)} there), so one issuer can put its users in groups that RBAC grants to the other's.`,
      fix: `give each issuer its own group prefix, neither a prefix of the other.`,
    })
  }
  return warnings
}
