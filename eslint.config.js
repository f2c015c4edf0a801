// @ts-check
// typescript-eslint's recommended set (flat config). @eslint/js is not a
// dependency, so ESLint's own recommended rules are not layered underneath.
import tseslint from 'typescript-eslint'
import { layersPlugin } from './scripts/eslint/layers.mjs'

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'dev/**', '.bench-build/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/downward-imports': 'error' },
  },
]
