/**
 * What a successful decode yields where Go's decoders shape the value:
 * bad UTF-8 in a JSON string, `!!binary`, the first of several YAML documents.
 */
import { describe, expect, it } from '@jest/globals'
import { decodeAuthenticationConfiguration } from '../../../src/config/decode.js'

const urlOf = (bytes: Buffer): string | undefined => {
  const decoded = decodeAuthenticationConfiguration(bytes)
  return decoded.ok ? decoded.config.jwt?.[0]?.issuer?.url : decoded.errors.join('\n')
}

const HEAD = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n'

describe('decoded values', () => {
  it('JSON: each byte of a broken UTF-8 sequence in a string becomes one U+FFFD', () => {
    const json = Buffer.concat([
      Buffer.from(
        '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"url":"https://a',
      ),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('"}}]}'),
    ])
    expect(urlOf(json)).toBe('https://a\ufffd\ufffd')
  })

  it('YAML: a !!binary value is its decoded bytes', () => {
    const yaml = `${HEAD}jwt:\n- issuer:\n    url: !!binary aHR0cHM6Ly9hLmV4YW1wbGUuY29t\n`
    expect(urlOf(Buffer.from(yaml))).toBe('https://a.example.com')
  })

  it('YAML: only the first document is read', () => {
    const yaml = `${HEAD}jwt:\n- issuer:\n    url: https://first.example.com\n---\nnot: [valid\n`
    expect(urlOf(Buffer.from(yaml))).toBe('https://first.example.com')
  })
})
