import { describe, expect, it } from '@jest/globals'
import { createLogger } from '../../../src/log/logger.js'
import type { Sha256Label } from '../../../src/metrics/labels.js'
import { WebhookMetrics } from '../../../src/metrics/registry.js'
import { parseRevocationList } from '../../../src/revocation/parse.js'
import { RevocationReloader } from '../../../src/revocation/revocation-reloader.js'
import { NOW, SteppableClock } from '../../helpers/fixed-clock.js'
import { parsePrometheusText, select, total } from '../../helpers/prometheus-text.js'

const HEAD = 'apiVersion: kube-oidc-webhook/v1alpha1\nkind: RevocationList\n'
const ISSUER = 'https://a.example.com'
const FIRST = Buffer.from(`${HEAD}entries:\n- {issuer: ${ISSUER}, tokenID: one}\n`)
const SECOND = Buffer.from(
  `${HEAD}entries:\n- {issuer: ${ISSUER}, tokenID: one}\n- {issuer: ${ISSUER}, subject: two, expiresAt: "2029-01-01T00:00:00Z"}\n`,
)
const BROKEN = Buffer.from(`${HEAD}entries:\n- {issuer: ${ISSUER}, tokenId: typo}\n`)

function setup() {
  const first = parseRevocationList(FIRST)
  if (!first.ok) throw new Error('fixture')
  const metrics = new WebhookMetrics({ apiserverId: 'test', defaultMetrics: false })
  metrics.setRevocationList(first.list.hash as Sha256Label, first.list.entries.length)
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  })
  const reloader = new RevocationReloader({
    path: '/etc/revocation/list.yaml',
    initial: { list: first.list, bytes: FIRST },
    logger,
    metrics,
    clock: new SteppableClock(NOW),
  })
  const scrape = async () => {
    const m = parsePrometheusText(await metrics.render())
    return {
      success: total(m, 'kube_oidc_webhook_revocation_reloads_total', { status: 'success' }),
      failure: total(m, 'kube_oidc_webhook_revocation_reloads_total', { status: 'failure' }),
      hashes: select(m, 'kube_oidc_webhook_revocation_list_info').map((s) => s.labels['hash']),
      entries: total(m, 'kube_oidc_webhook_revocation_entries'),
    }
  }
  return { reloader, lines, scrape, first: first.list }
}

describe('RevocationReloader', () => {
  it('swaps in a valid new list at once, with its hash, entry count and a log line', async () => {
    const t = setup()
    t.reloader.apply(SECOND)
    expect(t.reloader.current.entries.map((e) => e.path)).toEqual(['entries[0]', 'entries[1]'])
    expect(await t.scrape()).toEqual({
      success: 1,
      failure: 0,
      hashes: [t.reloader.current.hash],
      entries: 2,
    })
    expect(t.lines.map((l) => [l['level'], l['msg'], l['entries'], l['expired']])).toEqual([
      ['info', 'reloaded revocation list', 2, 1],
    ])
  })

  it('refuses a bad list with an error log naming the field, keeps the old one, counts it once', async () => {
    const t = setup()
    t.reloader.apply(BROKEN)
    t.reloader.apply(BROKEN)
    expect(t.reloader.current).toBe(t.first)
    expect(await t.scrape()).toEqual({
      success: 0,
      failure: 1,
      hashes: [t.first.hash],
      entries: 1,
    })
    expect(t.lines.map((l) => [l['level'], l['msg'], l['errors']])).toEqual([
      [
        'error',
        'refused the new revocation list; the previous one stays in force',
        ['strict decoding error: unknown field "entries[0].tokenId"'],
      ],
    ])
  })

  it('ignores content already in force (a revert after a refused file)', async () => {
    const t = setup()
    t.reloader.apply(BROKEN)
    t.reloader.apply(FIRST)
    expect(t.reloader.current).toBe(t.first)
    expect((await t.scrape()).success).toBe(0)
  })

  it('logs entries naming an issuer the config in force lacks as warnings', () => {
    const first = parseRevocationList(FIRST)
    if (!first.ok) throw new Error('fixture')
    const lines: Record<string, unknown>[] = []
    const reloader = new RevocationReloader({
      path: '/etc/revocation/list.yaml',
      initial: { list: first.list, bytes: FIRST },
      logger: createLogger({
        level: 'info',
        destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
      }),
      clock: new SteppableClock(NOW),
      configuredIssuers: () => [ISSUER],
    })
    reloader.apply(
      Buffer.from(
        `${HEAD}entries:\n- {issuer: ${ISSUER}, tokenID: a}\n- {issuer: ${ISSUER}/, tokenID: b}\n`,
      ),
    )
    expect(
      lines.filter((l) => l['msg'] === 'config warning').map((l) => [l['code'], l['path']]),
    ).toEqual([['WARN_REVOCATION_ISSUER_UNKNOWN', 'entries[1].issuer']])
  })

  it('once closed, changes nothing', async () => {
    const t = setup()
    t.reloader.close()
    t.reloader.apply(SECOND)
    expect(t.reloader.current).toBe(t.first)
  })
})
