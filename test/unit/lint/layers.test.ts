/** The layer order is enforced by lint: an upward import fails `npm test`. */
import { describe, expect, it } from '@jest/globals'
import { ESLint } from 'eslint'
import { join } from 'node:path'
import tseslint from 'typescript-eslint'
import { layersPlugin } from '../../../scripts/eslint/layers.mjs'

const root = process.cwd()
// The rule alone, without the type-aware rules (they need files on disk).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['src/**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { layers: layersPlugin },
      rules: { 'layers/downward-imports': 'error' },
    },
  ],
})

async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'layers/downward-imports')
    .map((m) => m.message)
}

describe('layers/downward-imports', () => {
  it('is on for every file under src/ in the project config', async () => {
    const project = new ESLint({ cwd: root })
    const config = (await project.calculateConfigForFile(join(root, 'src/token/verify.ts'))) as {
      rules: Record<string, unknown>
    }
    expect(config.rules['layers/downward-imports']).toEqual([2])
  })

  it.each([
    ['src/issuer/x.ts', "import type { RejectReason } from '../token/types.js'\n", 'src/token/'],
    ['src/go/x.ts', "export { a } from '../config/field-error.js'\n", 'src/config/'],
    ['src/cel/library/x.ts', "export * from '../../server/reviewer.js'\n", 'src/server/'],
    ['src/commands/x.ts', "await import('../cli/main.js')\n", 'src/cli/'],
  ])('refuses %s importing upward', async (file, code, target) => {
    const messages = await layerMessages(file, code)
    expect(messages).toEqual([expect.stringContaining(`must not import from ${target}`)])
  })

  it.each([
    ['src/token/x.ts', "import type { IssuerObserver } from '../issuer/issuer-observer.js'\n"],
    ['src/cache/x.ts', "import type { X } from '../metrics/registry.js'\n"],
    ['src/cli/x.ts', "import { SERVE } from '../commands/definitions.js'\n"],
    ['src/cli.ts', "import { runCli } from './cli/main.js'\n"],
    ['src/token/x.ts', "import { createHash } from 'node:crypto'\n"],
  ])('accepts %s importing its own layer or below', async (file, code) => {
    expect(await layerMessages(file, code)).toEqual([])
  })

  it('refuses a folder that is not in the layer list', async () => {
    const messages = await layerMessages('src/misc/x.ts', "import { a } from '../go/quote.js'\n")
    expect(messages).toEqual([expect.stringContaining('src/misc/ is not in the layer list')])
  })
})
