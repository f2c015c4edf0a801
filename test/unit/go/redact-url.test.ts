/** Passwords in URLs shown as Go's net/url shows them (`user:***@`), everywhere a URL is printed. */
import { describe, expect, it } from '@jest/globals'
import { redactURL, redactURLsIn } from '../../../src/go/redact-url.js'

describe('redactURL', () => {
  it.each([
    ['https://user:pw@host/jwks', 'https://user:***@host/jwks'],
    ['https://user:pw@host:8443', 'https://user:***@host:8443'],
    ['https://user:@host/', 'https://user:***@host/'],
    ['https://:pw@host/', 'https://:***@host/'],
    ['https://user@host/', 'https://user@host/'],
    ['https://host/a@b?x=y:z@w', 'https://host/a@b?x=y:z@w'],
    ['https://u:p:q@x@host/', 'https://u:***@host/'],
    ['https://host/', 'https://host/'],
    ['not a url', 'not a url'],
    ['HTTPS://u:p@h?q#f', 'HTTPS://u:***@h?q#f'],
  ])('%s', (url, want) => {
    expect(redactURL(url)).toBe(want)
  })

  it('redacts every URL inside a message', () => {
    expect(redactURLsIn('parse "https://u:p@h/x": invalid port ":p@h" after host')).toBe(
      'parse "https://u:***@h/x": invalid port ":p@h" after host',
    )
  })
})
