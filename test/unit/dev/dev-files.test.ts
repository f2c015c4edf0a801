import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { parseAuthenticationConfig } from '../../../src/config/load.js'
import { rawPath, shellWord } from '../../../src/dev/banner.js'
import { devAuthenticationConfig, tokenReviewJson, urlHost, webhookKubeconfig } from '../../../src/dev/dev-files.js'
import { isLoopbackHost } from '../../../src/dev/loopback.js'
import { holdProviderNotices } from '../../../src/dev/provider-notices.js'
import { createCertificateAuthority } from '../../../src/dev/certificates.js'

describe('dev files', () => {
  it('the AuthenticationConfiguration for the dev issuer is valid and maps as documented', async () => {
    const ca = await createCertificateAuthority({ commonName: 'unit' })
    const result = parseAuthenticationConfig(
      devAuthenticationConfig({ issuerUrl: 'https://127.0.0.1:9443', caPem: `${ca.certPem}\n` }),
    )
    if (!result.ok) throw new Error(result.errors.join('\n'))
    const doc = parse(devAuthenticationConfig({ issuerUrl: 'https://127.0.0.1:9443', caPem: ca.certPem }))
    expect(doc.jwt[0]).toEqual({
      issuer: { url: 'https://127.0.0.1:9443', certificateAuthority: `${ca.certPem}\n`, audiences: ['kubernetes'] },
      claimMappings: {
        username: { claim: 'email', prefix: 'oidc:' },
        groups: { claim: 'groups', prefix: 'oidc:' },
        uid: { claim: 'sub' },
        extra: [{ key: 'example.org/display-name', valueExpression: "claims.?name.orValue('')" }],
      },
      userValidationRules: [
        { expression: "!user.username.startsWith('system:')", message: 'username cannot use reserved system: prefix' },
      ],
    })
  })

  it.each([
    {
      name: 'with a client certificate',
      client: { certPem: 'CERT', keyPem: 'KEY' },
      user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' },
    },
    { name: 'without one', client: undefined, user: {} },
  ])('the webhook kubeconfig $name is self-contained', ({ client, user }) => {
    const doc = parse(
      webhookKubeconfig({
        serverUrl: 'https://127.0.0.1:8443/authenticate',
        caPem: 'CA',
        ...(client === undefined ? {} : { client }),
      }),
    )
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'kube-oidc-webhook-dev',
          cluster: { server: 'https://127.0.0.1:8443/authenticate', 'certificate-authority-data': 'Q0E=' },
        },
      ],
      users: [{ name: 'kube-apiserver', user }],
      contexts: [{ name: 'webhook', context: { cluster: 'kube-oidc-webhook-dev', user: 'kube-apiserver' } }],
      'current-context': 'webhook',
    })
  })

  it('the TokenReview is v1 in the shape kube-apiserver sends', () => {
    expect(JSON.parse(tokenReviewJson('a.b.c'))).toEqual({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { token: 'a.b.c' },
      status: { user: {} },
    })
  })

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '[::1]'],
    ['localhost', 'localhost'],
  ])('urlHost(%s) = %s', (host, want) => expect(urlHost(host)).toBe(want))
})

describe('loopback only', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1', false],
    ['1::1', false],
    ['example.com', false],
    ['', false],
  ])('%s -> %s', (host, want) => expect(isLoopbackHost(host)).toBe(want))
})

describe('banner helpers', () => {
  it.each([
    ['dev/ca.crt', 'dev/ca.crt'],
    ['my dir/ca.crt', "'my dir/ca.crt'"],
    ["it's", "'it'\\''s'"],
  ])('shellWord(%s) = %s', (word, want) => expect(shellWord(word)).toBe(want))

  it('kubectl --raw takes the whole server path (client-go RequestURI replaces it)', () => {
    expect(rawPath('https://127.0.0.1:8443/authenticate')).toBe('/authenticate')
  })
})

describe("oidc-provider's console notices", () => {
  it('holds back only lines prefixed "oidc-provider WARNING/NOTICE", with or without colour', () => {
    const seen: unknown[][] = []
    const target = { warn: (...a: unknown[]) => seen.push(['warn', ...a]), info: (...a: unknown[]) => seen.push(['info', ...a]) }
    const filter = holdProviderNotices(target)
    target.warn('\x1b[31;1moidc-provider WARNING: Unsupported runtime.\x1b[0m')
    target.info('oidc-provider NOTICE: default function called')
    target.warn('something else', 1)
    target.info('oidc-provider says hi')
    filter.restore()
    target.warn('oidc-provider WARNING: after restore')
    expect(filter.held).toEqual(['oidc-provider WARNING: Unsupported runtime.', 'oidc-provider NOTICE: default function called'])
    expect(seen).toEqual([
      ['warn', 'something else', 1],
      ['info', 'oidc-provider says hi'],
      ['warn', 'oidc-provider WARNING: after restore'],
    ])
  })
})
