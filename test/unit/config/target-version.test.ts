/** The targeted Kubernetes version is pinned, and the documents that state it agree. */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'
import {
  TARGET_GO_JOSE_VERSION,
  TARGET_GO_OIDC_VERSION,
  TARGET_KUBERNETES_VERSION,
} from '../../../src/config/target-version.js'

const read = (path: string) => readFile(new URL(`../../../${path}`, import.meta.url), 'utf8')

describe('target Kubernetes version', () => {
  it('is 1.37 with go-oidc v2.5.0 and go-jose v2.6.3 (changing it is a decision)', () => {
    expect([TARGET_KUBERNETES_VERSION, TARGET_GO_OIDC_VERSION, TARGET_GO_JOSE_VERSION]).toEqual([
      '1.37',
      'v2.5.0',
      'v2.6.3',
    ])
  })

  it('the README states it', async () => {
    expect(await read('README.md')).toContain(`Targets **Kubernetes ${TARGET_KUBERNETES_VERSION}**`)
  })

  it('the version notes are written for it', async () => {
    const notes = await read('docs/background/kubernetes-versions.md')
    expect(notes).toContain(`Target: Kubernetes ${TARGET_KUBERNETES_VERSION}`)
    expect(notes).toContain(`go-oidc ${TARGET_GO_OIDC_VERSION}`)
    expect(notes).toContain(`go-jose ${TARGET_GO_JOSE_VERSION}`)
  })
})
