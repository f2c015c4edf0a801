/**
 * Each workload-identity guide's config, as shipped, authenticates a token
 * shaped like its real issuer's (claims as the issuer documents them) through
 * the real `serve`: a loopback issuer signs under the real issuer URL and is
 * reached through `discoveryURL`. A token the guide's rules must keep out is
 * refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import { eventually, startOpsServe, type OpsServe } from '../helpers/ops-serve.js'
import type { AsymmetricAlg, Json } from '../helpers/tokens.js'

const nowS = (): number => Math.floor(Date.now() / 1000)

interface Guide {
  readonly name: string
  readonly alg: AsymmetricAlg
  /** The token's claims, `iss` included, timestamps added by the test. */
  readonly claims: Json
  readonly user: Json
  /** Claims changed so that the guide's rules refuse the token, and a part of the error. */
  readonly outsider: Json
  readonly refusal: string
}

const GUIDES: readonly Guide[] = [
  {
    name: 'github-actions',
    alg: 'RS256',
    claims: {
      jti: '0f3e9a52-5c1c-4f7e-9d44-0c2e1a6b7d10',
      sub: 'repo:acme/deploy:environment:production',
      environment: 'production',
      aud: 'https://kubernetes.example.com',
      ref: 'refs/heads/main',
      sha: '6f1ed002ab5595859014ebf0951522d9a1a2f1e3',
      repository: 'acme/deploy',
      repository_owner: 'acme',
      actor_id: '12',
      repository_visibility: 'private',
      repository_id: '74',
      repository_owner_id: '1234567',
      run_id: '9876543210',
      run_number: '10',
      run_attempt: '1',
      runner_environment: 'github-hosted',
      actor: 'octocat',
      workflow: 'deploy',
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_type: 'branch',
      workflow_ref: 'acme/deploy/.github/workflows/deploy.yml@refs/heads/main',
      workflow_sha: '6f1ed002ab5595859014ebf0951522d9a1a2f1e3',
      job_workflow_ref: 'acme/deploy/.github/workflows/deploy.yml@refs/heads/main',
      job_workflow_sha: '6f1ed002ab5595859014ebf0951522d9a1a2f1e3',
      iss: 'https://token.actions.githubusercontent.com',
    },
    user: {
      username: 'github:repo:acme/deploy:environment:production',
      uid: 'repo:acme/deploy:environment:production',
      groups: ['github:repository:acme/deploy'],
      extra: {
        'authentication.kubernetes.io/credential-id': ['JTI=0f3e9a52-5c1c-4f7e-9d44-0c2e1a6b7d10'],
        'actions.github.com/run-id': ['9876543210'],
        'actions.github.com/workflow-ref': [
          'acme/deploy/.github/workflows/deploy.yml@refs/heads/main',
        ],
        'actions.github.com/sha': ['6f1ed002ab5595859014ebf0951522d9a1a2f1e3'],
      },
    },
    outsider: {
      sub: 'repo:mallory/deploy:environment:production',
      repository: 'mallory/deploy',
      repository_owner: 'mallory',
      repository_owner_id: '7654321',
    },
    refusal:
      'oidc: required claim repository_owner_id value does not match. Got = 7654321, want = 1234567',
  },
  {
    name: 'gitlab-ci',
    alg: 'RS256',
    claims: {
      namespace_id: '4242',
      namespace_path: 'acme',
      project_id: '20',
      project_path: 'acme/deploy',
      user_id: '1',
      user_login: 'alice',
      user_email: 'alice@example.com',
      user_access_level: 'maintainer',
      pipeline_id: '574',
      pipeline_source: 'push',
      job_id: '302',
      ref: 'main',
      ref_type: 'branch',
      ref_path: 'refs/heads/main',
      ref_protected: 'true',
      runner_id: 1,
      runner_environment: 'gitlab-hosted',
      sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
      project_visibility: 'private',
      ci_config_ref_uri: 'gitlab.com/acme/deploy//.gitlab-ci.yml@refs/heads/main',
      ci_config_sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
      jti: '235b3a54-b797-45c7-ae9a-f72d7bc6ef5b',
      iss: 'https://gitlab.com',
      sub: 'project_path:acme/deploy:ref_type:branch:ref:main',
      aud: 'https://kubernetes.example.com',
    },
    user: {
      username: 'gitlab:project_path:acme/deploy:ref_type:branch:ref:main',
      uid: 'project_path:acme/deploy:ref_type:branch:ref:main',
      groups: ['gitlab:project:acme/deploy', 'gitlab:namespace:acme'],
      extra: {
        'authentication.kubernetes.io/credential-id': ['JTI=235b3a54-b797-45c7-ae9a-f72d7bc6ef5b'],
        'gitlab.com/pipeline-id': ['574'],
        'gitlab.com/job-id': ['302'],
        'gitlab.com/user-login': ['alice'],
      },
    },
    outsider: {
      ref: 'feature',
      ref_path: 'refs/heads/feature',
      ref_protected: 'false',
      sub: 'project_path:acme/deploy:ref_type:branch:ref:feature',
    },
    refusal: 'oidc: required claim ref_protected value does not match. Got = false, want = true',
  },
  {
    name: 'kubernetes-service-accounts',
    alg: 'RS256',
    claims: {
      aud: ['https://cluster-a.example.com'],
      iss: 'https://oidc.cluster-b.example.com',
      jti: '4b9c7d2e-8a61-4f3b-9e0c-51d7a2c3b4e5',
      'kubernetes.io': {
        namespace: 'ci',
        node: { name: 'node-1', uid: '0d7e6f5a-1b2c-4d3e-8f9a-0b1c2d3e4f5a' },
        pod: { name: 'deployer-7d9f8c6b5-x2k4q', uid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
        serviceaccount: { name: 'deployer', uid: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f' },
      },
      sub: 'system:serviceaccount:ci:deployer',
    },
    user: {
      username: 'cluster-b:system:serviceaccount:ci:deployer',
      uid: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f',
      groups: ['cluster-b:system:serviceaccounts', 'cluster-b:system:serviceaccounts:ci'],
      extra: {
        'authentication.kubernetes.io/credential-id': ['JTI=4b9c7d2e-8a61-4f3b-9e0c-51d7a2c3b4e5'],
        'cluster-b.example.com/pod-name': ['deployer-7d9f8c6b5-x2k4q'],
        'cluster-b.example.com/pod-uid': ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'],
      },
    },
    outsider: {
      sub: 'system:serviceaccount:kube-system:default',
      'kubernetes.io': {
        namespace: 'kube-system',
        pod: { name: 'p', uid: '1' },
        serviceaccount: { name: 'default', uid: '2' },
      },
    },
    refusal: 'the namespace may not authenticate to this cluster',
  },
  {
    name: 'spire',
    alg: 'ES256',
    claims: {
      sub: 'spiffe://example.org/ns/ci/sa/deployer',
      aud: ['https://kubernetes.example.com'],
      iss: 'https://oidc-discovery.example.org',
    },
    user: {
      username: 'spiffe://example.org/ns/ci/sa/deployer',
      uid: 'spiffe://example.org/ns/ci/sa/deployer',
    },
    outsider: { sub: 'spiffe://example.org/ns/prod/sa/payments' },
    refusal: 'the SPIFFE ID may not authenticate to this cluster',
  },
]

interface JwtEntry {
  issuer: { url: string; discoveryURL?: string; certificateAuthority?: string }
}

describe.each(GUIDES)('guide $name', (guide) => {
  let issuer: TestIssuer
  let serve: OpsServe

  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: [guide.alg], keyFamily: `guide-${guide.name}` })
    const file = join(process.cwd(), 'docs/guides', `${guide.name}.authentication-config.yaml`)
    const config = parse(readFileSync(file, 'utf8')) as { jwt: JwtEntry[] }
    const entry = config.jwt[0] as JwtEntry
    // The loopback issuer answers discovery for the real issuer URL.
    issuer.knobs.discoveryIssuer = entry.issuer.url
    entry.issuer.discoveryURL = issuer.discoveryURL
    entry.issuer.certificateAuthority = issuer.caPem
    serve = await startOpsServe({ config, serve: { cacheTtlMs: 0 } })
    await eventually(
      async () => (await serve.readyz(true)).body.includes(`${entry.issuer.url} ok`),
      10_000,
      'issuer ready',
    )
  })
  afterAll(async () => {
    await serve.stop()
    await issuer.stop()
  })

  const sign = (claims: Json): string => {
    const iat = nowS()
    return issuer.sign({ nbf: iat - 5, iat, exp: iat + 300, ...claims }, { alg: guide.alg })
  }

  it('authenticates a token shaped like the real issuer’s, as the RBAC subject the guide names', async () => {
    expect(await serve.status(sign(guide.claims))).toEqual({
      authenticated: true,
      user: guide.user,
    })
  })

  it('refuses a token its rules keep out', async () => {
    const status = await serve.status(sign({ ...guide.claims, ...guide.outsider }))
    expect(status['authenticated']).toBe(false)
    expect(status['error']).toEqual(expect.stringContaining(guide.refusal))
  })
})
