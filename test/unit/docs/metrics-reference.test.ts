import { readFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'
import { LATENCY_BUCKETS, WebhookMetrics } from '../../../src/metrics/registry.js'
import { REJECT_REASONS } from '../../../src/token/types.js'

const DOC = new URL('../../../docs/reference/metrics.md', import.meta.url)

interface DocRow {
  name: string
  type: string
}

/** Rows of the tables under "## Series …" headings: first cell the metric name, second its type. */
function documentedSeries(markdown: string): DocRow[] {
  const rows: DocRow[] = []
  for (const section of markdown.split(/^## /m).filter((s) => s.startsWith('Series'))) {
    for (const line of section.split('\n')) {
      const m = /^\|\s*`([a-z_:]+)`\s*\|\s*([a-z]+)/.exec(line)
      if (m?.[1] !== undefined && m[2] !== undefined) rows.push({ name: m[1], type: m[2] })
    }
  }
  return rows
}

async function registered(defaultMetrics: boolean): Promise<Map<string, string>> {
  const metrics = new WebhookMetrics({ apiserverId: 'docs-test', defaultMetrics })
  const json = await metrics.registry.getMetricsAsJSON()
  return new Map(json.map((m) => [m.name, String(m.type)]))
}

describe('docs/reference/metrics.md', () => {
  it('lists exactly the series the webhook registers (process metrics aside)', async () => {
    const doc = documentedSeries(await readFile(DOC, 'utf8'))
    const own = await registered(false)
    expect(doc.map((r) => r.name).sort()).toEqual([...own.keys()].sort())
  })

  it('gives each series its registered type', async () => {
    const own = await registered(false)
    for (const row of documentedSeries(await readFile(DOC, 'utf8')))
      expect(`${row.name} ${row.type}`).toBe(`${row.name} ${own.get(row.name) ?? 'unregistered'}`)
  })

  it('names only default process metrics prom-client really registers', async () => {
    const doc = await readFile(DOC, 'utf8')
    const section = doc.split(/^## /m).find((s) => s.startsWith('Node process metrics')) ?? ''
    const named = [...section.matchAll(/`((?:process|nodejs)_[a-z_]+)`/g)].map((m) => m[1])
    expect(named.length).toBeGreaterThan(0)
    const all = await registered(true)
    const own = await registered(false)
    const defaults = [...all.keys()].filter((n) => !own.has(n))
    expect(defaults.every((n) => /^(process|nodejs)_/.test(n))).toBe(true)
    for (const name of named) expect(defaults).toContain(name)
  })

  it('lists exactly the rejection reasons of the closed set', async () => {
    const doc = await readFile(DOC, 'utf8')
    const line = /- `reason`: one of ([^.]+)\./s.exec(doc)?.[1] ?? ''
    const reasons = [...line.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])
    expect(reasons).toEqual([...REJECT_REASONS])
  })

  it('states the latency buckets in use', async () => {
    const doc = await readFile(DOC, 'utf8')
    expect(doc.replace(/\s+/g, ' ')).toContain(
      `seconds) are kube-apiserver's for the JWT authenticator: ${LATENCY_BUCKETS.join(', ')}.`,
    )
  })
})
