import { describe, expect, it } from '@jest/globals'
import { run } from '../../parity/cel-library-run.js'

describe('kubernetes.* type names', () => {
  it.each([
    ['type(url("/a")) == kubernetes.URL', true],
    ['type(quantity("1")) == kubernetes.Quantity', true],
    ['type(semver("1.0.0")) == kubernetes.Semver', true],
    ['type(format.uuid()) == kubernetes.NamedFormat', true],
    ['type(format.uuid()) == kubernetes.Quantity', false],
  ])('%s', (expr, value) => {
    expect(run(expr)).toEqual({ value })
  })

  it('leave a claim named kubernetes reachable', () => {
    expect(run('claims.kubernetes.x', { kubernetes: { x: 'y' } })).toEqual({ value: 'y' })
  })
})
