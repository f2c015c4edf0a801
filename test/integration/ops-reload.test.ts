/**
 * Issue 4, hot reload through the real `serve` (in process): the config file
 * and the TLS Secret laid out as kubelet writes ConfigMap/Secret volumes,
 * swapped while reviews keep flowing; and the reload metrics read off /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rename, utimes, writeFile } from 'node:fs/promises'
import { sha256Label } from '../../src/metrics/labels.js'
import { createCertificateAuthority, createServerCertificate } from '../../src/dev/certificates.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import {
  authConfig,
  configText,
  eventually,
  issuerEntry,
  startOpsServe,
  type OpsServe,
} from '../helpers/ops-serve.js'
import { select, total, type Exposition } from '../helpers/prometheus-text.js'

const nowS = (): number => Math.floor(Date.now() / 1000)
const RELOADS = 'apiserver_authentication_config_controller_automatic_reloads_total'
const CONFIG_INFO = 'apiserver_authentication_config_controller_last_config_info'
const RELOAD_TS =
  'apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds'

function reloads(m: Exposition): { success: number; failure: number } {
  return {
    success: total(m, RELOADS, { status: 'success' }),
    failure: total(m, RELOADS, { status: 'failure' }),
  }
}

function configHashes(m: Exposition): string[] {
  return select(m, CONFIG_INFO).map((s) => s.labels.hash ?? '')
}

const BROKEN = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://insecure.example.com
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "x:"}
`

describe('ops: ConfigMap and Secret volume swaps while reviews flow', () => {
  let a: TestIssuer
  let b: TestIssuer
  let serve: OpsServe

  beforeAll(async () => {
    a = await startTestIssuer({ path: '/vol-a', algorithms: ['RS256'], keyFamily: 'ops-vol-a' })
    b = await startTestIssuer({ path: '/vol-b', algorithms: ['ES256'], keyFamily: 'ops-vol-b' })
    serve = await startOpsServe({
      config: authConfig(issuerEntry(a.url, a.caPem)),
      volumes: true,
      serve: { cacheTtlMs: 0, reloadPollMs: 200 },
    })
  })
  afterAll(async () => {
    await serve?.stop()
    await a?.stop()
    await b?.stop()
  })

  it('an added issuer takes effect within 2 s, a broken file is refused, and no review fails meanwhile', async () => {
    const tokenA = a.sign({ iss: a.url, aud: 'kubernetes', sub: 'steady', exp: nowS() + 600 })
    const tokenB = b.sign(
      { iss: b.url, aud: 'kubernetes', sub: 'newcomer', exp: nowS() + 600 },
      { alg: 'ES256' },
    )
    const expectedA = JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: { authenticated: true, user: { username: 'oidc:steady' } },
    })
    expect(await serve.status(tokenB)).toEqual({ authenticated: false })

    let running = true
    let sent = 0
    const wrong: string[] = []
    const loop = async (): Promise<void> => {
      while (running) {
        sent++
        try {
          const res = await serve.review(tokenA)
          if (res.statusCode !== 200 || res.body !== expectedA)
            wrong.push(`${res.statusCode} ${res.body}`)
        } catch (err) {
          wrong.push((err as Error).message)
        }
      }
    }
    const loops = [loop(), loop()]
    try {
      const before = reloads(await serve.scrape())
      await serve.configVolume?.update({
        'config.yaml': configText(
          authConfig(issuerEntry(a.url, a.caPem), issuerEntry(b.url, b.caPem, 'kubernetes', 'b:')),
        ),
      })
      const took = await eventually(
        async () => (await serve.status(tokenB)).authenticated === true,
        2000,
        'issuer B',
      )
      expect(took).toBeLessThan(2000)
      expect(await serve.status(tokenB)).toEqual({
        authenticated: true,
        user: { username: 'b:newcomer' },
      })
      const afterAdd = await serve.scrape()
      expect(reloads(afterAdd)).toEqual({ success: before.success + 1, failure: before.failure })

      await serve.configVolume?.update({ 'config.yaml': BROKEN })
      await eventually(
        async () => reloads(await serve.scrape()).failure === before.failure + 1,
        3000,
        'failure counted',
      )
      const afterBroken = await serve.scrape()
      expect(reloads(afterBroken)).toEqual({
        success: before.success + 1,
        failure: before.failure + 1,
      })
      expect(configHashes(afterBroken)).toEqual(configHashes(afterAdd))
      expect(await serve.status(tokenB)).toEqual({
        authenticated: true,
        user: { username: 'b:newcomer' },
      })
      await new Promise((r) => setTimeout(r, 500)) // a few more polls of the refused content
    } finally {
      running = false
      await Promise.all(loops)
    }
    expect(wrong).toEqual([])
    expect(sent).toBeGreaterThan(20)
    expect(reloads(await serve.scrape()).failure).toBe(1)
  })

  it('a Secret swap to a certificate from a NEW CA is served to new clients without a restart', async () => {
    const newCa = await createCertificateAuthority({ commonName: 'rotated webhook CA' })
    const serving = await createServerCertificate(newCa)
    const token = a.sign({ iss: a.url, aud: 'kubernetes', sub: 'tls', exp: nowS() + 600 })
    await expect(serve.review(token, newCa.certPem)).rejects.toThrow()
    await serve.tlsVolume?.update({ 'tls.crt': serving.certPem, 'tls.key': serving.keyPem })
    await eventually(
      () =>
        serve.review(token, newCa.certPem).then(
          (r) => r.statusCode === 200,
          () => false,
        ),
      3000,
      'new certificate served',
    )
    const res = await serve.review(token, newCa.certPem)
    expect(JSON.parse(res.body).status).toEqual({
      authenticated: true,
      user: { username: 'oidc:tls' },
    })
    // The old CA no longer vouches for what is served.
    await expect(serve.review(token, serve.webhookCa.certPem)).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    )
  })
})

describe('ops: the reload metrics', () => {
  let a: TestIssuer
  let c: TestIssuer
  let serve: OpsServe

  // Written aside and renamed over, as editors and kubectl do: an in-place write
  // can be read half-done (empty), which is a different, refused content.
  const writeAtomically = async (content: string | Buffer): Promise<void> => {
    await writeFile(`${serve.configPath}.tmp`, content)
    await rename(`${serve.configPath}.tmp`, serve.configPath)
  }
  const write = (config: unknown): Promise<void> => writeAtomically(configText(config))
  const settle = (ms = 700): Promise<void> => new Promise((r) => setTimeout(r, ms))

  beforeAll(async () => {
    a = await startTestIssuer({ path: '/list-a', algorithms: ['RS256'], keyFamily: 'ops-list-a' })
    c = await startTestIssuer({ path: '/list-c', algorithms: ['RS256'], keyFamily: 'ops-list-c' })
    serve = await startOpsServe({
      config: authConfig(issuerEntry(a.url, a.caPem)),
      serve: {
        cacheTtlMs: 60_000,
        reloadPollMs: 100,
        reloadRetryMs: 300,
        reloadReadyTimeoutMs: 600,
      },
    })
  })
  afterAll(async () => {
    await serve?.stop()
    await a?.stop()
    await c?.stop()
  })

  it('startup sets last_config_info to the hash of the file, with no reload counted', async () => {
    const m = await serve.scrape()
    const { readFile } = await import('node:fs/promises')
    expect(configHashes(m)).toEqual([sha256Label(await readFile(serve.configPath))])
    expect(reloads(m)).toEqual({ success: 0, failure: 0 })
  })

  it('a valid new file: applied without restart, success +1, config hash changes, cached answers of the changed issuer dropped', async () => {
    const token = a.sign({ iss: a.url, aud: 'kubernetes', sub: 'jane', exp: nowS() + 600 })
    expect(await serve.status(token)).toEqual({
      authenticated: true,
      user: { username: 'oidc:jane' },
    })
    const before = await serve.scrape()
    const next = authConfig(issuerEntry(a.url, a.caPem, 'kubernetes', 'v2:'))
    await write(next)
    await eventually(async () => reloads(await serve.scrape()).success === 1, 3000, 'reload')
    const after = await serve.scrape()
    expect(reloads(after)).toEqual({ success: 1, failure: 0 })
    expect(configHashes(after)).toEqual([sha256Label(configText(next))])
    expect(configHashes(after)).not.toEqual(configHashes(before))
    const ts = select(after, RELOAD_TS, { status: 'success' })
    expect(ts).toHaveLength(1)
    expect(Math.abs((ts[0]?.value ?? 0) - Date.now() / 1000)).toBeLessThan(5)
    expect(await serve.status(token)).toEqual({
      authenticated: true,
      user: { username: 'v2:jane' },
    })
  })

  it('an invalid file: old config stays, failure +1 once (same bytes again do not count), fixing it reloads', async () => {
    const token = a.sign({ iss: a.url, aud: 'kubernetes', sub: 'kim', exp: nowS() + 600 })
    const base = reloads(await serve.scrape())
    const hashBefore = configHashes(await serve.scrape())
    await writeAtomically(BROKEN)
    await eventually(
      async () => reloads(await serve.scrape()).failure === base.failure + 1,
      3000,
      'failure',
    )
    expect(await serve.status(token)).toEqual({ authenticated: true, user: { username: 'v2:kim' } })
    await writeAtomically(BROKEN) // same invalid bytes rewritten
    await settle()
    const m = await serve.scrape()
    expect(reloads(m)).toEqual({ success: base.success, failure: base.failure + 1 })
    expect(configHashes(m)).toEqual(hashBefore)
    const fixed = authConfig(issuerEntry(a.url, a.caPem, 'kubernetes', 'v3:'))
    await write(fixed)
    await eventually(
      async () => reloads(await serve.scrape()).success === base.success + 1,
      3000,
      'fixed',
    )
    expect(configHashes(await serve.scrape())).toEqual([sha256Label(configText(fixed))])
    expect(await serve.status(token)).toEqual({ authenticated: true, user: { username: 'v3:kim' } })
  })

  it('touching the file or rewriting the same bytes: no reload, no metric change', async () => {
    const before = await serve.scrape()
    const { readFile } = await import('node:fs/promises')
    const bytes = await readFile(serve.configPath)
    await utimes(serve.configPath, new Date(), new Date())
    await writeAtomically(bytes)
    await settle()
    const after = await serve.scrape()
    expect(reloads(after)).toEqual(reloads(before))
    expect(select(after, RELOAD_TS)).toEqual(select(before, RELOAD_TS))
    expect(configHashes(after)).toEqual(configHashes(before))
  })

  it('a new file with an unreachable issuer is not applied and is retried; once reachable it is applied', async () => {
    const tokenA = a.sign({ iss: a.url, aud: 'kubernetes', sub: 'amy', exp: nowS() + 600 })
    const tokenC = c.sign({ iss: c.url, aud: 'kubernetes', sub: 'carl', exp: nowS() + 600 })
    const base = reloads(await serve.scrape())
    const hashBefore = configHashes(await serve.scrape())
    c.knobs.down = true
    const next = authConfig(
      issuerEntry(a.url, a.caPem, 'kubernetes', 'v3:'),
      issuerEntry(c.url, c.caPem, 'kubernetes', 'c:'),
    )
    await write(next)
    // Not applied: at least two attempts fail (the first and a retry), config unchanged, C unknown.
    await eventually(
      async () => reloads(await serve.scrape()).failure >= base.failure + 2,
      5000,
      'retried',
    )
    expect(configHashes(await serve.scrape())).toEqual(hashBefore)
    expect(await serve.status(tokenC)).toEqual({ authenticated: false })
    expect(await serve.status(tokenA)).toEqual({
      authenticated: true,
      user: { username: 'v3:amy' },
    })
    c.knobs.down = false
    await eventually(
      async () => reloads(await serve.scrape()).success === base.success + 1,
      5000,
      'applied',
    )
    expect(configHashes(await serve.scrape())).toEqual([sha256Label(configText(next))])
    expect(await serve.status(tokenC)).toEqual({
      authenticated: true,
      user: { username: 'c:carl' },
    })
    // A was unchanged: its cached answer survives the reload.
    const m = await serve.scrape()
    const hits = total(m, 'kube_oidc_webhook_cache_requests_total', { result: 'hit' })
    expect(await serve.status(tokenA)).toEqual({
      authenticated: true,
      user: { username: 'v3:amy' },
    })
    expect(
      total(await serve.scrape(), 'kube_oidc_webhook_cache_requests_total', { result: 'hit' }),
    ).toBe(hits + 1)
  })
})
