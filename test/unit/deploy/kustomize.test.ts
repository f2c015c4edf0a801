import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { obj, repoPath } from './repo-files.js'

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p))
if (kubectl === undefined) {
  console.warn(
    'kustomize tests skipped: kubectl not found at /usr/bin/kubectl or /usr/local/bin/kubectl',
  )
}
const describeKubectl = kubectl === undefined ? describe.skip : describe

/** Runs `kubectl kustomize dir` and returns "apiVersion/kind/name" of each object plus the objects. */
function build(dir: string): { ids: string[]; objects: Record<string, unknown>[] } {
  const out = execFileSync(kubectl ?? 'kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const objects = parseAllDocuments(out).map((d, i) => obj(d.toJS(), `document ${i}`))
  const ids = objects.map((o) => {
    const name = String(obj(o['metadata'], 'metadata')['name'])
    return `${String(o['apiVersion'])}/${String(o['kind'])}/${name}`
  })
  return { ids: ids.sort(), objects }
}

/** An overlay in a temporary directory, as an operator (or up.sh) would write it. */
function withOverlay<T>(
  kustomization: (manifests: string) => string,
  files: Record<string, string>,
  run: (dir: string) => T,
): T {
  const dir = mkdtempSync(join(tmpdir(), 'kow-overlay-'))
  try {
    const manifests = relative(dir, repoPath('manifests'))
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization(manifests))
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    return run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const base = [
  'apps/v1/Deployment/kube-oidc-webhook',
  'autoscaling/v2/HorizontalPodAutoscaler/kube-oidc-webhook',
  'networking.k8s.io/v1/NetworkPolicy/kube-oidc-webhook',
  'policy/v1/PodDisruptionBudget/kube-oidc-webhook',
  'v1/ConfigMap/kube-oidc-webhook-config',
  'v1/Namespace/kube-oidc-webhook',
  'v1/Service/kube-oidc-webhook',
  'v1/ServiceAccount/kube-oidc-webhook',
]

describeKubectl('kubectl kustomize', () => {
  it('builds manifests/ into the base objects, image pinned to v0.1.0', () => {
    const { ids, objects } = build(repoPath('manifests'))
    expect(ids).toEqual(base)
    expect(JSON.stringify(objects)).toContain(
      '"image":"ghcr.io/kube-oidc-webhook/kube-oidc-webhook:v0.1.0"',
    )
  })

  it('builds an overlay with the cert-manager and servicemonitor components', () => {
    const { ids } = withOverlay(
      (m) =>
        `resources: [${m}]\ncomponents: [${m}/components/cert-manager, ${m}/components/servicemonitor]\n`,
      {},
      build,
    )
    expect(ids).toEqual(
      [
        ...base,
        'cert-manager.io/v1/Certificate/kube-oidc-webhook-apiserver-client',
        'cert-manager.io/v1/Certificate/kube-oidc-webhook-ca',
        'cert-manager.io/v1/Certificate/kube-oidc-webhook-serving',
        'cert-manager.io/v1/Issuer/kube-oidc-webhook-ca',
        'cert-manager.io/v1/Issuer/kube-oidc-webhook-selfsigned',
        'monitoring.coreos.com/v1/ServiceMonitor/kube-oidc-webhook',
      ].sort(),
    )
  })

  it('builds the overlay up.sh writes: kind component, generated Secret and replaced ConfigMap', () => {
    const { ids, objects } = withOverlay(
      (m) => `resources: [${m}]
components: [${m}/kind]
secretGenerator:
- name: kube-oidc-webhook-tls
  namespace: kube-oidc-webhook
  files: [tls.crt, tls.key, ca.crt]
  options: {disableNameSuffixHash: true}
configMapGenerator:
- name: kube-oidc-webhook-config
  namespace: kube-oidc-webhook
  behavior: replace
  files: [authentication-config.yaml]
`,
      {
        'tls.crt': 'c',
        'tls.key': 'k',
        'ca.crt': 'a',
        'authentication-config.yaml': 'replaced: true\n',
      },
      build,
    )
    expect(ids).toEqual(
      [
        ...base,
        'rbac.authorization.k8s.io/v1/ClusterRoleBinding/kube-oidc-webhook-demo-oidc-discovery',
        'v1/Secret/kube-oidc-webhook-tls',
      ].sort(),
    )
    const find = (kind: string): Record<string, unknown> | undefined =>
      objects.find((o) => o['kind'] === kind)
    expect(obj(find('ConfigMap')?.['data'], 'data')).toEqual({
      'authentication-config.yaml': 'replaced: true\n',
    })
    expect(obj(find('Service')?.['spec'], 'spec')['clusterIP']).toBe('10.96.200.200')
    const json = JSON.stringify(objects)
    expect(json).toContain('"image":"ghcr.io/kube-oidc-webhook/kube-oidc-webhook:dev"')
    expect(json).toContain('{"port":6443,"protocol":"TCP"}')
  })

  it('builds an overlay with the proxy component: same hardened pod running `proxy`, RBAC to impersonate, a Service', () => {
    const { ids, objects } = withOverlay(
      (m) => `resources: [${m}]\ncomponents: [${m}/components/proxy]\n`,
      {},
      build,
    )
    expect(ids).toEqual(
      [
        ...base,
        'rbac.authorization.k8s.io/v1/ClusterRole/kube-oidc-webhook-impersonator',
        'rbac.authorization.k8s.io/v1/ClusterRoleBinding/kube-oidc-webhook-impersonator',
        'v1/Service/kube-oidc-webhook-proxy',
      ].sort(),
    )
    const deployment = objects.find((o) => o['kind'] === 'Deployment')
    const base_ = build(repoPath('manifests')).objects.find((o) => o['kind'] === 'Deployment')
    const podOf = (d: Record<string, unknown> | undefined): Record<string, unknown> =>
      obj(obj(obj(d?.['spec'], 'spec')['template'], 'template')['spec'], 'pod spec')
    const pod = podOf(deployment)
    const [container] = pod['containers'] as Record<string, unknown>[]
    const [baseContainer] = podOf(base_)['containers'] as Record<string, unknown>[]
    expect(container?.['args']).toEqual([
      'proxy',
      '--authentication-config',
      '/etc/kube-oidc-webhook/config/authentication-config.yaml',
      '--tls-cert-file',
      '/etc/kube-oidc-webhook/tls/tls.crt',
      '--tls-private-key-file',
      '/etc/kube-oidc-webhook/tls/tls.key',
      '--key-cache-dir',
      '/var/cache/kube-oidc-webhook',
      '--secure-port',
      '8443',
      '--health-port',
      '8080',
      '--log-level',
      'info',
      '--shutdown-grace',
      '50s',
    ])
    // The token the proxy authenticates upstream with; everything else as the webhook's pod.
    expect(pod['automountServiceAccountToken']).toBe(true)
    expect(container?.['securityContext']).toEqual(baseContainer?.['securityContext'])
    expect(pod['securityContext']).toEqual(podOf(base_)['securityContext'])
    expect(container?.['volumeMounts']).toEqual(baseContainer?.['volumeMounts'])
    expect(JSON.stringify(objects.find((o) => o['kind'] === 'NetworkPolicy'))).toContain(
      '{"port":6443,"protocol":"TCP"}',
    )
  })

  it('fails on a broken kustomization (the check can fail)', () => {
    expect(() =>
      withOverlay((m) => `resources: [${m}, ${m}/does-not-exist]\n`, {}, build),
    ).toThrow()
  })
})
