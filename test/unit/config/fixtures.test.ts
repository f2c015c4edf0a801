import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { loadAuthenticationConfig, parseAuthenticationConfig } from '../../../src/config/load.js'

const DIR = join(process.cwd(), 'test/fixtures/configs')
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const name = file.replace(/\.yaml$/, '')
    const errorsFile = join(DIR, `${name}.errors.txt`)
    const expected = existsSync(errorsFile)
      ? readFileSync(errorsFile, 'utf8').trimEnd().split('\n')
      : undefined
    return { name, path: join(DIR, file), expected }
  })

describe('config fixtures', () => {
  it('every bad fixture has an .errors.txt and every good one is named valid-*', () => {
    expect(fixtures.length).toBeGreaterThan(50)
    for (const f of fixtures)
      expect([f.name, f.expected === undefined]).toEqual([f.name, f.name.startsWith('valid-')])
  })

  it.each(fixtures)('$name', async ({ path, expected }) => {
    const result = await loadAuthenticationConfig(path)
    if (expected === undefined) {
      expect(result).toMatchObject({ ok: true })
    } else {
      // Some of kube-apiserver's errors span lines (go-yaml's `yaml: unmarshal errors:`).
      expect(result.ok ? [] : result.errors.join('\n').split('\n')).toEqual(expected)
    }
  })
})

const HEAD = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n'
const entry = (i: number) =>
  `- issuer:\n    url: https://issuer${i}.example.com\n    audiences: [k]\n  claimMappings:\n    username: {claim: sub, prefix: ""}\n`

describe('number of jwt entries', () => {
  it.each([
    { n: 0, errors: undefined },
    { n: 1, errors: undefined },
    { n: 64, errors: undefined },
    { n: 65, errors: ['jwt: Too many: 65: must have at most 64 items'] },
    { n: 100, errors: ['jwt: Too many: 100: must have at most 64 items'] },
  ])('$n entries', ({ n, errors }) => {
    const text = HEAD + Array.from({ length: n }, (_, i) => entry(i)).join('')
    const result = parseAuthenticationConfig(n === 0 ? HEAD.replace('jwt:\n', 'jwt: []\n') : text)
    if (errors === undefined) {
      expect(result.ok).toBe(true)
      if (result.ok) expect(result.config.jwt).toHaveLength(n)
    } else {
      expect(result).toEqual({ ok: false, stage: 'validate', errors })
    }
  })

  it('65 entries stop validation before any entry is checked', () => {
    const bad = '- issuer: {url: "http://x"}\n'
    expect(parseAuthenticationConfig(HEAD + bad.repeat(65))).toEqual({
      ok: false,
      stage: 'validate',
      errors: ['jwt: Too many: 65: must have at most 64 items'],
    })
  })
})

describe('apiVersions', () => {
  const body = entry(0)
  it.each(['v1', 'v1beta1', 'v1alpha1'])('%s compiles to the same issuers', (version) => {
    const result = parseAuthenticationConfig(HEAD.replace('/v1\n', `/${version}\n`) + body)
    const reference = parseAuthenticationConfig(HEAD + body)
    expect(result.ok && reference.ok).toBe(true)
    if (!result.ok || !reference.ok) return
    expect(result.config.apiVersion).toBe(`apiserver.config.k8s.io/${version}`)
    expect(result.config.jwt.map((j) => [j.fingerprint, j.issuer])).toEqual(
      reference.config.jwt.map((j) => [j.fingerprint, j.issuer]),
    )
  })

  it('a type error names the version package', () => {
    const text = HEAD.replace('/v1\n', '/v1beta1\n') + '- 5\n'
    expect(parseAuthenticationConfig(text)).toEqual({
      ok: false,
      stage: 'decode',
      errors: [
        'json: cannot unmarshal number into Go struct field AuthenticationConfiguration.jwt of type v1beta1.JWTAuthenticator',
      ],
    })
  })
})
