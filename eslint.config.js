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
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/downward-imports': 'error' },
  },
]
