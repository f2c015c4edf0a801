/**
 * The two CEL environments of structured authentication, built once at module load
 * (k8s.io/apiserver/pkg/authentication/cel/compile.go `mustBuildEnvs`):
 * `claims` for claim validation rules and mappings, and
 * `user` (kubernetes.UserInfo) for user validation rules.
 */
import { Environment } from '@marcbachmann/cel-js'
import type { CelEnvironmentKind } from './types.js'
import { CelUserInfo } from './activation.js'
import { formatDouble } from '../go/format-double.js'
import { INTERNAL_PREFIX } from './rename.js'
import { registerCIDR } from './library/cidr.js'
import { registerComprehensions } from './library/comprehensions.js'
import { registerConversions as registerNumericConversions } from './library/conversions.js'
import { registerFormat } from './library/format.js'
import { registerIP, registerNetTypeNames } from './library/ip.js'
import { registerKubernetesTypeNames } from './library/kubernetes-type-names.js'
import { registerLists } from './library/lists.js'
import { registerOptionalElements } from './library/optional-elements.js'
import { registerOptionalExtras } from './library/optional-extras.js'
import { registerQuantity } from './library/quantity.js'
import { registerRegex } from './library/regex.js'
import { registerSemver } from './library/semver.js'
import { registerSets } from './library/sets.js'
import { registerSortBy } from './library/sort-by.js'
import { registerStrings } from './library/strings.js'
import { registerTime } from './library/time.js'
import { formatDuration, formatTimestamp } from './library/time-values.js'
import { registerURL } from './library/url.js'

/** Parse-time bounds; generous for hand-written expressions, small enough to stay cheap. */
const LIMITS = {
  maxAstNodes: 10_000,
  maxDepth: 250,
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  maxCallArguments: 32,
} as const

function registerConversions(env: Environment): void {
  // cel-go `string()` overloads; `string(double)` uses Go's %g-style formatting.
  const s = `${INTERNAL_PREFIX}string`
  env
    .registerFunction(`${s}(string): string`, (v: string) => v)
    .registerFunction(`${s}(bool): string`, (v: boolean) => String(v))
    .registerFunction(`${s}(int): string`, (v: bigint) => String(v))
    .registerFunction(`${s}(uint): string`, (v: { valueOf(): bigint }) => String(v.valueOf()))
    .registerFunction(`${s}(double): string`, formatDouble)
    .registerFunction(`${s}(bytes): string`, (v: Uint8Array) => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(v)
      } catch {
        throw new Error('invalid UTF-8 in bytes, cannot convert to string')
      }
    })
    .registerFunction(`${s}(google.protobuf.Timestamp): string`, formatTimestamp)
    .registerFunction(`${s}(google.protobuf.Duration): string`, formatDuration)
}

function base(): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    // Homogeneity is checked by compile.ts with cel-go's validator over cel-go's types
    // (checker/homogeneous-literals.ts).
    homogeneousAggregateLiterals: false,
    limits: LIMITS,
  })
  registerConversions(env)
  registerNumericConversions(env)
  registerTime(env)
  registerStrings(env)
  registerSets(env)
  registerLists(env)
  registerRegex(env)
  registerURL(env)
  registerIP(env)
  registerCIDR(env)
  registerNetTypeNames(env)
  registerComprehensions(env)
  registerSortBy(env)
  registerQuantity(env)
  registerFormat(env)
  registerSemver(env)
  registerOptionalElements(env)
  registerOptionalExtras(env)
  registerKubernetesTypeNames(env)
  return env
}

// Kubernetes declares `claims` as map(string, any); cel-js has no `any`, so it sees
// map(string, dyn) and checker/infer.ts applies what cel-go's checker does with `any`.
const claimsEnvironment = base().registerVariable('claims', 'map<string, dyn>')

const userEnvironment = base()
  .registerType('kubernetes.UserInfo', {
    ctor: CelUserInfo,
    fields: {
      username: 'string',
      uid: 'string',
      groups: 'list<string>',
      extra: 'map<string, list<string>>',
    },
  })
  .registerVariable('user', 'kubernetes.UserInfo')

/** The shared environment for one variable kind. */
export function celEnvironment(kind: CelEnvironmentKind): Environment {
  return kind === 'claims' ? claimsEnvironment : userEnvironment
}
