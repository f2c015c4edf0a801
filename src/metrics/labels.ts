import { createHash } from 'node:crypto'

declare const sha256LabelBrand: unique symbol

/**
 * A label value made only by {@link sha256Label}: `sha256:<hex>` or empty. The
 * brand keeps raw strings (a token, an untrusted `iss`) out of label positions
 * at compile time.
 */
export type Sha256Label = string & { readonly [sha256LabelBrand]: true }

/**
 * `sha256:<hex>` of `input`, or the empty label for empty input: the form
 * kube-apiserver uses for `jwt_issuer_hash`, `apiserver_id_hash` and `hash`
 * (`plugin/pkg/authenticator/token/oidc/metrics.go` `getHash`).
 *
 * @example sha256Label('https://issuer.example.com') // 'sha256:…'
 */
export function sha256Label(input: string | Uint8Array): Sha256Label {
  if (input.length === 0) return '' as Sha256Label
  return `sha256:${createHash('sha256').update(input).digest('hex')}` as Sha256Label
}

/** The label for "no issuer" (a not-mine review, or an error before an issuer was chosen). */
export const NO_ISSUER: Sha256Label = sha256Label('')

/** Paths of `http_requests_total`; anything else is `other`. */
export const HTTP_PATHS = ['/authenticate', '/healthz', '/readyz', '/metrics', 'other'] as const
export type HttpPathLabel = (typeof HTTP_PATHS)[number]

/** Maps a request's path (query string ignored) to the closed set {@link HTTP_PATHS}. */
export function httpPathLabel(rawPath: string): HttpPathLabel {
  const q = rawPath.indexOf('?')
  const path = q === -1 ? rawPath : rawPath.slice(0, q)
  for (const known of HTTP_PATHS) if (known === path) return known
  return 'other'
}

/** The status code as a label when it is a real HTTP status (100-599), else `other`. */
export function httpCodeLabel(code: number): string {
  return Number.isInteger(code) && code >= 100 && code <= 599 ? String(code) : 'other'
}
