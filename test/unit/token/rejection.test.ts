/** The one place failures become refusals: known errors keep their words, anything else shows only a code. */
import { describe, expect, it } from '@jest/globals'
import { reject, toRejection, VerifyError } from '../../../src/token/rejection.js'
import { TokenRejected } from '../../../src/token/types.js'

function fields(r: TokenRejected): unknown {
  return { reason: r.reason, step: r.step, message: r.message, transient: r.transient }
}

describe('toRejection', () => {
  it('wraps a VerifyError with the prefix, keeping reason and transience', () => {
    const err = new VerifyError('keys_unavailable', 'fetching keys boom', true)
    expect(fields(toRejection(err, 'verify', 'oidc: verify token: '))).toEqual({
      reason: 'keys_unavailable',
      step: 'verify',
      message: 'oidc: verify token: fetching keys boom',
      transient: true,
    })
  })

  it('passes a TokenRejected through unchanged', () => {
    const rejected = reject('issuer_not_ready', 'readiness', 'not yet', true)
    expect(toRejection(rejected, 'verify', 'ignored: ')).toBe(rejected)
  })

  it.each([
    [
      'an error with a short code',
      Object.assign(new Error('payload {"sub":"x"}'), { code: 'ERR_X_1' }),
      'ERR_X_1',
    ],
    [
      'an error whose code could carry text',
      Object.assign(new Error('x'), { code: 'has spaces' }),
      'unknown',
    ],
    ['an error without a code', new Error('eyJhbGciOi.secret'), 'unknown'],
    ['a thrown string', 'eyJhbGciOi.secret', 'unknown'],
  ])('turns %s into an internal error naming only the code', (_name, err, code) => {
    const rejection = toRejection(err, 'username', 'oidc: ')
    expect(fields(rejection)).toEqual({
      reason: 'malformed',
      step: 'username',
      message: `oidc: oidc: internal error (${code})`,
      transient: false,
    })
    expect(String((rejection.cause as Error).message)).toBe(`internal error code ${code}`)
    expect(JSON.stringify(fields(rejection))).not.toContain('secret')
  })
})
