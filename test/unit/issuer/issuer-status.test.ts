/** Readiness conditions: three, pending at first; a transition time only when the status changes. */
import { describe, expect, it } from '@jest/globals'
import { ConditionSet } from '../../../src/issuer/issuer-status.js'

function clockAt(...isoTimes: string[]): () => Date {
  let i = 0
  return () => new Date(isoTimes[Math.min(i++, isoTimes.length - 1)] ?? 0)
}

describe('ConditionSet', () => {
  it('starts with the three conditions unknown, pending, without a transition time', () => {
    expect(new ConditionSet(clockAt('2030-01-01T00:00:00Z')).list()).toEqual([
      {
        type: 'DiscoveryValid',
        status: 'Unknown',
        reason: 'Pending',
        message: 'not attempted yet',
      },
      {
        type: 'JWKSFetchValid',
        status: 'Unknown',
        reason: 'Pending',
        message: 'not attempted yet',
      },
      { type: 'Ready', status: 'Unknown', reason: 'Pending', message: 'not attempted yet' },
    ])
  })

  it('stamps a transition when the status changes, and keeps it while only reason or message change', () => {
    const set = new ConditionSet(
      clockAt('2030-01-01T00:00:00Z', '2030-01-01T00:00:10Z', '2030-01-01T00:00:20Z'),
    )
    set.set('Ready', 'False', 'NotInitialized', 'no key set yet')
    set.set('Ready', 'False', 'NoKeys', 'still none')
    expect(set.get('Ready')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'NoKeys',
      message: 'still none',
      lastTransitionTime: '2030-01-01T00:00:00.000Z',
    })
    set.set('Ready', 'True', 'Success', 'ready to verify tokens')
    expect(set.get('Ready')?.lastTransitionTime).toBe('2030-01-01T00:00:10.000Z')
  })

  it('hands out copies: changing a listed condition changes nothing inside', () => {
    const set = new ConditionSet(clockAt('2030-01-01T00:00:00Z'))
    const [first] = set.list()
    if (first === undefined) throw new Error('no condition')
    first.status = 'True'
    expect(set.get('DiscoveryValid')?.status).toBe('Unknown')
  })
})
