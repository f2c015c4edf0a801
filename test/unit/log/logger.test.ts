/** The logger's second line of defence: fields named like credentials are censored. */
import { describe, expect, it } from '@jest/globals'
import { Writable } from 'node:stream'
import { createLogger } from '../../../src/log/logger.js'

function capture(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      done()
    },
  })
  return { lines, destination }
}

const SECRET = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl'

describe('createLogger redaction', () => {
  it.each([
    ['token', { token: SECRET }, ['token']],
    ['a nested token', { review: { token: SECRET } }, ['review', 'token']],
    ['spec.token', { spec: { token: SECRET } }, ['spec', 'token']],
    ['authorization', { authorization: `Bearer ${SECRET}` }, ['authorization']],
    [
      'request headers',
      { req: { headers: { authorization: `Bearer ${SECRET}` } } },
      ['req', 'headers', 'authorization'],
    ],
    ['claims', { claims: { sub: SECRET } }, ['claims']],
    ['payload', { outcome: { payload: SECRET } }, ['outcome', 'payload']],
  ])('censors %s', async (_name, fields, path) => {
    const { lines, destination } = capture()
    const logger = createLogger({ level: 'info', destination })
    logger.info(fields, 'message')
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(lines).toHaveLength(1)
    let value: unknown = lines[0]
    for (const key of path) value = (value as Record<string, unknown>)[key]
    expect(value).toBe('[REDACTED]')
    expect(JSON.stringify(lines)).not.toContain('c2lnbmF0dXJl')
  })

  it('keeps other fields, the level, the service name and the message', async () => {
    const { lines, destination } = capture()
    const logger = createLogger({ level: 'info', destination })
    logger.info({ issuer: 'https://issuer.example.test', reason: 'expired' }, 'token rejected')
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'kube-oidc-webhook',
      issuer: 'https://issuer.example.test',
      reason: 'expired',
      msg: 'token rejected',
    })
    expect(typeof lines[0]?.time).toBe('string')
  })
})
