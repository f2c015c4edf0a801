import { describe, expect, it } from '@jest/globals'
import { isDNS1123Subdomain, validateExtraKey } from '../../../src/config/validate-extra-key.js'

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const PATH = "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"

describe('validateExtraKey', () => {
  it.each([
    { key: 'example.org/foo', errors: [] },
    { key: 'example.org/a/b:c%20~', errors: [] },
    { key: 'notk8s.io/x', errors: [] },
    { key: '', errors: ['k: Required value'] },
    {
      key: 'foo',
      errors: ['k: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")'],
    },
    {
      key: '/foo',
      errors: ['k: Invalid value: "/foo": must be a domain-prefixed path (such as "acme.io/foo")'],
    },
    {
      key: 'example.org/',
      errors: [
        'k: Invalid value: "example.org/": must be a domain-prefixed path (such as "acme.io/foo")',
      ],
    },
    { key: '-a.org/x', errors: [`k: Invalid value: "-a.org": ${SUBDOMAIN}`] },
    { key: 'a.org/x y', errors: [`k: Invalid value: "x y": ${PATH}`] },
    { key: 'a.org/X', errors: ['k: Invalid value: "a.org/X": must be lowercase'] },
    {
      key: 'Example.org/x',
      errors: [
        `k: Invalid value: "Example.org": ${SUBDOMAIN}`,
        'k: Invalid value: "Example.org/x": must be lowercase',
      ],
    },
    {
      key: 'k8s.io/x',
      errors: [
        'k: Invalid value: "k8s.io/x": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
      ],
    },
    {
      key: 'a.kubernetes.io/x',
      errors: [
        'k: Invalid value: "a.kubernetes.io/x": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
      ],
    },
  ])('$key', ({ key, errors }) => {
    expect(validateExtraKey('k', key).map(String)).toEqual(errors)
  })

  it('a subdomain over 253 bytes gets both messages', () => {
    const long = `${'a'.repeat(63)}.`.repeat(4) + 'a'
    expect(long.length).toBe(257)
    expect(isDNS1123Subdomain(long)).toEqual(['must be no more than 253 characters'])
    expect(isDNS1123Subdomain(`${long}-`)).toEqual([
      'must be no more than 253 characters',
      SUBDOMAIN,
    ])
  })
})
