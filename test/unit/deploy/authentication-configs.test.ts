import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadAuthenticationConfig } from '../../../src/config/load.js'
import {
  arr,
  at,
  listRepoFiles,
  parseYamlFile,
  parseYamlString,
  readRepoFile,
} from './repo-files.js'

const idps = [
  'auth0',
  'dex',
  'entra-id',
  'github-actions',
  'gitlab-ci',
  'google',
  'keycloak',
  'kubernetes-service-accounts',
  'okta',
  'spire',
]

/** Writes `text` to a temporary file, runs the loader on it, removes the file. */
async function load(text: string): ReturnType<typeof loadAuthenticationConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'kow-config-'))
  try {
    const file = join(dir, 'authentication-config.yaml')
    writeFileSync(file, text)
    return await loadAuthenticationConfig(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What up.sh does to the kind template (sed for the issuer, awk for the CA lines). */
function renderKindTemplate(template: string, issuer: string, caPem: string): string {
  return template
    .split('\n')
    .flatMap((line) => {
      const m = /^( *)KIND_CLUSTER_CA$/.exec(line)
      if (m === null) return [line.replaceAll('KIND_ISSUER_URL', issuer)]
      return caPem
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => `${m[1] ?? ''}${l}`)
    })
    .join('\n')
}

describe('every shipped AuthenticationConfiguration validates', () => {
  const configMap = parseYamlFile('manifests/configmap.yaml')[0]?.value

  it('finds one guide config per identity provider', () => {
    expect(listRepoFiles('docs/guides', ['.authentication-config.yaml'])).toEqual(
      idps.map((idp) => `docs/guides/${idp}.authentication-config.yaml`),
    )
  })

  it.each(idps.map((idp) => ({ idp, file: `docs/guides/${idp}.authentication-config.yaml` })))(
    '$file',
    async ({ file }) => {
      const result = await load(readRepoFile(file))
      expect(result.ok ? [] : result.errors).toEqual([])
    },
  )

  it('manifests/configmap.yaml data["authentication-config.yaml"]', async () => {
    const text = String(at(configMap, 'data', 'authentication-config.yaml'))
    const result = await load(text)
    expect(result.ok ? [] : result.errors).toEqual([])
  })

  it('manifests/kind/authentication-config.template.yaml as up.sh renders it', async () => {
    const text = renderKindTemplate(
      readRepoFile('manifests/kind/authentication-config.template.yaml'),
      'https://kubernetes.default.svc.cluster.local',
      readRepoFile('test/unit/deploy/testdata/kind-ca.pem'),
    )
    const result = await load(text)
    expect(result.ok ? [] : result.errors).toEqual([])
  })

  it('rejects a guide config broken the way the email_verified rule forbids (the check can fail)', async () => {
    const text = readRepoFile('docs/guides/google.authentication-config.yaml').replace(
      /\n *- expression: 'claims\.\?email_verified[^\n]*\n *message:[^\n]*/,
      '',
    )
    expect(text).not.toContain('email_verified')
    const result = await load(text)
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.errors.map((e) => e.split(':')[0])).toEqual([
      'jwt[0].claimMappings.username.expression',
    ])
  })
})

describe('guide configs follow the project conventions', () => {
  const configs = [
    ...idps.map((idp) => ({
      name: idp,
      text: readRepoFile(`docs/guides/${idp}.authentication-config.yaml`),
    })),
    {
      name: 'configmap',
      text: String(
        at(
          parseYamlFile('manifests/configmap.yaml')[0]?.value,
          'data',
          'authentication-config.yaml',
        ),
      ),
    },
  ]

  it.each(configs)(
    '$name: v1, https issuer without query or fragment, system: usernames refused',
    ({ name, text }) => {
      const config = parseYamlString(text, name)
      expect(at(config, 'apiVersion')).toBe('apiserver.config.k8s.io/v1')
      const [jwt] = arr(at(config, 'jwt'), 'jwt')
      const url = new URL(String(at(jwt, 'issuer', 'url')))
      expect(url.protocol).toBe('https:')
      expect(url.search + url.hash).toBe('')
      expect(arr(at(jwt, 'userValidationRules'), 'userValidationRules')).toContainEqual({
        expression: "!user.username.startsWith('system:')",
        message: "usernames starting with 'system:' are reserved for Kubernetes",
      })
      const username = at(jwt, 'claimMappings', 'username')
      const prefix = at(username, 'prefix')
      const expression = at(username, 'expression')
      expect(
        (typeof prefix === 'string' && prefix.endsWith(':')) || typeof expression === 'string',
      ).toBe(true)
    },
  )

  it.each(idps)('docs/guides/%s.md exists and points at its config', (idp) => {
    expect(readRepoFile(`docs/guides/${idp}.md`)).toContain(`${idp}.authentication-config.yaml`)
  })
})
