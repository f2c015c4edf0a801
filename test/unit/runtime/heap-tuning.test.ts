import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { heapGrowthChosen } from '../../../src/runtime/heap-tuning.js'

const built = fileURLToPath(new URL('../../../dist/runtime/heap-tuning.js', import.meta.url))

/**
 * A TTL-cache-like churn (entries live for 60k inserts, then die in the old
 * generation, as cached reviews do; short-lived scratch objects as per-review
 * garbage) in a fresh node; prints the largest heap
 * V8 reserved along the way.
 */
function peakHeapMiB(tune: boolean, execArgv: readonly string[] = []): number {
  const script = `
    import { getHeapStatistics } from 'node:v8'
    import { tuneHeapForService } from ${JSON.stringify(built)}
    if (${String(tune)}) tuneHeapForService()
    const ring = new Array(60000)
    let peak = 0
    let scratch
    for (let i = 0; i < 2_000_000; i++) {
      ring[i % ring.length] = { key: 'key' + i, user: { name: 'user' + i, groups: ['a' + i, 'b' + i] } }
      for (let j = 0; j < 20; j++) scratch = { j, i }
      if (i % 5000 === 0) peak = Math.max(peak, getHeapStatistics().total_heap_size)
    }
    if (scratch === undefined) throw new Error('unreachable')
    process.stdout.write(String(peak / 1048576))
  `
  const out = execFileSync(process.execPath, [...execArgv, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  return Number(out)
}

describe('heap tuning for serve', () => {
  it.each([
    { argv: [], want: false },
    { argv: ['--heap-growing-percent=50'], want: true },
    { argv: ['--heap_growing_percent=50'], want: true },
    { argv: ['--heap-growing-percent', '50'], want: true },
    { argv: ['--max-old-space-size=256'], want: false },
    { argv: ['--heap-growing-percentage=5'], want: false },
  ])('operator choice in $argv: $want', ({ argv, want }) => {
    expect(heapGrowthChosen(argv)).toBe(want)
  })

  it('keeps far less garbage in the heap than V8 does by default', () => {
    const untuned = peakHeapMiB(false)
    const tuned = peakHeapMiB(true)
    expect(tuned).toBeLessThan(untuned * 0.85)
  }, 60_000)

  it("leaves the operator's own growth factor alone", () => {
    const operators = peakHeapMiB(true, ['--heap-growing-percent=400'])
    const tuned = peakHeapMiB(true)
    expect(operators).toBeGreaterThan(tuned * 1.15)
  }, 60_000)
})
