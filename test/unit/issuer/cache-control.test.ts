import { describe, expect, it } from '@jest/globals'
import { cacheLifetimeMs, refreshDelayMs } from '../../../src/issuer/cache-control.js'

describe('JWKS refresh policy', () => {
  it.each([
    ['max-age', { 'cache-control': 'public, max-age=600' }, 600_000, 480_000],
    ['s-maxage wins', { 'cache-control': 'max-age=600, s-maxage=120' }, 120_000, 96_000],
    ['below the floor', { 'cache-control': 'max-age=5' }, 5_000, 60_000 * 0.8],
    ['above the ceiling', { 'cache-control': 'max-age=999999' }, 999_999_000, 24 * 3600_000 * 0.8],
    [
      'Expires minus Date',
      { expires: 'Tue, 01 Jan 2030 00:10:00 GMT', date: 'Tue, 01 Jan 2030 00:00:00 GMT' },
      600_000,
      480_000,
    ],
    ['no headers: 5 minute default', {}, undefined, 240_000],
  ])('%s', (_n, headers, lifetime, refresh) => {
    expect(cacheLifetimeMs(headers)).toBe(lifetime)
    expect(refreshDelayMs(headers).refreshInMs).toBe(refresh)
  })
})
