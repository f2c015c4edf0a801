import { describe, expect, it } from '@jest/globals'
import { Deployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1'
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1'
import { arr, at, listRepoFiles, obj, parseYamlFile, type YamlDoc } from './repo-files.js'

interface Validatable {
  validate(): void
}
type ModelCtor = new (data: never) => Validatable

// Built-in kinds are checked against the Kubernetes OpenAPI schema (types,
// enums, required fields) through kubernetes-models.
const models: Record<string, ModelCtor> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
}

// Custom resources: no schema package installed, so their shape is checked by hand.
const crdShapes: Record<string, (doc: Record<string, unknown>) => void> = {
  'cert-manager.io/v1/Issuer': (doc) => {
    const spec = obj(doc['spec'], 'spec')
    const kinds = ['selfSigned', 'ca', 'acme', 'vault', 'venafi'].filter((k) => k in spec)
    expect(kinds).toHaveLength(1)
    if ('ca' in spec) expect(typeof at(spec, 'ca', 'secretName')).toBe('string')
  },
  'cert-manager.io/v1/Certificate': (doc) => {
    const spec = obj(doc['spec'], 'spec')
    expect(typeof spec['secretName']).toBe('string')
    expect(at(spec, 'issuerRef', 'kind')).toBe('Issuer')
    expect(typeof at(spec, 'issuerRef', 'name')).toBe('string')
    const allowed = new Set([
      'isCA',
      'commonName',
      'secretName',
      'duration',
      'renewBefore',
      'dnsNames',
      'ipAddresses',
      'privateKey',
      'usages',
      'issuerRef',
    ])
    expect(Object.keys(spec).filter((k) => !allowed.has(k))).toEqual([])
  },
  'monitoring.coreos.com/v1/ServiceMonitor': (doc) => {
    const spec = obj(doc['spec'], 'spec')
    expect(obj(at(spec, 'selector', 'matchLabels'), 'matchLabels')).toEqual(podLabels)
    const endpoints = arr(spec['endpoints'], 'endpoints')
    expect(endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })])
  },
}

const podLabels = {
  'app.kubernetes.io/name': 'kube-oidc-webhook',
  'app.kubernetes.io/component': 'webhook',
}

// Files under manifests/ that are not Kubernetes objects.
const notObjects = (file: string): boolean =>
  file.endsWith('kustomization.yaml') ||
  file.endsWith('-patch.yaml') ||
  file === 'manifests/kind/cluster.yaml' ||
  file.endsWith('.template.yaml')

const manifestFiles = listRepoFiles('manifests', ['.yaml', '.yml']).filter((f) => !notObjects(f))
const docs: YamlDoc[] = manifestFiles.flatMap((f) => parseYamlFile(f))
const typeOf = (d: YamlDoc): string => {
  const o = obj(d.value, d.file)
  return `${String(o['apiVersion'])}/${String(o['kind'])}`
}
const cases = docs.map((d) => ({ name: `${d.file}#${d.index} ${typeOf(d)}`, doc: d }))

function only(file: string, type: string): Record<string, unknown> {
  const found = docs.filter((d) => d.file === file && typeOf(d) === type)
  expect(found).toHaveLength(1)
  return obj(found[0]?.value, file)
}

