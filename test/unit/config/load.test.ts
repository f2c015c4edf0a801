import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MAX_CONFIG_BYTES,
  loadAuthenticationConfig,
  parseAuthenticationConfig,
  validateAuthenticationConfigFile,
} from '../../../src/config/load.js'

const VALID = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer: {url: https://a.example.com, audiences: [k]}
  claimMappings: {username: {claim: sub, prefix: ""}}
`
let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-load-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('loadAuthenticationConfig', () => {
  it('hashes the raw bytes of the file, BOM included', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)])
    const path = join(dir, 'bom.yaml')
    await writeFile(path, bytes)
    const result = await loadAuthenticationConfig(path)
    expect(result.ok && result.config.hash).toBe(
      `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    )
  })

  it('reports a missing file as Go does', async () => {
    const path = join(dir, 'missing.yaml')
    expect(await loadAuthenticationConfig(path)).toEqual({
      ok: false,
      stage: 'read',
      errors: [`open ${path}: no such file or directory`],
    })
  })

  it('reports a directory', async () => {
    const path = join(dir, 'adir')
    await mkdir(path)
    expect(await validateAuthenticationConfigFile(path)).toEqual([`read ${path}: is a directory`])
  })

  it('refuses a file over the size bound without parsing it', async () => {
    const path = join(dir, 'big.yaml')
    await writeFile(path, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20))
    expect(await validateAuthenticationConfigFile(path)).toEqual([
      `config data is ${MAX_CONFIG_BYTES + 1} bytes, more than the ${MAX_CONFIG_BYTES}-byte limit of this webhook`,
    ])
  })

  it("refuses invalid UTF-8 in YAML as go-yaml's reader does", async () => {
    const path = join(dir, 'latin1.yaml')
    await writeFile(path, Buffer.concat([Buffer.from(VALID), Buffer.from([0x23, 0xff, 0x0a])]))
    expect(await validateAuthenticationConfigFile(path)).toEqual([
      'yaml: invalid leading UTF-8 octet',
    ])
  })

  it('validate lists nothing for a valid file', async () => {
    const path = join(dir, 'ok.yaml')
    await writeFile(path, VALID)
    expect(await validateAuthenticationConfigFile(path)).toEqual([])
  })
})

describe('strict decoding details', () => {
  const head = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n'
  it.each([
    {
      name: 'YAML keys reach the decoder sorted, so the first type error is the alphabetically first',
      text: `${head}jwt:\n- issuer: {url: 5, audiences: 7}\n`,
      errors: [
        'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.audiences of type []string',
      ],
    },
    {
      name: 'JSON keys are decoded in document order',
      text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"url":5,"audiences":7}}]}',
      errors: [
        'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.url of type string',
      ],
    },
    {
      name: 'a type error hides unknown fields',
      text: `${head}foo: 1\njwt: {}\n`,
      errors: [
        'json: cannot unmarshal object into Go struct field AuthenticationConfiguration.jwt of type []v1.JWTAuthenticator',
      ],
    },
    {
      name: 'YAML duplicates come before unknown fields',
      text: `${head}zzz: 1\nkind: AuthenticationConfiguration\n`,
      errors: [
        'strict decoding error: yaml: unmarshal errors:\n  line 4: key "kind" already set in map, unknown field "zzz"',
      ],
    },
    {
      name: 'unknown fields nested in lists carry indexes',
      text: `${head}jwt:\n- issuer: {url: https://a.example.com, audiences: [k]}\n  claimMappings:\n    username: {claim: sub, prefix: ""}\n    extra: [{key: a.org/b, valueExpression: claims.b, value: x}]\n`,
      errors: ['strict decoding error: unknown field "jwt[0].claimMappings.extra[0].value"'],
    },
    {
      name: 'anonymous is decoded strictly',
      text: `${head}anonymous: {enabled: true, extra: 1}\n`,
      errors: ['strict decoding error: unknown field "anonymous.extra"'],
    },
    {
      name: 'apiVersion of the wrong type',
      text: 'apiVersion: 1\nkind: AuthenticationConfiguration\n',
      errors: [
        "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string",
      ],
    },
    {
      name: 'malformed group/version',
      text: 'apiVersion: a/b/c\nkind: AuthenticationConfiguration\n',
      errors: ['unexpected GroupVersion string: a/b/c'],
    },
  ])('$name', ({ text, errors }) => {
    expect(parseAuthenticationConfig(text)).toEqual({ ok: false, stage: 'decode', errors })
  })

  it.each([
    { name: 'null fields are absent', text: `${head}anonymous: null\njwt: null\n` },
    {
      name: 'date-like and sexagesimal scalars stay strings',
      text: `${head}jwt:\n- issuer: {url: https://a.example.com, audiences: [2001-12-14, 1:20], audienceMatchPolicy: MatchAny}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`,
    },
    {
      name: 'anchors, aliases and merge keys',
      text: `${head}jwt:\n- issuer: {url: https://a.example.com, audiences: &aud [k]}\n  claimMappings:\n    username: {<<: {claim: sub}, prefix: ""}\n- issuer: {url: https://b.example.com, audiences: *aud}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`,
    },
  ])('$name', ({ text }) => {
    const result = parseAuthenticationConfig(text)
    expect(result.ok ? 'ok' : result.errors).toBe('ok')
  })

  it('an audience list that YAML reads as dates keeps the literal text', () => {
    const result = parseAuthenticationConfig(
      `${head}jwt:\n- issuer: {url: https://a.example.com, audiences: [2001-12-14, 1:20], audienceMatchPolicy: MatchAny}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`,
    )
    expect(result.ok && result.config.jwt[0]?.issuer.audiences).toEqual(['2001-12-14', '1:20'])
  })
})
