/** manifests/components/revocation: a valid empty list, mounted whole and passed as --revocation-file. */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { parseRevocationListText } from '../../../src/revocation/parse.js'
import { parseYamlFile, repoPath } from './repo-files.js'

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p))
const describeKubectl = kubectl === undefined ? describe.skip : describe

interface Container {
  args: string[]
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]
}
interface Manifest {
  kind: string
  metadata: { name: string }
  data?: Record<string, string>
  spec?: {
    template: {
      spec: { containers: Container[]; volumes: { name: string; configMap?: { name: string } }[] }
    }
  }
}

function configMapList(doc: Manifest): string {
  const text = doc.data?.['revocation.yaml']
  if (text === undefined) throw new Error('no revocation.yaml key')
  return text
}

describe('manifests/components/revocation', () => {
  it('ships a list the webhook accepts, with no entries', () => {
    const [doc] = parseYamlFile('manifests/components/revocation/configmap.yaml')
    const result = parseRevocationListText(configMapList(doc?.value as Manifest))
    expect(result.ok && result.list.entries).toEqual([])
  })
})

describeKubectl('manifests/components/revocation with kubectl kustomize', () => {
  it('adds the ConfigMap, mounts it as a whole directory and passes --revocation-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kow-revocation-'))
    let objects: Manifest[]
    try {
      const m = relative(dir, repoPath('manifests'))
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        `resources: [${m}]\ncomponents: [${m}/components/revocation]\n`,
      )
      const out = execFileSync(kubectl ?? 'kubectl', ['kustomize', dir], { encoding: 'utf8' })
      objects = parseAllDocuments(out).map((d) => d.toJS() as Manifest)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const configMap = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'kube-oidc-webhook-revocation',
    )
    expect(configMap).toBeDefined()
    const pod = objects.find((o) => o.kind === 'Deployment')?.spec?.template.spec
    const container = pod?.containers[0]
    expect(container?.args).toContain(
      '--revocation-file=/etc/kube-oidc-webhook/revocation/revocation.yaml',
    )
    expect(container?.volumeMounts).toContainEqual({
      name: 'revocation',
      mountPath: '/etc/kube-oidc-webhook/revocation',
      readOnly: true,
    })
    expect(pod?.volumes).toContainEqual({
      name: 'revocation',
      configMap: { name: 'kube-oidc-webhook-revocation' },
    })
  })
})
