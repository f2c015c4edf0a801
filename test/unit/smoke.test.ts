import { describe, expect, it } from '@jest/globals'
import { jwtVerify } from 'jose'
import { Environment } from '@marcbachmann/cel-js'
import { fixedClock } from '../../src/runtime/clock.js'

describe('toolchain', () => {
  it('loads ESM-only deps', () => {
    expect(typeof jwtVerify).toBe('function')
    const env = new Environment({ enableOptionalTypes: true }).registerVariable('claims', 'map')
    expect(env.evaluate('claims.?x.orValue("d")', { claims: new Map() })).toBe('d')
    expect(fixedClock(new Date(0)).now().getTime()).toBe(0)
  })
})
