import { createHash } from 'node:crypto'

/**
 * The cache key of one review: SHA-256 over the token and the requested
 * audiences, each prefixed with its length so that ("ab", ["c"]) and
 * ("a", ["bc"]) differ, as kube-apiserver's token cache keys its entries
 * (`pkg/authentication/token/cache/cached_token_authenticator.go` `keyFunc`).
 * Audience order is significant there too. The token itself is never kept.
 * Lengths count UTF-16 code units: any unambiguous framing will do, and one
 * string hashed in one call is cheaper than a buffer per field.
 *
 * @returns 43 characters of base64url.
 */
export function reviewCacheKey(token: string, audiences: readonly string[]): string {
  let framed = `${token.length}:${token}${audiences.length}:`
  for (const audience of audiences) framed += `${audience.length}:${audience}`
  return createHash('sha256').update(framed, 'utf8').digest('base64url')
}
