/**
 * `anonymous`, `jwt[].issuer.egressSelectorType` and the disallowed issuers
 * (kube-apiserver's --service-account-issuer values): validated as Kubernetes
 * validates them; the first two are accepted without effect and listed on the
 * compiled config.
 */
import { describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfig } from '../../../src/config/load.js'

const HEAD = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n'
const issuer = (url: string, extra = '') =>
  `- issuer:\n    url: ${url}\n    audiences: [k]\n${extra}  claimMappings:\n    username: {claim: sub, prefix: ""}\n`

function errorsOf(text: string, disallowedIssuers?: readonly string[]): readonly string[] {
  const result = parseAuthenticationConfig(
    text,
    disallowedIssuers === undefined ? undefined : { disallowedIssuers },
  )
  return result.ok ? [] : result.errors
}

describe('anonymous', () => {
  it.each([
    ['enabled with conditions', 'anonymous: {enabled: true, conditions: [{path: /livez}]}'],
    ['enabled without conditions', 'anonymous: {enabled: true}'],
    ['disabled without conditions', 'anonymous: {enabled: false}'],
    ['empty', 'anonymous: {}'],
    ['disabled with an empty conditions list', 'anonymous: {enabled: false, conditions: []}'],
    ['a condition with an empty path', 'anonymous: {enabled: true, conditions: [{}]}'],
  ])('%s is accepted and listed as without effect', (_name, yaml) => {
    const result = parseAuthenticationConfig(`${HEAD}${yaml}\n`)
    expect(result.ok && result.config.inertFields).toEqual(['anonymous'])
  })

  it.each([
    [
      'disabled with conditions',
      'anonymous: {enabled: false, conditions: [{path: /livez}, {path: /readyz}]}',
      '[{"Path":"/livez"},{"Path":"/readyz"}]',
    ],
    ['conditions without enabled', 'anonymous: {conditions: [{}]}', '[{"Path":""}]'],
    [
      'HTML characters escaped as Go marshals them',
      'anonymous: {conditions: [{path: "/a<b>&c"}]}',
      '[{"Path":"/a\\u003cb\\u003e\\u0026c"}]',
    ],
  ])('%s is refused at anonymous.conditions', (_name, yaml, shown) => {
    expect(errorsOf(`${HEAD}${yaml}\n`)).toEqual([
      `anonymous.conditions: Invalid value: ${shown}: enabled should be set to true when conditions are defined`,
    ])
  })

  it('is not checked when there are too many authenticators (validation stops at the count)', () => {
    const text = `${HEAD}anonymous: {conditions: [{path: /x}]}\njwt:\n${issuer('https://a').repeat(65)}`
    expect(errorsOf(text)).toEqual(['jwt: Too many: 65: must have at most 64 items'])
  })

  it('null is absent', () => {
    const result = parseAuthenticationConfig(`${HEAD}anonymous: null\n`)
    expect(result.ok && result.config.inertFields).toEqual([])
  })
})

describe('egressSelectorType', () => {
  it('controlplane and cluster are accepted and listed as without effect, in file order', () => {
    const text = `${HEAD}anonymous: {enabled: true}\njwt:\n${issuer('https://a', '    egressSelectorType: cluster\n')}${issuer('https://b')}${issuer('https://c', '    egressSelectorType: controlplane\n')}`
    const result = parseAuthenticationConfig(text)
    expect(result.ok && result.config.inertFields).toEqual([
      'jwt[0].issuer.egressSelectorType',
      'jwt[2].issuer.egressSelectorType',
      'anonymous',
    ])
  })

  it('an empty value is unset', () => {
    const result = parseAuthenticationConfig(
      `${HEAD}jwt:\n${issuer('https://a', '    egressSelectorType: ""\n')}`,
    )
    expect(result.ok && result.config.inertFields).toEqual([])
  })

  it.each(['etcd', 'ControlPlane', 'cluster ', 'none'])('%j is refused', (value) => {
    expect(
      errorsOf(`${HEAD}jwt:\n${issuer('https://a', `    egressSelectorType: "${value}"\n`)}`),
    ).toEqual([
      `jwt[0].issuer.egressSelectorType: Invalid value: "${value}": egress selector must be either controlplane or cluster`,
    ])
  })

  it('is reported after the other issuer errors, before the claim rules', () => {
    const text = `${HEAD}jwt:\n- issuer: {url: "http://a", audiences: [k], egressSelectorType: x}\n  claimValidationRules: [{}]\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`
    expect(errorsOf(text)).toEqual([
      'jwt[0].issuer.url: Invalid value: "http://a": URL scheme must be https',
      'jwt[0].issuer.egressSelectorType: Invalid value: "x": egress selector must be either controlplane or cluster',
      'jwt[0].claimValidationRules[0]: Required value: claim or expression is required',
    ])
  })
})

describe('disallowed issuers', () => {
  const SA = 'https://kubernetes.default.svc.cluster.local'

  it('an issuer url equal to one is refused, the list sorted as Go prints it', () => {
    const text = `${HEAD}jwt:\n${issuer(SA)}${issuer('https://idp.example.com')}`
    expect(errorsOf(text, ['https://z.example', SA, 'https://a.example'])).toEqual([
      `jwt[0].issuer.url: Invalid value: "${SA}": URL must not overlap with disallowed issuers: [https://a.example ${SA} https://z.example]`,
    ])
  })

  it('only an exact match counts (a trailing slash is another issuer)', () => {
    expect(errorsOf(`${HEAD}jwt:\n${issuer(`${SA}/`)}`, [SA])).toEqual([])
  })

  it('a repeated value is listed once', () => {
    expect(errorsOf(`${HEAD}jwt:\n${issuer(SA)}`, [SA, SA])).toEqual([
      `jwt[0].issuer.url: Invalid value: "${SA}": URL must not overlap with disallowed issuers: [${SA}]`,
    ])
  })

  it('comes before the URL rules, which still run', () => {
    expect(errorsOf(`${HEAD}jwt:\n${issuer('http://sa?x')}`, ['http://sa?x'])).toEqual([
      'jwt[0].issuer.url: Invalid value: "http://sa?x": URL must not overlap with disallowed issuers: [http://sa?x]',
      'jwt[0].issuer.url: Invalid value: "http://sa?x": URL scheme must be https',
      'jwt[0].issuer.url: Invalid value: "http://sa?x": URL must not contain a query',
    ])
  })

  it('the discovery URL is not held against the list', () => {
    const text = `${HEAD}jwt:\n${issuer('https://idp', `    discoveryURL: ${SA}\n`)}`
    expect(errorsOf(text, [SA])).toEqual([])
  })

  it('an empty url is only required, even when "" is disallowed', () => {
    expect(errorsOf(`${HEAD}jwt:\n${issuer('""')}`, [''])).toEqual([
      'jwt[0].issuer.url: Required value',
    ])
  })
})
