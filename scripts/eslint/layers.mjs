// @ts-check
/**
 * The source layers, lowest first. A file may import from its own layer or
 * any layer below it, never from a layer above; a folder missing from this
 * list is an error too, so a new concern has to be placed deliberately.
 * docs/background/architecture.md draws the same order.
 */
import path from 'node:path'

export const LAYERS = [
  ['go', 'log', 'runtime', 'flags'],
  ['cel'],
  ['config'],
  ['warnings'],
  ['issuer'],
  ['token'],
  ['cache', 'metrics', 'revocation'],
  ['http', 'proxy'],
  ['server'],
  ['dev'],
  ['commands'],
  ['cli'],
]

/** @type {Map<string, number>} */
const RANK = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank])))
const ENTRY_RANK = LAYERS.length

/**
 * Layer of a file under src/: its top folder's rank, or the entry rank for
 * files directly in src/; undefined outside src/.
 * @param {string} file absolute path
 * @param {string} srcRoot absolute path of src/
 * @returns {{ rank: number | undefined, folder: string } | undefined}
 */
export function layerOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file)
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  const parts = rel.split(path.sep)
  if (parts.length === 1) return { rank: ENTRY_RANK, folder: '.' }
  const folder = /** @type {string} */ (parts[0])
  return { rank: RANK.get(folder), folder }
}

/** @type {import('eslint').Rule.RuleModule} */
export const downwardImports = {
  meta: {
    type: 'problem',
    docs: { description: 'imports under src/ only go down the layer order' },
    schema: [],
  },
  create(context) {
    const file = context.filename
    const srcRoot = path.join(context.cwd, 'src')
    const self = layerOf(file, srcRoot)
    if (self === undefined) return {}
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      if (self === undefined) return
      if (self.rank === undefined) {
        context.report({
          node,
          message: `src/${self.folder}/ is not in the layer list (scripts/eslint/layers.mjs)`,
        })
        return
      }
      if (typeof source !== 'string' || !source.startsWith('.')) return
      const target = layerOf(path.resolve(path.dirname(file), source), srcRoot)
      if (target === undefined || target.rank === undefined) return
      if (target.rank > self.rank) {
        context.report({
          node,
          message: `src/${self.folder}/ must not import from src/${target.folder}/, a higher layer`,
        })
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}

export const layersPlugin = { rules: { 'downward-imports': downwardImports } }
