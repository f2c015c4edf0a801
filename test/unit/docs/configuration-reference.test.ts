import { readFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'

const TYPES = new URL('../../../src/config/types.ts', import.meta.url)
const DOC = new URL('../../../docs/reference/configuration.md', import.meta.url)

/** interface name -> its field names, read from the source text of src/config/types.ts. */
function interfaceFields(source: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const m of source.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const fields = [...(m[2] ?? '').matchAll(/^ {2}(\w+)\??:/gm)].map((f) => f[1] ?? '')
    out.set(m[1] ?? '', fields)
  }
  return out
}

/** Every identifier inside a code span or fenced block of the document. */
function codeIdentifiers(markdown: string): Set<string> {
  const code = [
    ...[...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? ''),
    ...[...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map(
      (m) => m[1] ?? '',
    ),
  ]
  return new Set(code.flatMap((text) => text.split(/[^A-Za-z0-9_]+/)))
}

describe('docs/reference/configuration.md', () => {
  it('reads every interface of src/config/types.ts', async () => {
    const fields = interfaceFields(await readFile(TYPES, 'utf8'))
    expect([...fields.keys()]).toEqual([
      'AuthenticationConfiguration',
      'AnonymousAuthConfig',
      'AnonymousAuthCondition',
      'JWTAuthenticator',
      'Issuer',
      'ClaimValidationRule',
      'PrefixedClaimOrExpression',
      'ClaimOrExpression',
      'ExtraMapping',
      'ClaimMappings',
      'UserValidationRule',
    ])
    for (const [name, list] of fields) expect(`${name}: ${list.length}`).not.toBe(`${name}: 0`)
  })

  it('names every config field in code', async () => {
    const fields = interfaceFields(await readFile(TYPES, 'utf8'))
    const inDoc = codeIdentifiers(await readFile(DOC, 'utf8'))
    const missing = [...fields].flatMap(([iface, names]) =>
      names.filter((n) => !inDoc.has(n)).map((n) => `${iface}.${n}`),
    )
    expect(missing).toEqual([])
  })
})