describe('manifests: every document is a known, schema-valid Kubernetes object', () => {
  it('finds the expected manifest files', () => {
    expect(manifestFiles).toEqual([
      'manifests/components/cert-manager/certificates.yaml',
      'manifests/components/cert-manager/issuers.yaml',
      'manifests/components/proxy/rbac.yaml',
      'manifests/components/proxy/service.yaml',
      'manifests/components/revocation/configmap.yaml',
      'manifests/components/servicemonitor/servicemonitor.yaml',
      'manifests/configmap.yaml',
      'manifests/deployment.yaml',
      'manifests/examples/tls-secret.yaml',
      'manifests/horizontalpodautoscaler.yaml',
      'manifests/kind/oidc-discovery-rbac.yaml',
      'manifests/kind/service-clusterip.yaml',
      'manifests/namespace.yaml',
      'manifests/networkpolicy.yaml',
      'manifests/poddisruptionbudget.yaml',
      'manifests/service.yaml',
      'manifests/serviceaccount.yaml',
    ])
  })

  it.each(cases)('$name', ({ doc }) => {
    const o = obj(doc.value, doc.file)
    const type = typeOf(doc)
    expect(typeof at(o, 'metadata', 'name')).toBe('string')
    const Model = models[type]
    const shape = crdShapes[type]
    if (Model !== undefined) new Model(o as never).validate()
    else if (shape !== undefined) shape(o)
    else throw new Error(`${doc.file}: no schema for ${type}`)
    if (
      type !== 'v1/Namespace' &&
      type !== 'rbac.authorization.k8s.io/v1/ClusterRoleBinding' &&
      type !== 'rbac.authorization.k8s.io/v1/ClusterRole'
    ) {
      expect(at(o, 'metadata', 'namespace')).toBe('kube-oidc-webhook')
    }
  })

  it.each([
    { name: 'string containerPort', patch: { containerPort: '8443' } },
    { name: 'port out of int32 range', patch: { containerPort: 2 ** 40 } },
  ])('the schema check rejects a Deployment with a $name', ({ patch }) => {
    const bad = {
      metadata: { name: 'x' },
      spec: {
        selector: {},
        template: { spec: { containers: [{ name: 'a', image: 'b', ports: [patch] }] } },
      },
    }
    expect(() => new Deployment(bad as never).validate()).toThrow(/containerPort/)
  })
})

