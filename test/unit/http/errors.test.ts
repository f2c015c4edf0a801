import { describe, expect, it } from '@jest/globals'
import { HTTP_ERRORS, HttpError, renderError } from '../../../src/http/errors.js'

describe('HTTP error catalog', () => {
  it('holds exactly these codes', () => {
    expect(Object.keys(HTTP_ERRORS)).toEqual([
      'ERR_BAD_JSON',
      'ERR_NOT_AN_OBJECT',
      'ERR_NOT_A_TOKEN_REVIEW',
      'ERR_BAD_SPEC',
      'ERR_TOKEN_REQUIRED',
      'ERR_TOKEN_NOT_STRING',
      'ERR_BAD_AUDIENCES',
      'ERR_NOT_FOUND',
      'ERR_METHOD_NOT_ALLOWED',
      'ERR_BODY_TOO_LARGE',
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      'ERR_SHUTTING_DOWN',
      'ERR_INTERNAL',
    ])
  })

  it.each(Object.entries(HTTP_ERRORS))('%s renders as a metav1.Status', (code, def) => {
    const err = new HttpError(code as keyof typeof HTTP_ERRORS)
    expect(err.code).toBe(code)
    expect(JSON.parse(renderError(err).body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: def.message,
      reason: def.reason,
      code: def.statusCode,
    })
  })

  it('anything unknown becomes a 500 without its message', () => {
    const rendered = renderError(new Error('secret detail'))
    expect(rendered.statusCode).toBe(500)
    expect(rendered.body).not.toContain('secret detail')
    expect(JSON.parse(rendered.body).message).toBe('internal error')
  })
})
