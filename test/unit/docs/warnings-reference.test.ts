/** docs/reference/warnings.md documents every warning code and every recognised CI issuer. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { knownCiIssuers } from '../../../src/warnings/ci-issuers.js'
import { WARNING_CODES } from '../../../src/warnings/warning.js'

const doc = readFileSync(join(process.cwd(), 'docs/reference/warnings.md'), 'utf8')

describe('docs/reference/warnings.md', () => {
  it('has one section per warning code, and no other', () => {
    const headings = [...doc.matchAll(/^## (WARN_\w+)$/gm)].map((m) => m[1])
    expect(headings).toEqual([...WARNING_CODES])
  })

  it.each(knownCiIssuers().map((ci) => [ci.name, ci.pinClaims] as const))(
    'lists %s with every claim that pins it',
    (name, claims) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| ${name} `)) ?? ''
      expect(row).not.toBe('')
      for (const claim of claims) expect(row).toContain(`\`${claim}\``)
    },
  )
})
