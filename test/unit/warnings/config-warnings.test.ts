/** A table of configs and the warnings each gives (code and field path), and configs that give none. */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import type { CompiledConfig } from '../../../src/config/compiled.js'
import { configWarnings } from '../../../src/warnings/config-warnings.js'
import { formatWarning, WARNING_CODES } from '../../../src/warnings/warning.js'

function compile(jwt: string): CompiledConfig {
  const text = `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n${jwt}`
  const result = parseAuthenticationConfig(text)
  if (!result.ok) throw new Error(result.errors.join('\n'))
  return result.config
}

/** One jwt entry in YAML flow style; `rest` is more of its keys (already indented). */
function entry(url: string, audience: string, mappings: string, rest = ''): string {
  return `- issuer: {url: "${url}", audiences: ["${audience}"]}\n  claimMappings: ${mappings}\n${rest}`
}

const NO_SYSTEM_USERS = `  userValidationRules:\n  - expression: "!user.username.startsWith('system:')"\n`
const NO_SYSTEM_GROUPS = `  userValidationRules:\n  - expression: "user.groups.all(g, !g.startsWith('system:'))"\n`
const PREFIXED = `{username: {claim: sub, prefix: "a:"}}`

const cases: Array<{ name: string; jwt: string; want: Array<[string, string]> }> = [
  {
    name: 'one prefixed issuer: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: "a:"}}`,
    ),
    want: [],
  },
  {
    name: 'unprefixed username claim: system prefix',
    jwt: entry('https://a.example.com', 'k', `{username: {claim: sub, prefix: ""}}`),
    want: [['WARN_USERNAME_SYSTEM_PREFIX', 'jwt[0].claimMappings.username']],
  },
  {
    name: 'unprefixed username claim refused by a user rule: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: ""}}`,
      NO_SYSTEM_USERS,
    ),
    want: [],
  },
  {
    name: 'a user rule that only refuses system:admin still warns',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: ""}}`,
      `  userValidationRules:\n  - expression: "user.username != 'system:admin'"\n`,
    ),
    want: [['WARN_USERNAME_SYSTEM_PREFIX', 'jwt[0].claimMappings.username']],
  },
  {
    name: 'a user rule requiring a prefix refuses system names: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {expression: "claims.sub"}}`,
      `  userValidationRules:\n  - expression: "user.username.startsWith('acme-')"\n`,
    ),
    want: [],
  },
  {
    name: 'unprefixed username claim held to a literal start by a claim rule: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: ""}}`,
      `  claimValidationRules:\n  - {expression: "claims.sub.startsWith('spiffe://example.org/')", message: other trust domain}\n`,
    ),
    want: [],
  },
  {
    name: 'groups from two claims, a claim rule guarding only one: groups system prefix',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {expression: "claims.groups + claims.roles"}}`,
      `  claimValidationRules:\n  - {expression: "dyn(claims.groups).all(g, !g.startsWith('system:'))", message: reserved}\n`,
    ),
    want: [['WARN_GROUPS_SYSTEM_PREFIX', 'jwt[0].claimMappings.groups']],
  },
  {
    name: 'unprefixed email claim cannot be a system name: none',
    jwt: entry('https://a.example.com', 'k', `{username: {claim: email, prefix: ""}}`),
    want: [],
  },
  {
    name: 'username expression with a literal prefix: none',
    jwt: entry('https://a.example.com', 'k', `{username: {expression: "'a:' + claims.sub"}}`),
    want: [],
  },
  {
    name: 'username expression without a known prefix: system prefix',
    jwt: entry('https://a.example.com', 'k', `{username: {expression: "claims.sub.lowerAscii()"}}`),
    want: [['WARN_USERNAME_SYSTEM_PREFIX', 'jwt[0].claimMappings.username']],
  },
  {
    name: 'username expression whose branches share no prefix: system prefix',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {expression: "has(claims.x) ? 'a:' + claims.sub : claims.sub"}}`,
    ),
    want: [['WARN_USERNAME_SYSTEM_PREFIX', 'jwt[0].claimMappings.username']],
  },
  {
    name: 'unprefixed groups claim: groups system prefix',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: ""}}`,
    ),
    want: [['WARN_GROUPS_SYSTEM_PREFIX', 'jwt[0].claimMappings.groups']],
  },
  {
    name: 'unprefixed groups refused by a user rule: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: ""}}`,
      NO_SYSTEM_GROUPS,
    ),
    want: [],
  },
  {
    name: 'unprefixed groups refused by a claim rule on the groups claim: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {claim: roles, prefix: ""}}`,
      `  claimValidationRules:\n  - {expression: "dyn(claims.roles).all(r, !r.startsWith('system:'))", message: reserved}\n`,
    ),
    want: [],
  },
  {
    name: 'a user rule refusing only system:masters still warns',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: ""}}`,
      `  userValidationRules:\n  - expression: "!('system:masters' in user.groups)"\n`,
    ),
    want: [['WARN_GROUPS_SYSTEM_PREFIX', 'jwt[0].claimMappings.groups']],
  },
  {
    name: 'groups expression mapping each group under a prefix: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {expression: "dyn(claims.groups).map(g, 'a:' + g)"}}`,
    ),
    want: [],
  },
  {
    name: 'groups expression filtering system groups out: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {expression: "dyn(claims.groups).filter(g, !g.startsWith('system:'))"}}`,
    ),
    want: [],
  },
  {
    name: 'groups expression passing the claim through: groups system prefix',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {claim: sub, prefix: "a:"}, groups: {expression: "claims.groups"}}`,
    ),
    want: [['WARN_GROUPS_SYSTEM_PREFIX', 'jwt[0].claimMappings.groups']],
  },
  {
    name: 'two issuers with the same username prefix: overlap naming both',
    jwt:
      entry('https://a.example.com', 'ka', PREFIXED) +
      entry('https://b.example.com', 'kb', PREFIXED),
    want: [['WARN_USERNAME_OVERLAP', 'jwt[1].claimMappings.username']],
  },
  {
    name: 'one prefix extends the other: overlap',
    jwt:
      entry('https://a.example.com', 'ka', `{username: {claim: sub, prefix: "corp:"}}`) +
      entry('https://b.example.com', 'kb', `{username: {expression: "'corp:eu:' + claims.sub"}}`),
    want: [['WARN_USERNAME_OVERLAP', 'jwt[1].claimMappings.username']],
  },
  {
    name: 'two unprefixed issuers guarded against system names: overlap only',
    jwt:
      entry(
        'https://a.example.com',
        'ka',
        `{username: {claim: sub, prefix: ""}}`,
        NO_SYSTEM_USERS,
      ) +
      entry('https://b.example.com', 'kb', `{username: {claim: sub, prefix: ""}}`, NO_SYSTEM_USERS),
    want: [['WARN_USERNAME_OVERLAP', 'jwt[1].claimMappings.username']],
  },
  {
    name: 'distinct prefixes on claims and expressions: none',
    jwt:
      entry(
        'https://a.example.com',
        'ka',
        `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: "a:"}}`,
      ) +
      entry(
        'https://b.example.com',
        'kb',
        `{username: {expression: "'b:' + claims.sub"}, groups: {expression: "dyn(claims.groups).map(g, 'b:' + g)"}}`,
      ),
    want: [],
  },
  {
    name: 'same group prefix on two issuers: groups overlap',
    jwt:
      entry(
        'https://a.example.com',
        'ka',
        `{username: {claim: sub, prefix: "a:"}, groups: {claim: groups, prefix: "g:"}}`,
      ) +
      entry(
        'https://b.example.com',
        'kb',
        `{username: {claim: sub, prefix: "b:"}, groups: {expression: "dyn(claims.groups).map(g, 'g:' + g)"}}`,
      ),
    want: [['WARN_GROUPS_OVERLAP', 'jwt[1].claimMappings.groups']],
  },
  {
    name: 'same audience from two issuers: audience shared',
    jwt:
      entry('https://a.example.com', 'kubernetes', `{username: {claim: sub, prefix: "a:"}}`) +
      entry('https://b.example.com', 'kubernetes', `{username: {claim: sub, prefix: "b:"}}`),
    want: [['WARN_AUDIENCE_SHARED', 'jwt[1].issuer.audiences[0]']],
  },
  {
    name: 'GitHub Actions without a pinning rule',
    jwt: entry(
      'https://token.actions.githubusercontent.com',
      'k',
      `{username: {claim: sub, prefix: "gh:"}}`,
    ),
    want: [['WARN_CI_ISSUER_UNPINNED', 'jwt[0].claimValidationRules']],
  },
  {
    name: 'GitHub Actions pinned by repository_owner_id: none',
    jwt: entry(
      'https://token.actions.githubusercontent.com',
      'k',
      `{username: {claim: sub, prefix: "gh:"}}`,
      `  claimValidationRules:\n  - {claim: repository_owner_id, requiredValue: "123"}\n`,
    ),
    want: [],
  },
  {
    name: 'GitHub Actions pinned by an expression on repository: none',
    jwt: entry(
      'https://token.actions.githubusercontent.com',
      'k',
      `{username: {claim: sub, prefix: "gh:"}}`,
      `  claimValidationRules:\n  - {expression: "claims.ref == 'refs/heads/main' && claims.repository in ['acme/app', 'acme/ops']", message: not ours}\n`,
    ),
    want: [],
  },
  {
    name: 'GitHub Actions with rules that pin nothing',
    jwt: entry(
      'https://token.actions.githubusercontent.com',
      'k',
      `{username: {claim: sub, prefix: "gh:"}}`,
      `  claimValidationRules:\n  - {claim: ref, requiredValue: refs/heads/main}\n  - {expression: "claims.sub.startsWith('repo:')", message: m1}\n  - {expression: "claims.repository_owner != 'evil' || claims.repository == 'acme/app'", message: m2}\n  - {expression: "claims.?repository_owner.orValue('acme') == 'acme'", message: m3}\n`,
    ),
    want: [['WARN_CI_ISSUER_UNPINNED', 'jwt[0].claimValidationRules']],
  },
  {
    name: 'GitHub Actions pinned by a sub prefix naming the repository: none',
    jwt: entry(
      'https://token.actions.githubusercontent.com',
      'k',
      `{username: {claim: sub, prefix: "gh:"}}`,
      `  claimValidationRules:\n  - {expression: "claims.sub.startsWith('repo:acme/app:')", message: x}\n`,
    ),
    want: [],
  },
  {
    name: 'GitLab.com without a pinning rule',
    jwt: entry('https://gitlab.com', 'k', `{username: {claim: sub, prefix: "gl:"}}`),
    want: [['WARN_CI_ISSUER_UNPINNED', 'jwt[0].claimValidationRules']],
  },
  {
    name: 'Buildkite without a pinning rule',
    jwt: entry('https://agent.buildkite.com', 'k', `{username: {claim: sub, prefix: "bk:"}}`),
    want: [['WARN_CI_ISSUER_UNPINNED', 'jwt[0].claimValidationRules']],
  },
  {
    name: 'CircleCI organization issuer without a project pin',
    jwt: entry(
      'https://oidc.circleci.com/org/0b5c4a3e-0000-4000-8000-000000000000',
      'k',
      `{username: {claim: sub, prefix: "cci:"}}`,
    ),
    want: [['WARN_CI_ISSUER_UNPINNED', 'jwt[0].claimValidationRules']],
  },
  {
    name: 'Bitbucket Pipelines workspace issuer pinned to a repository: none',
    jwt: entry(
      'https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
      'k',
      `{username: {claim: sub, prefix: "bb:"}}`,
      `  claimValidationRules:\n  - {claim: repositoryUuid, requiredValue: "{00000000-0000-4000-8000-000000000000}"}\n`,
    ),
    want: [],
  },
  {
    name: "'x' in claims in a claim rule",
    jwt: entry(
      'https://a.example.com',
      'k',
      PREFIXED,
      `  claimValidationRules:\n  - {claim: hd, requiredValue: x}\n  - {expression: "'jti' in claims"}\n`,
    ),
    want: [['WARN_CLAIMS_MAP_OPERATION', 'jwt[0].claimValidationRules[1].expression']],
  },
  {
    name: 'size(claims) and dyn(claims).size() in mappings',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {expression: "size(claims) > 2 ? 'a:' + claims.sub : 'a:x'"}, uid: {expression: "string(dyn(claims).size())"}, extra: [{key: "example.com/k", valueExpression: "'k' in dyn(claims) ? 'y' : 'n'"}]}`,
    ),
    want: [
      ['WARN_CLAIMS_MAP_OPERATION', 'jwt[0].claimMappings.username.expression'],
      ['WARN_CLAIMS_MAP_OPERATION', 'jwt[0].claimMappings.uid.expression'],
      ['WARN_CLAIMS_MAP_OPERATION', 'jwt[0].claimMappings.extra[0].valueExpression'],
    ],
  },
  {
    name: 'in and size on nested objects, has() and optional index on claims: none',
    jwt: entry(
      'https://a.example.com',
      'k',
      `{username: {expression: "'a:' + claims.sub"}, groups: {expression: "'g' in claims.nested && size(claims.nested) > 0 && has(claims.x) && claims[?'y'].hasValue() ? ['a:g'] : []"}}`,
    ),
    want: [],
  },
]

