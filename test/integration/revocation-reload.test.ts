/**
 * The revocation list through the real `serve` over HTTPS: a cached token is
 * refused once its entry is swapped in (ConfigMap-style symlink swap) while
 * other tokens keep working, accepted again once the entry is swapped out, no
 * review fails across the swaps, and a bad list is refused with the old one kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger } from '../../src/log/logger.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import {
  AtomicDir,
  authConfig,
  eventually,
  issuerEntry,
  startOpsServe,
  type OpsServe,
} from '../helpers/ops-serve.js'
import { select, total, type Exposition } from '../helpers/prometheus-text.js'

const nowS = (): number => Math.floor(Date.now() / 1000)
const HEAD = 'apiVersion: kube-oidc-webhook/v1alpha1\nkind: RevocationList\n'
const EMPTY = `${HEAD}entries: []\n`
const BROKEN = `${HEAD}entries:\n- issuer: https://x.example.com\n  subjcet: typo\n`

function reloads(m: Exposition): { success: number; failure: number } {
  return {
    success: total(m, 'kube_oidc_webhook_revocation_reloads_total', { status: 'success' }),
    failure: total(m, 'kube_oidc_webhook_revocation_reloads_total', { status: 'failure' }),
  }
}

const listHashes = (m: Exposition): string[] =>
  select(m, 'kube_oidc_webhook_revocation_list_info').map((s) => s.labels['hash'] ?? '')

describe('revocation list: swapped in and out of a ConfigMap volume while reviews flow', () => {
  let issuer: TestIssuer
  let serve: OpsServe
  let volume: AtomicDir

  beforeAll(async () => {
    issuer = await startTestIssuer({ path: '/revoke', algorithms: ['ES256'], keyFamily: 'revoke' })
    volume = await AtomicDir.create(join(await tempDir(), 'revocation'), { 'list.yaml': EMPTY })
    serve = await startOpsServe({
      config: authConfig(issuerEntry(issuer.url, issuer.caPem)),
      serve: {
        cacheTtlMs: 60_000,
        reloadPollMs: 500,
        revocationFile: volume.path('list.yaml'),
      },
    })
  })
  afterAll(async () => {
    await serve?.stop()
    await issuer?.stop()
  })

  it('refuses the cached token within 1 s, keeps others working, accepts it again, fails no review', async () => {
    const claims = { iss: issuer.url, aud: 'kubernetes', exp: nowS() + 600, iat: nowS() }
    const jane = issuer.sign({ ...claims, sub: 'jane', jti: 'jane-1' }, { alg: 'ES256' })
    const bob = issuer.sign({ ...claims, sub: 'bob', jti: 'bob-1' }, { alg: 'ES256' })
    const credential = (jti: string) => ({
      'authentication.kubernetes.io/credential-id': [`JTI=${jti}`],
    })
    const janeOK = {
      authenticated: true,
      user: { username: 'oidc:jane', extra: credential('jane-1') },
    }
    const bobOK = {
      authenticated: true,
      user: { username: 'oidc:bob', extra: credential('bob-1') },
    }
    const janeRevoked = {
      authenticated: false,
      error: 'token revoked by the revocation list (entries[0]: subject)',
    }
    expect(await serve.status(jane)).toEqual(janeOK)
    expect(await serve.status(bob)).toEqual(bobOK)
    const verifications = total(await serve.scrape(), 'kube_oidc_webhook_verifications_total')

    // Reviews in the background: every answer must be a 200 with one of the expected statuses.
    let running = true
    let sent = 0
    const wrong: string[] = []
    const loop = async (token: string, allowed: readonly unknown[]): Promise<void> => {
      const texts = allowed.map((s) => JSON.stringify(s))
      while (running) {
        sent++
        try {
          const res = await serve.review(token)
          const status = JSON.stringify((JSON.parse(res.body) as { status: unknown }).status)
          if (res.statusCode !== 200 || !texts.includes(status))
            wrong.push(`${res.statusCode} ${res.body}`)
        } catch (err) {
          wrong.push((err as Error).message)
        }
      }
    }
    const loops = [loop(jane, [janeOK, janeRevoked]), loop(bob, [bobOK])]
    try {
      const before = reloads(await serve.scrape())
      await volume.update({
        'list.yaml': `${HEAD}entries:\n- issuer: ${issuer.url}\n  subject: jane\n`,
      })
      await eventually(
        async () => JSON.stringify(await serve.status(jane)) === JSON.stringify(janeRevoked),
        1000,
        'jane refused',
      )
      expect(await serve.status(bob)).toEqual(bobOK)
      const revoked = await serve.scrape()
      expect(reloads(revoked)).toEqual({ success: before.success + 1, failure: before.failure })
      expect(
        total(revoked, 'kube_oidc_webhook_rejections_total', { reason: 'revoked' }),
      ).toBeGreaterThan(0)

      // A bad list is refused; the list in force stays.
      await volume.update({ 'list.yaml': BROKEN })
      await eventually(
        async () => reloads(await serve.scrape()).failure === before.failure + 1,
        3000,
        'failure counted',
      )
      expect(listHashes(await serve.scrape())).toEqual(listHashes(revoked))
      expect(await serve.status(jane)).toEqual(janeRevoked)
      expect(await serve.status(bob)).toEqual(bobOK)

      await volume.update({ 'list.yaml': EMPTY })
      await eventually(
        async () => JSON.stringify(await serve.status(jane)) === JSON.stringify(janeOK),
        1000,
        'jane accepted again',
      )
    } finally {
      running = false
      await Promise.all(loops)
    }
    expect(wrong).toEqual([])
    expect(sent).toBeGreaterThan(20)
    // Every answer for jane and bob, refusals included, came from the two cached verifications.
    expect(total(await serve.scrape(), 'kube_oidc_webhook_verifications_total')).toBe(verifications)
  })
})

describe('revocation list: serve at start', () => {
  it('logs an entry naming an issuer the config lacks as a config warning', async () => {
    const issuer = await startTestIssuer({
      path: '/revoke-start',
      algorithms: ['ES256'],
      keyFamily: 'revoke',
    })
    const path = join(await tempDir(), 'list.yaml')
    await writeFile(path, `${HEAD}entries:\n- issuer: ${issuer.url}/\n  tokenID: typo\n`)
    const lines: Record<string, unknown>[] = []
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    })
    const serve = await startOpsServe({
      config: authConfig(issuerEntry(issuer.url, issuer.caPem)),
      logger,
      serve: { revocationFile: path },
    })
    try {
      expect(
        lines
          .filter((l) => l['msg'] === 'config warning' && l['path'] === 'entries[0].issuer')
          .map((l) => l['code']),
      ).toEqual(['WARN_REVOCATION_ISSUER_UNKNOWN'])
    } finally {
      await serve.stop()
      await issuer.stop()
    }
  })
})

async function tempDir(): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  return mkdtemp(join(tmpdir(), 'revocation-'))
}
