/**
 * The two servers' configurations, equivalent by construction: the service
 * gets an AuthenticationConfiguration, the baseline the same issuers, keys,
 * audiences and prefixes as JSON.
 */
import type { BenchIssuer } from './mint.js'
import { AUDIENCE } from './mint.js'

export const USERNAME_PREFIX = 'oidc:'
export const GROUPS_PREFIX = 'oidc:'

/** What the baseline server reads at start (one JSON file). */
export interface BaselineConfig {
  readonly port: number
  readonly certPem: string
  readonly keyPem: string
  /** Result cache like the service's default: 10 s, 100k entries. */
  readonly cacheTtlMs: number
  readonly cacheMaxEntries: number
  readonly issuers: readonly {
    readonly url: string
    readonly audiences: readonly string[]
    readonly usernamePrefix: string
    readonly groupsPrefix: string
    readonly keys: readonly { readonly kid: string; readonly alg: string; readonly jwk: object }[]
  }[]
}

function yamlString(value: string): string {
  return JSON.stringify(value)
}

/** AuthenticationConfiguration (v1) for the first `count` issuers; usernames `oidc:<sub>`, groups `oidc:<group>`. */
export function serviceConfigYaml(
  issuers: readonly BenchIssuer[],
  count: number,
  discoveryURL: (issuer: BenchIssuer) => string,
  caPem: string,
): string {
  const ca = caPem
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')
  const entries = issuers
    .slice(0, count)
    .map((issuer) =>
      [
        '- issuer:',
        `    url: ${yamlString(issuer.url)}`,
        `    discoveryURL: ${yamlString(discoveryURL(issuer))}`,
        '    certificateAuthority: |',
        ca,
        `    audiences: [${yamlString(AUDIENCE)}]`,
        '  claimMappings:',
        `    username: {claim: sub, prefix: ${yamlString(USERNAME_PREFIX)}}`,
        `    groups: {claim: groups, prefix: ${yamlString(GROUPS_PREFIX)}}`,
      ].join('\n'),
    )
  return [
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: AuthenticationConfiguration',
    'jwt:',
    ...entries,
    '',
  ].join('\n')
}

export function baselineConfig(
  issuers: readonly BenchIssuer[],
  count: number,
  port: number,
  tls: { cert: string; key: string },
): BaselineConfig {
  return {
    port,
    certPem: tls.cert,
    keyPem: tls.key,
    cacheTtlMs: 10_000,
    cacheMaxEntries: 100_000,
    issuers: issuers.slice(0, count).map((issuer) => ({
      url: issuer.url,
      audiences: [AUDIENCE],
      usernamePrefix: USERNAME_PREFIX,
      groupsPrefix: GROUPS_PREFIX,
      keys: issuer.keys.map((k) => ({ kid: k.kid, alg: k.alg, jwk: k.publicJwk })),
    })),
  }
}

/** What the proxy phase's upstream and plain reverse proxy read at start. */
export interface ProxyBenchConfig {
  readonly port: number
  readonly certPem: string
  readonly keyPem: string
  /** The reverse proxy only: where the upstream listens, its CA, the token it sends. */
  readonly upstreamPort: number
  readonly caPem: string
  readonly upstreamToken: string
}
