/**
 * A histogram for the per-review hot path. prom-client's `observe(labels, v)`
 * hashes the label set on every call; here a series is looked up once by a
 * caller-built key and an observation is an array increment. The series are
 * rendered in prom-client's metric format when the registry is scraped, so the
 * exposition is the same as a prom-client Histogram's.
 */
import type { Registry } from 'prom-client'

interface Series {
  readonly labels: Readonly<Record<string, string>>
  /** Per bucket, not cumulative; the last slot is +Inf. */
  readonly counts: Float64Array
  sum: number
  count: number
}

interface ValuePair {
  labels: Record<string, string | number>
  value: number
  metricName: string
}

export class FastHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly #series = new Map<string, Series>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0])
  }

  /** Adds one observation to the series `key` (its labels are made only the first time). */
  observe(key: string, labels: () => Readonly<Record<string, string>>, value: number): void {
    let series = this.#series.get(key)
    if (series === undefined) {
      series = {
        labels: labels(),
        counts: new Float64Array(this.upperBounds.length + 1),
        sum: 0,
        count: 0,
      }
      this.#series.set(key, series)
    }
    let i = 0
    while (i < this.upperBounds.length && value > (this.upperBounds[i] as number)) i++
    series.counts[i] = (series.counts[i] ?? 0) + 1
    series.sum += value
    series.count++
  }

  /** Drops the series `key` (a removed issuer). */
  remove(key: string): void {
    this.#series.delete(key)
  }

  reset(): void {
    this.#series.clear()
  }

  /** prom-client's metric object, read by the registry at scrape. */
  async get(): Promise<{
    name: string
    help: string
    type: string
    aggregator: string
    values: ValuePair[]
  }> {
    const values: ValuePair[] = []
    for (const series of this.#series.values()) {
      let cumulative = 0
      this.upperBounds.forEach((le, i) => {
        cumulative += series.counts[i] ?? 0
        values.push({
          labels: { ...series.labels, le },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        })
      })
      values.push({
        labels: { ...series.labels, le: '+Inf' },
        value: series.count,
        metricName: `${this.name}_bucket`,
      })
      values.push({
        labels: { ...series.labels },
        value: series.sum,
        metricName: `${this.name}_sum`,
      })
      values.push({
        labels: { ...series.labels },
        value: series.count,
        metricName: `${this.name}_count`,
      })
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    }
  }
}
