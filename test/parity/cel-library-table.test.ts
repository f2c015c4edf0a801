/**
 * Kubernetes' and cel-go's CEL test cases (see cel-library-cases.ts) run through our
 * compile/evaluate API and, for compile_test.go, through the config field compiler.
 */
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { compileClaimsExpression } from '../../src/cel/compile.js'
import { compileClaimsField, compileUserField } from '../../src/config/compile-expression.js'
import type { CompileCase, LibraryCase } from './cel-library-cases.js'
import {
  cidrCases,
  compileCases,
  ipCases,
  libraryClaims,
  listCases,
  sortByCases,
  twoVariableCases,
  urlCases,
} from './cel-library-cases.js'

const activation = toClaimsActivation(libraryClaims)

function run(expr: string): { value?: unknown; error?: string; compileError?: string } {
  const compiled = compileClaimsExpression(expr)
  if (!compiled.ok) return { compileError: compiled.message }
  try {
    return { value: compiled.compiled.evaluate(activation) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

function expected(c: LibraryCase): { value?: unknown; error?: string; compileError?: string } {
  if (c.compileError !== undefined) return { compileError: c.compileError }
  if (c.error !== undefined) return { error: c.error }
  return { value: c.want }
}

describe.each([
  ['ip_test.go TestIP', ipCases],
  ['cidr_test.go TestCIDR', cidrCases],
  ['urls.go examples', urlCases],
  ['lists.go examples', listCases],
  ['two-variable comprehensions', twoVariableCases],
  ['sortBy', sortByCases],
])('%s', (_table, cases) => {
  it.each(cases.map((c) => ({ ...c })))('$name: $expr', (c) => {
    expect(run(c.expr)).toEqual(expected(c))
  })
})

describe('compile_test.go', () => {
  function compileField(c: CompileCase): string | undefined {
    const path = 'jwt[0].x.expression'
    const result =
      c.kind === 'user-validation'
        ? compileUserField(c.expr, path)
        : compileClaimsField(c.expr, path, c.kind === 'claims-validation')
    return result.ok ? undefined : result.error.toString()
  }

  it.each(compileCases.filter((c) => c.wantErr === undefined).map((c) => ({ ...c })))(
    '$name compiles',
    (c) => {
      expect(compileField(c)).toBeUndefined()
    },
  )

  it.each(compileCases.filter((c) => c.wantErr !== undefined).map((c) => ({ ...c })))(
    '$name fails',
    (c) => {
      expect(compileField(c)).toContain(c.wantErr)
    },
  )
})