describe('manifests: the Deployment is hardened', () => {
  const deployment = only('manifests/deployment.yaml', 'apps/v1/Deployment')
  const podSpec = obj(at(deployment, 'spec', 'template', 'spec'), 'pod spec')
  const containers = arr(podSpec['containers'], 'containers').map((c, i) =>
    obj(c, `containers[${i}]`),
  )
  const [webhook] = containers
  const args = arr(webhook?.['args'], 'args').map(String)
  const flag = (name: string): string | undefined => args[args.indexOf(name) + 1]
  const mounts = arr(webhook?.['volumeMounts'], 'volumeMounts').map((m) => obj(m, 'mount'))
  const volumes = arr(podSpec['volumes'], 'volumes').map((v) => obj(v, 'volume'))
  const volumeAt = (file: string | undefined): Record<string, unknown> | undefined => {
    const mount = mounts.find((m) => file?.startsWith(`${String(m['mountPath'])}/`))
    return volumes.find((v) => v['name'] === mount?.['name'])
  }
  const namedPort = (name: unknown): unknown =>
    arr(webhook?.['ports'], 'ports')
      .map((p) => obj(p, 'port'))
      .find((p) => p['name'] === name)?.['containerPort']

  it('runs at least two replicas spread over nodes', () => {
    expect(at(deployment, 'spec', 'replicas')).toBeGreaterThanOrEqual(2)
    const spread = arr(podSpec['topologySpreadConstraints'], 'topologySpreadConstraints')
    expect(spread).toContainEqual(
      expect.objectContaining({
        topologyKey: 'kubernetes.io/hostname',
        labelSelector: { matchLabels: podLabels },
      }),
    )
    expect(
      at(
        podSpec,
        'affinity',
        'podAntiAffinity',
        'preferredDuringSchedulingIgnoredDuringExecution',
        0,
        'podAffinityTerm',
        'topologyKey',
      ),
    ).toBe('kubernetes.io/hostname')
    expect(at(deployment, 'spec', 'selector', 'matchLabels')).toEqual(podLabels)
    expect(at(deployment, 'spec', 'template', 'metadata', 'labels')).toEqual(podLabels)
  })

  it('pod security context: non-root 65532, RuntimeDefault seccomp, no service account token', () => {
    expect(podSpec['securityContext']).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    })
    expect(podSpec['automountServiceAccountToken']).toBe(false)
    expect(podSpec['hostNetwork']).toBeUndefined()
  })

  it('has exactly one container, with the exact hardened security context', () => {
    expect(containers).toHaveLength(1)
    // Compared whole, so a misspelt key (readOnlyRootFileSystem) fails here.
    expect(webhook?.['securityContext']).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    })
  })

  it.each([
    { probe: 'livenessProbe', path: '/healthz' },
    { probe: 'readinessProbe', path: '/readyz' },
  ])('$probe is GET $path on the health port 8080', ({ probe, path }) => {
    const get = obj(at(webhook, probe, 'httpGet'), probe)
    expect(get['path']).toBe(path)
    expect(get['scheme']).toBe('HTTP')
    expect(namedPort(get['port'])).toBe(8080)
    expect(flag('--health-port')).toBe('8080')
  })

  it('sets CPU and memory requests and limits', () => {
    const resources = obj(webhook?.['resources'], 'resources')
    for (const kind of ['requests', 'limits']) {
      expect(Object.keys(obj(resources[kind], kind)).sort()).toEqual(['cpu', 'memory'])
    }
  })

  it('pins the image by version tag', () => {
    expect(webhook?.['image']).toBe('ghcr.io/kube-oidc-webhook/kube-oidc-webhook:v0.1.0')
  })

  it.each([
    {
      flag: '--authentication-config',
      file: '/etc/kube-oidc-webhook/config/authentication-config.yaml',
      source: 'configMap',
    },
    { flag: '--tls-cert-file', file: '/etc/kube-oidc-webhook/tls/tls.crt', source: 'secret' },
    {
      flag: '--tls-private-key-file',
      file: '/etc/kube-oidc-webhook/tls/tls.key',
      source: 'secret',
    },
    { flag: '--client-ca-file', file: '/etc/kube-oidc-webhook/tls/ca.crt', source: 'secret' },
  ])(
    'serve $flag names $file, inside a mounted $source directory',
    ({ flag: name, file, source }) => {
      expect(args[0]).toBe('serve')
      expect(flag(name)).toBe(file)
      const volume = volumeAt(file)
      expect(volume?.[source]).toBeDefined()
    },
  )

  it('keeps the key cache on an emptyDir and mounts no file with subPath', () => {
    // A subdirectory: the emptyDir mount itself is world-writable, which the key cache refuses.
    expect(flag('--key-cache-dir')).toBe('/var/cache/kube-oidc-webhook/keys')
    expect(volumeAt('/var/cache/kube-oidc-webhook/x')?.['emptyDir']).toBeDefined()
    expect(mounts.filter((m) => 'subPath' in m || 'subPathExpr' in m)).toEqual([])
  })

  it('mounts the ConfigMap key the config flag reads, and the Secret the TLS flags read', () => {
    const configMap = only('manifests/configmap.yaml', 'v1/ConfigMap')
    expect(volumeAt(flag('--authentication-config'))?.['configMap']).toEqual({
      name: at(configMap, 'metadata', 'name'),
    })
    expect(Object.keys(obj(configMap['data'], 'data'))).toEqual(['authentication-config.yaml'])
    expect(at(volumeAt(flag('--tls-cert-file')), 'secret', 'secretName')).toBe(
      'kube-oidc-webhook-tls',
    )
    const issued = docs
      .filter((d) => typeOf(d) === 'cert-manager.io/v1/Certificate')
      .map((d) => at(d.value, 'spec', 'secretName'))
    expect(issued).toContain('kube-oidc-webhook-tls')
    expect(at(only('manifests/examples/tls-secret.yaml', 'v1/Secret'), 'metadata', 'name')).toBe(
      'kube-oidc-webhook-tls',
    )
  })
})

