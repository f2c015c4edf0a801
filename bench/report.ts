/** Turns measured rounds into the printed tables and the goal verdicts. */
import { median } from './stats.js'

export interface Measurement {
  readonly phase: string
  readonly arm: string
  readonly round: number
  readonly reviews: number
  readonly reviewsPerSec: number
  /** Server CPU (user + system, all threads) per answered review. */
  readonly cpuUsPerReview: number
  /** Server CPU per answered review, µs, split: main thread user / main thread system / other threads. */
  readonly cpuSplitUs: {
    readonly mainUser: number
    readonly mainSystem: number
    readonly helpers: number
  }
  /** Server CPU in cores over the window. */
  readonly serverCores: number
  /** Load generator CPU in cores over the window. */
  readonly loadCores: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly rssMiB: number
  readonly failed: number
  /** Open loop: due in the window, unanswered at its end (their wait so far is in the percentiles). */
  readonly incomplete: number
  readonly firstFailure?: string
  /** Service only, from its /metrics: cache hits and misses during the round. */
  readonly cacheHits?: number
  readonly cacheMisses?: number
}

export interface MemoryResult {
  readonly points: readonly {
    readonly distinctTokens: number
    readonly rssMiB: number
    readonly cacheEntries?: number
  }[]
  readonly peakRssMiB: number
  readonly reviewsPerSec: number
  readonly failed: number
}

export interface Goal {
  readonly name: string
  readonly measured: number
  readonly unit: string
  readonly target: string
  readonly pass: boolean | undefined
  /** The per-round values behind a paired median, in the goal's unit (their spread is printed). */
  readonly rounds?: readonly number[]
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '-')

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
    .join('  ')
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => pad(r, widths)).join('\n')
}

/** The median of each metric over an arm's rounds. */
export function summarize(
  measurements: readonly Measurement[],
  phase: string,
  arm: string,
): Measurement | undefined {
  const rounds = measurements.filter((m) => m.phase === phase && m.arm === arm)
  if (rounds.length === 0) return undefined
  const pick = (f: (m: Measurement) => number): number => median(rounds.map(f))
  const failed = rounds.reduce((sum, m) => sum + m.failed, 0)
  const hits = rounds.every((m) => m.cacheHits !== undefined)
    ? rounds.reduce((s, m) => s + (m.cacheHits ?? 0), 0)
    : undefined
  const misses = rounds.every((m) => m.cacheMisses !== undefined)
    ? rounds.reduce((s, m) => s + (m.cacheMisses ?? 0), 0)
    : undefined
  const firstFailure = rounds.find((m) => m.firstFailure !== undefined)?.firstFailure
  return {
    phase,
    arm,
    round: rounds.length,
    reviews: rounds.reduce((s, m) => s + m.reviews, 0),
    reviewsPerSec: pick((m) => m.reviewsPerSec),
    cpuUsPerReview: pick((m) => m.cpuUsPerReview),
    cpuSplitUs: {
      mainUser: pick((m) => m.cpuSplitUs.mainUser),
      mainSystem: pick((m) => m.cpuSplitUs.mainSystem),
      helpers: pick((m) => m.cpuSplitUs.helpers),
    },
    serverCores: pick((m) => m.serverCores),
    loadCores: pick((m) => m.loadCores),
    p50Ms: pick((m) => m.p50Ms),
    p99Ms: pick((m) => m.p99Ms),
    rssMiB: pick((m) => m.rssMiB),
    failed,
    incomplete: rounds.reduce((sum, m) => sum + m.incomplete, 0),
    ...(firstFailure === undefined ? {} : { firstFailure }),
    ...(hits === undefined ? {} : { cacheHits: hits }),
    ...(misses === undefined ? {} : { cacheMisses: misses }),
  }
}

/**
 * `metric(a) / metric(b)` for each round in which both arms were measured; a
 * goal is the median of these. Pairing within a round cancels the drift of a
 * shared machine.
 */
export function pairedRatios(
  measurements: readonly Measurement[],
  phase: string,
  armA: string,
  armB: string,
  metric: (m: Measurement) => number,
): number[] {
  const ratios: number[] = []
  for (const a of measurements.filter((m) => m.phase === phase && m.arm === armA)) {
    const b = measurements.find((m) => m.phase === phase && m.arm === armB && m.round === a.round)
    if (b !== undefined) ratios.push(metric(a) / metric(b))
  }
  return ratios
}

/** `metric(a) - metric(b)` for each round in which both arms were measured. */
export function pairedDifferences(
  measurements: readonly Measurement[],
  phase: string,
  armA: string,
  armB: string,
  metric: (m: Measurement) => number,
): number[] {
  const differences: number[] = []
  for (const a of measurements.filter((m) => m.phase === phase && m.arm === armA)) {
    const b = measurements.find((m) => m.phase === phase && m.arm === armB && m.round === a.round)
    if (b !== undefined) differences.push(metric(a) - metric(b))
  }
  return differences
}

export function phaseTable(
  measurements: readonly Measurement[],
  phases: readonly { name: string; arms: readonly string[] }[],
): string {
  const rows: string[][] = [
    [
      'phase',
      'server',
      'reviews/s',
      'CPU µs/review',
      'main user/sys, other',
      'server cores',
      'load cores',
      'p50 ms',
      'p99 ms',
      'RSS MiB',
      'failed',
      'cache hit/miss',
    ],
  ]
  for (const phase of phases) {
    for (const arm of phase.arms) {
      const s = summarize(measurements, phase.name, arm)
      if (s === undefined) continue
      rows.push([
        phase.name,
        arm,
        fmt(s.reviewsPerSec),
        fmt(s.cpuUsPerReview, 1),
        `${fmt(s.cpuSplitUs.mainUser)}/${fmt(s.cpuSplitUs.mainSystem)}, ${fmt(s.cpuSplitUs.helpers)}`,
        fmt(s.serverCores, 2),
        fmt(s.loadCores, 2),
        fmt(s.p50Ms, 2),
        fmt(s.p99Ms, 2),
        fmt(s.rssMiB, 0),
        String(s.failed),
        s.cacheHits === undefined ? '-' : `${s.cacheHits}/${s.cacheMisses ?? 0}`,
      ])
    }
  }
  return table(rows)
}

export function goalTable(goals: readonly Goal[]): string {
  const rows = [['goal', 'measured', 'target', 'result', 'rounds (min .. max)']]
  for (const g of goals) {
    const digits = g.unit === 'B' || g.unit === 'MiB' ? 0 : 2
    const unit = g.unit === '' ? '' : ` ${g.unit}`
    const spread =
      g.rounds === undefined || g.rounds.length === 0
        ? '-'
        : `${fmt(Math.min(...g.rounds), digits)} .. ${fmt(Math.max(...g.rounds), digits)}`
    rows.push([
      g.name,
      `${fmt(g.measured, digits)}${unit}`,
      g.target,
      g.pass === undefined ? 'n/a' : g.pass ? 'PASS' : 'FAIL',
      spread,
    ])
  }
  return table(rows)
}
