/**
 * One TokenReview POSTed over mutual TLS, as kube-apiserver would send it:
 * `dev` uses it to prove the sample token authenticates before it prints the
 * banner (and to wait out the webhook's first discovery of the issuer).
 */
import https from 'node:https'

export interface PostReviewOptions {
  url: string
  caPem: string
  certPem?: string
  keyPem?: string
  body: string
  timeoutMs?: number
}

export interface ReviewStatus {
  authenticated?: boolean
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }
  error?: string
}

const MAX_BODY = 1024 * 1024

/** Resolves with the HTTP status and the parsed `status` of the answer (undefined if not JSON). */
export function postTokenReview(
  opts: PostReviewOptions,
): Promise<{ statusCode: number; status: ReviewStatus | undefined }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      opts.url,
      {
        method: 'POST',
        ca: opts.caPem,
        ...(opts.certPem === undefined ? {} : { cert: opts.certPem }),
        ...(opts.keyPem === undefined ? {} : { key: opts.keyPem }),
        agent: false,
        timeout: opts.timeoutMs ?? 10_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) },
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_BODY) req.destroy(new Error('TokenReview answer too large'))
          else chunks.push(chunk)
        })
        res.on('end', () => {
          let status: ReviewStatus | undefined
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: ReviewStatus }
            status = parsed.status
          } catch {
            status = undefined
          }
          resolve({ statusCode: res.statusCode ?? 0, status })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('TokenReview request timed out')))
    req.on('error', reject)
    req.end(opts.body)
  })
}
