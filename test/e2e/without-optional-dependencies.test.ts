/**
 * The production image prunes the optional dependencies, which only `dev`
 * uses. With a resolver hook that hides them, as if pruned: `validate` still
 * works and `dev` fails with a clear error instead of a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CLI, assertBuilt } from './cli-process.js'

const HIDDEN = ['oidc-provider', '@peculiar/x509', 'reflect-metadata']

const CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://issuer.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`

let dir: string
let register: string

beforeAll(async () => {
  assertBuilt()
  dir = await mkdtemp(join(tmpdir(), 'kow-no-optional-'))
  await writeFile(
    join(dir, 'hooks.mjs'),
    `const hidden = ${JSON.stringify(HIDDEN)}
export async function resolve(specifier, context, next) {
  if (hidden.includes(specifier)) {
    const err = new Error(\`Cannot find package '\${specifier}' imported from \${context.parentURL}\`)
    err.code = 'ERR_MODULE_NOT_FOUND'
    throw err
  }
  return next(specifier, context)
}
`,
  )
  register = join(dir, 'register.mjs')
  await writeFile(
    register,
    `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)})\n`,
  )
  await writeFile(join(dir, 'config.yaml'), CONFIG)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', register, CLI, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('without the optional dependencies', () => {
  it('validate works', () => {
    const result = run(['validate', '--authentication-config', join(dir, 'config.yaml')])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('dev says which optional dependency is missing and exits 1', () => {
    const result = run(['dev', '--dir', join(dir, 'dev')])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(
      /^Error: the dev command needs the optional dependency (oidc-provider|@peculiar\/x509|reflect-metadata), which this installation omits \(install with "npm ci", without --omit=optional\)\n$/,
    )
  })
})
