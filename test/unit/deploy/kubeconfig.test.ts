import { describe, expect, it } from '@jest/globals'
import { arr, at, obj, parseYamlFile, parseYamlString, readRepoFile } from './repo-files.js'

interface KubeconfigCase {
  name: string
  file: string
  server: string
  tlsServerName: string | undefined
}

const kubeconfigs: KubeconfigCase[] = [
  {
    name: 'top-level webhook-kubeconfig.yaml',
    file: 'webhook-kubeconfig.yaml',
    server: 'https://kube-oidc-webhook.kube-oidc-webhook.svc:443/authenticate',
    tlsServerName: undefined,
  },
  {
    name: 'kind template',
    file: 'manifests/kind/webhook-kubeconfig.template.yaml',
    server: 'https://10.96.200.200:443/authenticate',
    tlsServerName: 'kube-oidc-webhook.kube-oidc-webhook.svc',
  },
]

/** Resolves current-context to its cluster and user entries, as client-go's clientcmd does. */
function resolve(config: unknown): {
  cluster: Record<string, unknown>
  user: Record<string, unknown>
} {
  const current = at(config, 'current-context')
  const context = arr(at(config, 'contexts'), 'contexts').find((c) => at(c, 'name') === current)
  const clusterName = at(context, 'context', 'cluster')
  const userName = at(context, 'context', 'user')
  const cluster = arr(at(config, 'clusters'), 'clusters').find((c) => at(c, 'name') === clusterName)
  const user = arr(at(config, 'users'), 'users').find((u) => at(u, 'name') === userName)
  return { cluster: obj(at(cluster, 'cluster'), 'cluster'), user: obj(at(user, 'user'), 'user') }
}

describe('webhook kubeconfigs', () => {
  it.each(kubeconfigs)(
    '$name: one Config whose current-context reaches /authenticate over https with mTLS',
    ({ file, server, tlsServerName }) => {
      const docs = parseYamlFile(file)
      expect(docs).toHaveLength(1)
      const config = docs[0]?.value
      expect(at(config, 'apiVersion')).toBe('v1')
      expect(at(config, 'kind')).toBe('Config')
      expect(typeof at(config, 'current-context')).toBe('string')
      const { cluster, user } = resolve(config)
      expect(cluster['server']).toBe(server)
      const url = new URL(String(cluster['server']))
      expect(url.protocol).toBe('https:')
      expect(url.pathname).toBe('/authenticate')
      expect(url.search + url.hash).toBe('')
      expect(cluster['tls-server-name']).toBe(tlsServerName)
      expect(cluster['insecure-skip-tls-verify']).toBeUndefined()
      expect(Object.keys(cluster).sort()).toEqual(
        [
          'certificate-authority-data',
          'server',
          ...(tlsServerName === undefined ? [] : ['tls-server-name']),
        ].sort(),
      )
      expect(Object.keys(user).sort()).toEqual(['client-certificate-data', 'client-key-data'])
    },
  )

  it('the top-level file explains the apiserver flags and their trade-offs', () => {
    const text = readRepoFile('webhook-kubeconfig.yaml')
    for (const needle of [
      '--authentication-token-webhook-config-file',
      '--authentication-token-webhook-version=v1',
      '--authentication-token-webhook-cache-ttl',
      '--client-ca-file',
      'tls-server-name',
      'ClusterIP',
    ]) {
      expect(text).toContain(needle)
    }
  })
})

describe('kind recipe', () => {
  const [cluster] = parseYamlFile('manifests/kind/cluster.yaml').map((d) => d.value)
  const upSh = readRepoFile('manifests/kind/up.sh')
  const patches = arr(at(cluster, 'kubeadmConfigPatches'), 'kubeadmConfigPatches').map((p, i) =>
    parseYamlString(String(p), `kubeadmConfigPatches[${i}]`),
  )
  const clusterConfig = patches.find((p) => at(p, 'kind') === 'ClusterConfiguration')
  const mountDir = '/etc/kubernetes/kube-oidc-webhook'

  it('is a kind Cluster with one control-plane node mounting the generated directory', () => {
    expect(at(cluster, 'kind')).toBe('Cluster')
    expect(at(cluster, 'apiVersion')).toBe('kind.x-k8s.io/v1alpha4')
    const nodes = arr(at(cluster, 'nodes'), 'nodes')
    expect(nodes.map((n) => at(n, 'role'))).toEqual(['control-plane'])
    expect(at(nodes[0], 'extraMounts')).toEqual([
      { hostPath: 'KIND_WEBHOOK_DIR', containerPath: mountDir, readOnly: true },
    ])
    expect(upSh).toContain('s#KIND_WEBHOOK_DIR#')
  })

  it('sets the webhook flags on kube-apiserver and mounts the kubeconfig into its pod', () => {
    expect(at(clusterConfig, 'apiServer', 'extraArgs')).toEqual({
      'authentication-token-webhook-config-file': `${mountDir}/webhook-kubeconfig.yaml`,
      'authentication-token-webhook-version': 'v1',
      'authentication-token-webhook-cache-ttl': '30s',
    })
    expect(at(clusterConfig, 'apiServer', 'extraVolumes')).toEqual([
      {
        name: 'kube-oidc-webhook',
        hostPath: mountDir,
        mountPath: mountDir,
        readOnly: true,
        pathType: 'DirectoryOrCreate',
      },
    ])
    expect(upSh).toContain('"${work}/apiserver/webhook-kubeconfig.yaml"')
  })

  it('pins the Service address inside serviceSubnet, and the certificate and kubeconfig name it', () => {
    const [service] = parseYamlFile('manifests/kind/service-clusterip.yaml').map((d) => d.value)
    const ip = String(at(service, 'spec', 'clusterIP'))
    expect(ip).toBe('10.96.200.200')
    expect(at(cluster, 'networking', 'serviceSubnet')).toBe('10.96.0.0/16')
    expect(upSh).toContain(`SERVICE_IP="${ip}"`)
    expect(upSh).toContain('IP:${SERVICE_IP}')
    expect(upSh).toContain('DNS:${SERVICE_DNS}')
    const [kubeconfig] = parseYamlFile('manifests/kind/webhook-kubeconfig.template.yaml').map(
      (d) => d.value,
    )
    expect(new URL(String(at(resolve(kubeconfig).cluster, 'server'))).hostname).toBe(ip)
  })

  it('up.sh fills every placeholder of its templates and proves auth whoami', () => {
    for (const placeholder of [
      'KIND_CA_DATA',
      'KIND_CLIENT_CERT_DATA',
      'KIND_CLIENT_KEY_DATA',
      'KIND_ISSUER_URL',
      'KIND_CLUSTER_CA',
    ]) {
      expect(upSh).toContain(placeholder)
    }
    const template = readRepoFile('manifests/kind/authentication-config.template.yaml')
    expect(upSh).toContain(
      `DEMO_AUDIENCE="${String(template.match(/audiences:\n\s+- (\S+)/)?.[1])}"`,
    )
    expect(upSh).toContain(`USERNAME_PREFIX="${String(template.match(/prefix: '([^']+)'/)?.[1])}"`)
    expect(upSh.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(upSh).toMatch(/^set -euo pipefail$/m)
    expect(upSh).toContain('auth whoami')
    expect(upSh).toContain('kind load docker-image')
  })
})
