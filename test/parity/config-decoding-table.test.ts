/**
 * kube-apiserver's own answers for decoding an AuthenticationConfiguration
 * file, run against the webhook's loader: the same error text, byte for byte,
 * or a file that decodes. The cases and their answers are in
 * config-decoding-cases.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { parseAuthenticationConfigBytes } from '../../src/config/load.js'
import { CONFIG_DECODING_CASES, type ConfigDecodingCase } from './config-decoding-cases.js'

const bytesOf = (c: ConfigDecodingCase): Buffer =>
  'text' in c ? Buffer.from(c.text, 'utf8') : Buffer.from(c.hex, 'hex')

describe('parity: decoding the AuthenticationConfiguration file as kube-apiserver does', () => {
  it('holds a broad table', () => {
    expect(CONFIG_DECODING_CASES.length).toBeGreaterThan(100)
  })

  it.each(CONFIG_DECODING_CASES.filter((c) => 'error' in c))('$name', (c) => {
    const result = parseAuthenticationConfigBytes(bytesOf(c))
    expect(result.ok ? 'decoded' : result.errors).toEqual(['error' in c ? c.error : ''])
  })

  it.each(CONFIG_DECODING_CASES.filter((c) => 'decodes' in c))('$name decodes', (c) => {
    const result = parseAuthenticationConfigBytes(bytesOf(c))
    // Decoding succeeded when nothing failed or only validation of the decoded object did.
    expect(result.ok ? 'decoded' : result.stage).not.toBe('decode')
  })
})
