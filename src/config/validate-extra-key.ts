/**
 * `claimMappings.extra[k].key` checks: apimachinery's IsDomainPrefixedPath and
 * IsDNS1123Subdomain (util/validation), then validation.go's lowercase and
 * reserved-domain rules. Messages and regex texts are apimachinery's.
 */
import { invalid, required } from './field-error.js'
import type { FieldError } from './field-error.js'

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`)
const DNS1123_SUBDOMAIN_MAX = 253
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`)

/** apimachinery validation.IsDNS1123Subdomain: the list of problems with a value. */
export function isDNS1123Subdomain(value: string): string[] {
  const problems: string[] = []
  if (Buffer.byteLength(value, 'utf8') > DNS1123_SUBDOMAIN_MAX) {
    problems.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`)
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(
      `${DNS1123_SUBDOMAIN_MESSAGE} (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN_FMT}')`,
    )
  }
  return problems
}

/** apimachinery validation.IsDomainPrefixedPath. */
export function isDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value === '') return [required(path)]
  const slash = value.indexOf('/')
  const host = slash < 0 ? '' : value.slice(0, slash)
  const rest = slash < 0 ? '' : value.slice(slash + 1)
  if (slash < 0 || host === '' || rest === '') {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
  }
  const errors = isDNS1123Subdomain(host).map((problem) => invalid(path, host, problem))
  if (!HTTP_PATH.test(rest)) {
    errors.push(
      invalid(path, rest, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`),
    )
  }
  return errors
}

/** Every error for one extra key except the duplicate check (the caller tracks those). */
export function validateExtraKey(path: string, key: string): FieldError[] {
  const errors = isDomainPrefixedPath(path, key)
  if (key !== key.toLowerCase()) errors.push(invalid(path, key, 'must be lowercase'))
  if (isKubernetesDomainPrefix(key)) {
    errors.push(
      invalid(
        path,
        key,
        'k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
      ),
    )
  }
  return errors
}

function isKubernetesDomainPrefix(key: string): boolean {
  const slash = key.indexOf('/')
  if (slash < 0) return false
  const domain = key.slice(0, slash)
  return ['kubernetes.io', 'k8s.io'].some(
    (reserved) => domain === reserved || domain.endsWith(`.${reserved}`),
  )
}