describe('manifests: Service, PDB, HPA, NetworkPolicy', () => {
  const deployment = only('manifests/deployment.yaml', 'apps/v1/Deployment')
  const ports = arr(at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'ports'), 'ports')

  it('Service maps 443 to the https port (8443) and 8080 to the health port', () => {
    const service = only('manifests/service.yaml', 'v1/Service')
    expect(at(service, 'spec', 'selector')).toEqual(podLabels)
    expect(at(service, 'spec', 'ports')).toEqual([
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
      { name: 'metrics', port: 8080, targetPort: 'health', protocol: 'TCP' },
    ])
    expect(ports).toEqual([
      { name: 'https', containerPort: 8443, protocol: 'TCP' },
      { name: 'health', containerPort: 8080, protocol: 'TCP' },
    ])
  })

  it('PodDisruptionBudget keeps one replica', () => {
    const pdb = only('manifests/poddisruptionbudget.yaml', 'policy/v1/PodDisruptionBudget')
    expect(at(pdb, 'spec')).toEqual({ minAvailable: 1, selector: { matchLabels: podLabels } })
  })

  it('HorizontalPodAutoscaler scales the Deployment on CPU, never below two', () => {
    const hpa = only(
      'manifests/horizontalpodautoscaler.yaml',
      'autoscaling/v2/HorizontalPodAutoscaler',
    )
    expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'kube-oidc-webhook',
    })
    expect(at(hpa, 'spec', 'minReplicas')).toBe(2)
    expect(at(hpa, 'spec', 'metrics')).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ])
  })

  it('NetworkPolicy admits only 8443 and 8080 (monitoring), and lets out only DNS and 443', () => {
    const np = only('manifests/networkpolicy.yaml', 'networking.k8s.io/v1/NetworkPolicy')
    expect(at(np, 'spec', 'podSelector')).toEqual({ matchLabels: podLabels })
    expect(at(np, 'spec', 'policyTypes')).toEqual(['Ingress', 'Egress'])
    const ingress = arr(at(np, 'spec', 'ingress'), 'ingress')
    expect(ingress.map((r) => at(r, 'ports'))).toEqual([
      [{ port: 8443, protocol: 'TCP' }],
      [{ port: 8080, protocol: 'TCP' }],
    ])
    expect(at(ingress[1], 'from')).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ])
    const egress = arr(at(np, 'spec', 'egress'), 'egress')
    expect(egress.map((r) => at(r, 'ports'))).toEqual([
      [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
      [{ port: 443, protocol: 'TCP' }],
    ])
  })

  it('ServiceAccount mounts no token', () => {
    const sa = only('manifests/serviceaccount.yaml', 'v1/ServiceAccount')
    expect(sa['automountServiceAccountToken']).toBe(false)
    expect(at(deployment, 'spec', 'template', 'spec', 'serviceAccountName')).toBe(
      at(sa, 'metadata', 'name'),
    )
  })
})

describe('manifests: the proxy component', () => {
  it('grants the proxy only the impersonate verb on users, groups, uids and userextras', () => {
    const role = only(
      'manifests/components/proxy/rbac.yaml',
      'rbac.authorization.k8s.io/v1/ClusterRole',
    )
    expect(role['rules']).toEqual([
      { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['uids', 'userextras'],
        verbs: ['impersonate'],
      },
    ])
    const binding = only(
      'manifests/components/proxy/rbac.yaml',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    )
    expect(binding['roleRef']).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'kube-oidc-webhook-impersonator',
    })
    expect(binding['subjects']).toEqual([
      { kind: 'ServiceAccount', name: 'kube-oidc-webhook', namespace: 'kube-oidc-webhook' },
    ])
  })

  it("exposes the secure port on 443 to the Deployment's pods", () => {
    const service = only('manifests/components/proxy/service.yaml', 'v1/Service')
    expect(at(service, 'spec', 'selector')).toEqual(podLabels)
    expect(at(service, 'spec', 'ports')).toEqual([
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ])
  })
})
