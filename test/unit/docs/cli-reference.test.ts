import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'
import { CHECK, DEV, SERVE, VALIDATE } from '../../../src/commands/definitions.js'
import {
  CLI_REFERENCE_PATH,
  REGENERATE_COMMAND,
  helpOutput,
  renderCliReference,
} from './cli-reference.js'

// fastify's test:validator:integrity, for the CLI reference: regenerate and compare.
describe('docs/reference/cli.md', () => {
  it('is exactly what the CLI generates', async () => {
    const expected = await renderCliReference()
    if (process.env['UPDATE_DOCS'] === '1') await writeFile(CLI_REFERENCE_PATH, expected)
    const actual = await readFile(CLI_REFERENCE_PATH, 'utf8').catch(() => '')
    if (actual !== expected) {
      throw new Error(
        `docs/reference/cli.md is out of date with the CLI's --help.\nRegenerate it with:\n  ${REGENERATE_COMMAND}\n`,
      )
    }
  })

  it.each([
    ['--help', ['--help']],
    ['serve --help', ['serve', '--help']],
    ['validate --help', ['validate', '-h']],
    ['check --help', ['check', '--help']],
  ])('contains the verbatim output of %s', async (_name, argv) => {
    const doc = await readFile(CLI_REFERENCE_PATH, 'utf8')
    const help = (await helpOutput(argv)).replace(/\n+$/, '')
    expect(doc).toContain(`\`\`\`text\n${help}\n\`\`\``)
  })

  it.each([SERVE, VALIDATE, CHECK, DEV].flatMap((c) => c.flags.map((f) => [c.name, f.name])))(
    '%s section lists --%s',
    async (command, flag) => {
      const doc = await readFile(CLI_REFERENCE_PATH, 'utf8')
      const section = doc.split(/^## /m).find((s) => s.startsWith(`\`${command}\``)) ?? ''
      expect(section).toMatch(new RegExp(`^\\| \`--${flag}\` +\\|`, 'm'))
    },
  )
})
