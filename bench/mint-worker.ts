/**
 * worker_threads entry: signs a slice of a token pool. RS256-2048 signing
 * costs ~0.74 ms, so 100k tokens are spread over every core.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import type { MintJob } from './mint.js'

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function mint(job: MintJob): string {
  const keys: { iss: string; kid: string; alg: string; key: KeyObject; header: string }[] =
    job.signers.map((s) => ({
      iss: s.iss,
      kid: s.kid,
      alg: s.alg,
      key: createPrivateKey(s.privatePem),
      header: b64url({ alg: s.alg, kid: s.kid, typ: 'JWT' }),
    }))
  const out: string[] = []
  for (let i = job.start; i < job.start + job.count; i++) {
    const signer = keys[i % keys.length]
    if (signer === undefined) throw new Error('no signer')
    const payload = b64url({
      iss: signer.iss,
      sub: `${job.subjectPrefix}${i}`,
      aud: job.audience,
      iat: job.iat,
      exp: job.exp,
      groups: ['bench-readers', `team-${i % 16}`],
    })
    const input = `${signer.header}.${payload}`
    const signature =
      signer.alg === 'ES256'
        ? sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', Buffer.from(input), signer.key)
    out.push(`${input}.${signature.toString('base64url')}`)
  }
  return out.join('\n')
}

parentPort?.postMessage(mint(workerData as MintJob))