describe('configWarnings', () => {
  it.each(cases)('$name', ({ jwt, want }) => {
    const got = configWarnings(compile(jwt)).map((w) => [w.code, w.path])
    expect(got).toEqual(want)
  })

  it('names both entries in an overlap, and says why and how to fix it', () => {
    const config = compile(
      entry('https://a.example.com', 'ka', PREFIXED) +
        entry('https://b.example.com', 'kb', PREFIXED),
    )
    expect(configWarnings(config).map(formatWarning)).toEqual([
      'Warning: jwt[1].claimMappings.username: can produce the same usernames as jwt[0].claimMappings.username (prefix "a:" here, prefix "a:" there), so a user of one issuer can become a user of the other and get their RBAC bindings. Fix: give each issuer its own prefix, neither a prefix of the other (such as "corp:" and "github:"). [WARN_USERNAME_OVERLAP]',
    ])
  })

  it('warns once per inert field it is given', () => {
    const config = compile(entry('https://a.example.com', 'k', PREFIXED))
    const got = configWarnings(config, ['anonymous', 'jwt[0].issuer.egressSelectorType'])
    expect(got.map((w) => [w.code, w.path])).toEqual([
      ['WARN_ANONYMOUS_NO_EFFECT', 'anonymous'],
      ['WARN_EGRESS_SELECTOR_NO_EFFECT', 'jwt[0].issuer.egressSelectorType'],
    ])
  })

  it('every code has a distinct name', () => {
    expect(new Set(WARNING_CODES).size).toBe(WARNING_CODES.length)
  })
})

describe('shipped guide configs give no warnings', () => {
  const dir = join(process.cwd(), 'docs/guides')
  const files = readdirSync(dir).filter((f) => f.endsWith('.authentication-config.yaml'))

  it.each(files)('%s', (file) => {
    const result = parseAuthenticationConfig(readFileSync(join(dir, file), 'utf8'))
    if (!result.ok) throw new Error(result.errors.join('\n'))
    expect(configWarnings(result.config).map(formatWarning)).toEqual([])
  })
})
