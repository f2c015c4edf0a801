import { createHash } from 'node:crypto'

function writeLength(hash: ReturnType<typeof createHash>, length: number): void {
  const prefix = Buffer.alloc(8)
  prefix.writeBigUInt64BE(BigInt(length))
  hash.update(prefix)
}

function writeLengthPrefixed(hash: ReturnType<typeof createHash>, value: string): void {
  const bytes = Buffer.from(value, 'utf8')
  writeLength(hash, bytes.length)
  hash.update(bytes)
}

/**
 * The cache key of one review: SHA-256 over the token and the requested
 * audiences, each length-prefixed so that ("ab", ["c"]) and ("a", ["bc"]) differ,
 * as kube-apiserver's token cache keys its entries
 * (`pkg/authentication/token/cache/cached_token_authenticator.go` `keyFunc`).
 * Audience order is significant there too. The token itself is never kept.
 *
 * @returns 43 characters of base64url.
 */
export function reviewCacheKey(token: string, audiences: readonly string[]): string {
  const hash = createHash('sha256')
  writeLengthPrefixed(hash, token)
  writeLength(hash, audiences.length)
  for (const audience of audiences) writeLengthPrefixed(hash, audience)
  return hash.digest('base64url')
}
