/** `validate` (the built CLI) on configurations using the CEL libraries added for 1.37 parity. */
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from './cli-process.js'

const fixture = (name: string): string => join(process.cwd(), 'test/fixtures/configs', name)

describe('e2e: validate with quantity, semver, format and optional literals', () => {
  it('accepts the configuration that uses every library', async () => {
    const path = fixture('valid-cel-libraries.yaml')
    expect(await runCli(['validate', '--authentication-config', path])).toEqual({
      code: 0,
      signal: null,
      stdout: `${path}: valid AuthenticationConfiguration (1 JWT issuer)\n`,
      stderr: '',
    })
  })

  it("reports each type error as kube-apiserver's checker does", async () => {
    const r = await runCli([
      'validate',
      '--authentication-config',
      fixture('cel-libraries-type-errors.yaml'),
    ])
    const expected = await readFile(fixture('cel-libraries-type-errors.errors.txt'), 'utf8')
    expect(r.code).toBe(1)
    for (const line of expected.trimEnd().split('\n')) expect(r.stderr).toContain(line)
  })
})
