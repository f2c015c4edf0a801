import { describe, expect, it } from '@jest/globals'
import { parseGoURL } from '../../../src/go/url.js'
import { validateURL } from '../../../src/config/validate-issuer.js'

describe('parseGoURL mirrors Go url.Parse errors', () => {
  it.each([
    { url: 'https://x:bad', error: 'parse "https://x:bad": invalid port ":bad" after host' },
    { url: 'https://[::1', error: `parse "https://[::1": missing ']' in host` },
    { url: ':foo', error: 'parse ":foo": missing protocol scheme' },
    {
      url: '1http://x',
      error: 'parse "1http://x": first path segment in URL cannot contain colon',
    },
    {
      url: 'https://x/\x7f',
      error: 'parse "https://x/\\x7f": net/url: invalid control character in URL',
    },
    {
      url: 'https://a b.com',
      error: 'parse "https://a b.com": invalid character " " in host name',
    },
    { url: 'https://x/%zz', error: 'parse "https://x/%zz": invalid URL escape "%zz"' },
    { url: 'https://x#%z', error: 'parse "https://x#%z": invalid URL escape "%z"' },
    { url: 'https://a{b@x', error: 'parse "https://a{b@x": net/url: invalid userinfo' },
  ])('$url', ({ url, error }) => {
    expect(parseGoURL(url)).toEqual({ ok: false, error })
  })

  it.each([
    { url: 'HTTPS://Example.com/p', scheme: 'https', hasUser: false, rawQuery: '', fragment: '' },
    { url: 'https://@x', scheme: 'https', hasUser: true, rawQuery: '', fragment: '' },
    { url: 'https://x?', scheme: 'https', hasUser: false, rawQuery: '', fragment: '' },
    { url: 'https://x#', scheme: 'https', hasUser: false, rawQuery: '', fragment: '' },
    { url: 'https://x?a=b#c', scheme: 'https', hasUser: false, rawQuery: 'a=b', fragment: 'c' },
    { url: 'x.example.com', scheme: '', hasUser: false, rawQuery: '', fragment: '' },
    { url: 'https://[::1]:8443/x', scheme: 'https', hasUser: false, rawQuery: '', fragment: '' },
  ])('$url parses', ({ url, ...want }) => {
    expect(parseGoURL(url)).toEqual({ ok: true, ...want })
  })
})

describe('validateURL', () => {
  it.each([
    { url: 'https://x.example.com', errors: [] },
    { url: 'https://x?', errors: [] },
    { url: 'https://x#', errors: [] },
    {
      url: 'https://@x',
      errors: ['p: Invalid value: "https://@x": URL must not contain a username or password'],
    },
    {
      url: 'x.example.com',
      errors: ['p: Invalid value: "x.example.com": URL scheme must be https'],
    },
    { url: 'HTTPS://x', errors: [] },
  ])('$url', ({ url, errors }) => {
    expect(validateURL(url, 'p').map(String)).toEqual(errors)
  })
})
