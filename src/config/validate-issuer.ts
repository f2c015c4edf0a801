/**
 * `jwt[i].issuer` checks, in the order and wording of kube-apiserver's
 * validation.go (validateIssuer, validateIssuerURL, validateIssuerDiscoveryURL,
 * validateURL, validateAudiences, validateCertificateAuthority,
 * validateEgressSelector).
 */
import { checkCertificateAuthority } from './certificate-authority.js'
import type { CompiledIssuer } from './compiled.js'
import { duplicate, invalid, required } from './field-error.js'
import type { FieldError } from './field-error.js'
import { parseGoURL } from '../go/url.js'
import { redactURL, redactURLsIn } from '../go/redact-url.js'
import type { Issuer } from './types.js'

const WELL_KNOWN = '/.well-known/openid-configuration'

/** Validates one issuer; `compiled` is set only when there are no errors. */
export function validateIssuer(
  issuer: Issuer,
  path: string,
  disallowedIssuers: DisallowedIssuers = NO_DISALLOWED_ISSUERS,
): { errors: FieldError[]; compiled?: CompiledIssuer } {
  const url = issuer.url ?? ''
  const discoveryURL = issuer.discoveryURL ?? ''
  const audiences = issuer.audiences ?? []
  const policy = issuer.audienceMatchPolicy ?? ''
  const errors = [
    ...validateIssuerURL(url, `${path}.url`, disallowedIssuers),
    ...validateDiscoveryURL(url, discoveryURL, `${path}.discoveryURL`),
    ...validateAudiences(audiences, policy, `${path}.audiences`, `${path}.audienceMatchPolicy`),
    ...validateCertificateAuthority(
      issuer.certificateAuthority ?? '',
      `${path}.certificateAuthority`,
    ),
    ...validateEgressSelectorType(issuer.egressSelectorType ?? '', `${path}.egressSelectorType`),
  ]
  if (errors.length > 0) return { errors }
  const compiled: CompiledIssuer = {
    url,
    // go-oidc NewProvider: one trailing slash trimmed, then the well-known suffix.
    discoveryURL:
      discoveryURL !== ''
        ? discoveryURL
        : `${url.endsWith('/') ? url.slice(0, -1) : url}${WELL_KNOWN}`,
    discoveryURLExplicit: discoveryURL !== '',
    ...(issuer.certificateAuthority ? { certificateAuthority: issuer.certificateAuthority } : {}),
    audiences: [...audiences],
    audienceMatchPolicy: policy === 'MatchAny' ? 'MatchAny' : '',
  }
  return { errors, compiled }
}

/**
 * kube-apiserver's `--service-account-issuer` values: an issuer `url` equal to
 * one of them is refused, so service account tokens cannot be claimed by a JWT
 * authenticator. `text` is Go's `%s` of the sorted list.
 */
export interface DisallowedIssuers {
  readonly set: ReadonlySet<string>
  readonly text: string
}

export const NO_DISALLOWED_ISSUERS: DisallowedIssuers = { set: new Set(), text: '[]' }

export function disallowedIssuers(issuers: readonly string[]): DisallowedIssuers {
  const set = new Set(issuers)
  // Go's sets.List sorts by bytes.
  const sorted = [...set].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return { set, text: `[${sorted.map(redactURL).join(' ')}]` }
}

function validateIssuerURL(url: string, path: string, disallowed: DisallowedIssuers): FieldError[] {
  if (url === '') return [required(path)]
  const errors: FieldError[] = []
  // The discovery URL is not an issuer, so only `url` is held against the list.
  if (disallowed.set.has(url)) {
    errors.push(
      invalid(
        path,
        redactURL(url),
        `URL must not overlap with disallowed issuers: ${disallowed.text}`,
      ),
    )
  }
  return [...errors, ...validateURL(url, path)]
}

function validateDiscoveryURL(url: string, discoveryURL: string, path: string): FieldError[] {
  if (discoveryURL === '') return []
  const errors: FieldError[] = []
  if (url !== '' && trimRightSlashes(url) === trimRightSlashes(discoveryURL)) {
    errors.push(invalid(path, discoveryURL, 'discoveryURL must be different from URL'))
  }
  errors.push(...validateURL(discoveryURL, path))
  return errors
}

function trimRightSlashes(s: string): string {
  return s.replace(/\/+$/, '')
}

/**
 * validation.go validateURL after its disallowed-issuers check (see
 * validateIssuerURL). A password in the value is shown as `***` (kube-apiserver
 * prints it).
 */
export function validateURL(value: string, path: string): FieldError[] {
  const u = parseGoURL(value)
  const shown = redactURL(value)
  if (!u.ok) return [invalid(path, shown, redactURLsIn(u.error))]
  const errors: FieldError[] = []
  if (u.scheme !== 'https') errors.push(invalid(path, shown, 'URL scheme must be https'))
  if (u.hasUser) errors.push(invalid(path, shown, 'URL must not contain a username or password'))
  if (u.rawQuery.length > 0) errors.push(invalid(path, shown, 'URL must not contain a query'))
  if (u.fragment.length > 0) errors.push(invalid(path, shown, 'URL must not contain a fragment'))
  return errors
}

function validateAudiences(
  audiences: readonly string[],
  policy: string,
  path: string,
  policyPath: string,
): FieldError[] {
  if (audiences.length === 0) return [required(path, `at least one ${path} is required`)]
  const errors: FieldError[] = []
  const seen = new Set<string>()
  audiences.forEach((audience, i) => {
    if (audience === '') errors.push(required(`${path}[${i}]`))
    if (seen.has(audience)) errors.push(duplicate(`${path}[${i}]`, audience))
    seen.add(audience)
  })
  if (audiences.length > 1 && policy !== 'MatchAny') {
    errors.push(
      invalid(policyPath, policy, 'audienceMatchPolicy must be MatchAny for multiple audiences'),
    )
  }
  if (audiences.length === 1 && policy !== '' && policy !== 'MatchAny') {
    errors.push(
      invalid(
        policyPath,
        policy,
        'audienceMatchPolicy must be empty or MatchAny for single audience',
      ),
    )
  }
  return errors
}

function validateCertificateAuthority(pem: string, path: string): FieldError[] {
  if (pem === '') return []
  const problem = checkCertificateAuthority(pem)
  // The PEM is never echoed, as upstream.
  return problem === undefined ? [] : [invalid(path, '<omitted>', problem)]
}

const EGRESS_SELECTOR_TYPES: ReadonlySet<string> = new Set(['controlplane', 'cluster'])

/**
 * The egress selector picks one of kube-apiserver's own dialers; this webhook
 * reaches issuers through its pod's network, so a valid value has no effect.
 * Kubernetes' StructuredAuthenticationConfigurationEgressSelector gate is on by
 * default and cannot be turned off here, so its "feature gate is disabled" error
 * never arises.
 */
function validateEgressSelectorType(value: string, path: string): FieldError[] {
  if (value === '' || EGRESS_SELECTOR_TYPES.has(value)) return []
  return [invalid(path, value, 'egress selector must be either controlplane or cluster')]
}
