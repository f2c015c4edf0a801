/**
 * `serve` logs a config's warnings once each time it loads one: at start, and
 * at each reload that is applied; content seen before logs nothing again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { createLogger } from '../../src/log/logger.js'
import { startTestIssuer, type TestIssuer } from '../helpers/issuer.js'
import {
  authConfig,
  configText,
  eventually,
  issuerEntry,
  startOpsServe,
  type OpsServe,
} from '../helpers/ops-serve.js'

describe('serve: config warnings in the log', () => {
  let issuer: TestIssuer
  let serve: OpsServe
  const lines: Array<Record<string, unknown>> = []
  const warnings = () => lines.filter((l) => l['msg'] === 'config warning')
  const reloaded = () => lines.filter((l) => l['msg'] === 'reloaded authentication config')

  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: ['ES256'], keyFamily: 'serve-warnings' })
    const logger = createLogger({
      level: 'info',
      destination: {
        write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>),
      },
    })
    // issuerEntry maps groups without a prefix: one WARN_GROUPS_SYSTEM_PREFIX.
    serve = await startOpsServe({
      config: authConfig(issuerEntry(issuer.url, issuer.caPem)),
      logger,
      serve: { reloadPollMs: 100 },
    })
  })
  afterAll(async () => {
    await serve.stop()
    await issuer.stop()
  })

  it('logs each warning once at start, with code, path, why and fix', () => {
    expect(warnings()).toEqual([
      expect.objectContaining({
        level: 'warn',
        code: 'WARN_GROUPS_SYSTEM_PREFIX',
        path: 'jwt[0].claimMappings.groups',
        why: expect.stringContaining('system:masters'),
        fix: expect.stringContaining("user.groups.all(g, !g.startsWith('system:'))"),
      }),
    ])
  })

  it('logs them again once per applied reload, not for content already in force', async () => {
    const next = configText(authConfig(issuerEntry(issuer.url, issuer.caPem, 'other-audience')))
    await writeFile(serve.configPath, next)
    await eventually(() => reloaded().length === 1, 10_000, 'reload applied')
    expect(warnings().map((w) => w['code'])).toEqual([
      'WARN_GROUPS_SYSTEM_PREFIX',
      'WARN_GROUPS_SYSTEM_PREFIX',
    ])
    // The same bytes again (a touch) are not a new load.
    await writeFile(serve.configPath, next)
    const fixed = authConfig({
      ...issuerEntry(issuer.url, issuer.caPem, 'other-audience'),
      claimMappings: { username: { claim: 'sub', prefix: 'oidc:' } },
    })
    await writeFile(serve.configPath, configText(fixed))
    await eventually(() => reloaded().length === 2, 10_000, 'second reload applied')
    expect(warnings()).toHaveLength(2)
  })
})
