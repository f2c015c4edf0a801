/**
 * What the issuer HTTP client refuses before opening a connection: schemes
 * other than https and unparsable URLs, with messages that never show a
 * password. Everything over a socket is in
 * test/integration/issuer-http-client.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { createHttpClient, IssuerFetchError } from '../../../src/issuer/http-client.js'

describe('createHttpClient', () => {
  it.each([
    [
      'http://issuer.example.test/x',
      'Get "http://issuer.example.test/x": unsupported protocol scheme "http"',
    ],
    ['not a url', 'parse "not a url": invalid URL'],
    [
      'http://user:secret@issuer.example.test/x',
      'Get "http://user:***@issuer.example.test/x": unsupported protocol scheme "http"',
    ],
  ])('refuses %s with a message that never shows a password', async (url, message) => {
    const c = createHttpClient({ timeoutMs: 10_000, maxResponseBytes: 1024 })
    const refused = c.get(url)
    await expect(refused).rejects.toThrow(IssuerFetchError)
    await expect(refused).rejects.toThrow(message)
    c.close()
  })
})
