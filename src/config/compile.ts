/**
 * Validates and compiles a decoded AuthenticationConfiguration in one walk, as
 * kube-apiserver's ValidateAuthenticationConfiguration and
 * CompileAndValidateJWTAuthenticator do (pkg/apis/apiserver/validation/validation.go):
 * every field error is collected, in the apiserver's order, and a config with
 * any error yields no compiled form at all.
 */
import { createHash } from 'node:crypto'
import type { CompiledConfig, CompiledJWTAuthenticator } from './compiled.js'
import type { EmailClaimState } from './email-claim-state.js'
import { duplicate, tooMany } from './field-error.js'
import type { FieldError } from './field-error.js'
import type { AuthenticationConfiguration, JWTAuthenticator } from './types.js'
import { validateClaimMappings } from './validate-claim-mappings.js'
import { validateClaimValidationRules } from './validate-claim-validation-rules.js'
import { validateAnonymous } from './validate-anonymous.js'
import { disallowedIssuers, validateIssuer, type DisallowedIssuers } from './validate-issuer.js'
import { validateUserValidationRules } from './validate-user-validation-rules.js'

/** kube-apiserver accepts at most this many `jwt` entries (and zero is fine). */
export const MAX_JWT_AUTHENTICATORS = 64

export type ConfigCompileResult =
  { ok: true; config: CompiledConfig } | { ok: false; errors: readonly FieldError[] }

/** What kube-apiserver validates against besides the file itself. */
export interface CompileOptions {
  /** kube-apiserver's `--service-account-issuer` values: no `jwt[].issuer.url` may equal one. */
  readonly disallowedIssuers?: readonly string[]
}

/**
 * @param hash `sha256:<hex>` of the file content, carried into the result.
 */
export function compileAuthenticationConfiguration(
  config: AuthenticationConfiguration,
  hash: string,
  options: CompileOptions = {},
): ConfigCompileResult {
  const jwt = config.jwt ?? []
  if (jwt.length > MAX_JWT_AUTHENTICATORS) {
    return { ok: false, errors: [tooMany('jwt', jwt.length, MAX_JWT_AUTHENTICATORS)] }
  }
  const errors: FieldError[] = []
  const compiled: CompiledJWTAuthenticator[] = []
  const seenIssuers = new Set<string>()
  const seenDiscoveryURLs = new Set<string>()
  const inertFields: string[] = []
  const disallowed = disallowedIssuers(options.disallowedIssuers ?? [])
  jwt.forEach((entry, i) => {
    const path = `jwt[${i}]`
    const result = compileJWTAuthenticator(entry, i, disallowed)
    errors.push(...result.errors)
    if (result.compiled) compiled.push(result.compiled)
    const url = entry.issuer?.url ?? ''
    if (seenIssuers.has(url)) errors.push(duplicate(`${path}.issuer.url`, url))
    seenIssuers.add(url)
    const discoveryURL = entry.issuer?.discoveryURL ?? ''
    if (discoveryURL !== '') {
      if (seenDiscoveryURLs.has(discoveryURL))
        errors.push(duplicate(`${path}.issuer.discoveryURL`, discoveryURL))
      seenDiscoveryURLs.add(discoveryURL)
    }
    if ((entry.issuer?.egressSelectorType ?? '') !== '')
      inertFields.push(`${path}.issuer.egressSelectorType`)
  })
  if (config.anonymous !== undefined) {
    errors.push(...validateAnonymous(config.anonymous))
    inertFields.push('anonymous')
  }
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    config: deepFreeze({ apiVersion: config.apiVersion, jwt: compiled, hash, inertFields }),
  }
}

/**
 * One `jwt[i]` entry: issuer, claimValidationRules, claimMappings, userValidationRules
 * (validation.go validateJWTAuthenticator). Duplicate url/discoveryURL across
 * entries are the caller's.
 */
export function compileJWTAuthenticator(
  entry: JWTAuthenticator,
  index: number,
  disallowed?: DisallowedIssuers,
): { errors: FieldError[]; compiled?: CompiledJWTAuthenticator } {
  const path = `jwt[${index}]`
  const state: EmailClaimState = { usesEmailClaim: false, usesEmailVerifiedClaim: false }
  const issuer = validateIssuer(entry.issuer ?? {}, `${path}.issuer`, disallowed)
  const claimRules = validateClaimValidationRules(
    entry.claimValidationRules ?? [],
    `${path}.claimValidationRules`,
    state,
  )
  const mappings = validateClaimMappings(entry.claimMappings ?? {}, `${path}.claimMappings`, state)
  const userRules = validateUserValidationRules(
    entry.userValidationRules ?? [],
    `${path}.userValidationRules`,
  )
  const errors = [...issuer.errors, ...claimRules.errors, ...mappings.errors, ...userRules.errors]
  if (errors.length > 0 || !issuer.compiled || !mappings.compiled) return { errors }
  return {
    errors,
    compiled: {
      index,
      source: entry,
      fingerprint: sha256(canonicalJSON(entry)),
      issuerHash: sha256(issuer.compiled.url),
      issuer: issuer.compiled,
      claimValidationRules: claimRules.compiled,
      claimMappings: mappings.compiled,
      userValidationRules: userRules.compiled,
    },
  }
}

/** `sha256:<hex>`, the form of kube-apiserver's hash labels. */
export function sha256(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** JSON with object keys sorted at every level, so equal entries hash equally. */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * Freezes plain data (objects and arrays) all the way down. Class instances (the
 * compiled CEL programs) are left alone: they own their internals.
 */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value
  seen.add(value)
  // A compiled expression is an opaque program: its own fields freeze, its engine state does not.
  if (typeof (value as { evaluate?: unknown }).evaluate === 'function') {
    return isPlain(value) ? Object.freeze(value) : value
  }
  for (const key of Reflect.ownKeys(value)) {
    const child = (value as Record<string | symbol, unknown>)[key]
    if (child !== null && typeof child === 'object' && isPlain(child)) deepFreeze(child, seen)
  }
  return Object.freeze(value)
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === Array.prototype || proto === null
}
