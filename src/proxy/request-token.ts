/**
 * The bearer token of a request, found where kube-apiserver looks for it and
 * in its order: the `Authorization` header
 * (k8s.io/apiserver `pkg/authentication/request/bearertoken`), then, for a
 * WebSocket request only, a `base64url.bearer.authorization.k8s.io.<token>`
 * subprotocol (`pkg/authentication/request/websocket/protocol.go`), which
 * browsers use because they cannot set headers on a WebSocket.
 */
import type { IncomingHttpHeaders } from 'node:http'

export const BEARER_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.'

export type RequestToken =
  /** No credential the proxy knows: answered 401 without asking the authenticator. */
  | { readonly kind: 'none' }
  /** A credential that is malformed; `problem` names why (never the token). */
  | { readonly kind: 'invalid'; readonly problem: string }
  | {
      readonly kind: 'token'
      readonly token: string
      /**
       * The `Sec-WebSocket-Protocol` value to forward: every other subprotocol,
       * the bearer one removed. Undefined when the header must not be sent.
       */
      readonly protocols: string | undefined
    }

const CONNECTION_UPGRADE = /(^|.*,\s*)upgrade($|\s*,)/

/** k8s.io/apimachinery `wsstream.IsWebSocketRequest`. */
export function isWebSocketRequest(headers: IncomingHttpHeaders): boolean {
  const upgrade = headers.upgrade
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') return false
  return CONNECTION_UPGRADE.test((headers.connection ?? '').toLowerCase())
}

/** Every `Sec-WebSocket-Protocol` entry, in order, from all its header lines. */
function protocolEntries(values: readonly string[]): string[] {
  return values.flatMap((line) => line.split(',').map((p) => p.trim()))
}

function fromAuthorization(values: readonly string[]): string | undefined {
  const first = (values[0] ?? '').trim()
  if (first === '') return undefined
  const parts = first.split(' ')
  if (parts.length < 2 || (parts[0] as string).toLowerCase() !== 'bearer') return undefined
  // As Go's strings.SplitN(auth, " ", 3): the token is the second part, empty
  // when two spaces follow "Bearer", and whatever follows a third space is ignored.
  const token = parts[1] as string
  return token === '' ? undefined : token
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const BASE64URL_UNPADDED = /^[A-Za-z0-9_-]*$/

function decodeProtocolToken(encoded: string): { token: string } | { problem: string } {
  // Go's base64.RawURLEncoding: no padding, and a length of 1 mod 4 is not base64.
  if (!BASE64URL_UNPADDED.test(encoded) || encoded.length % 4 === 1)
    return { problem: 'invalid base64.bearer.authorization token encoding' }
  try {
    return { token: UTF8.decode(Buffer.from(encoded, 'base64url')) }
  } catch {
    return { problem: 'invalid base64.bearer.authorization token' }
  }
}

/**
 * Reads the request's credential. `headersDistinct` (node's per-name list of
 * values) matters: node keeps only the first of duplicated `Authorization`
 * headers, and a request carrying two is refused rather than guessed at.
 */
export function requestToken(
  headersDistinct: Record<string, string[] | undefined>,
  headers: IncomingHttpHeaders,
): RequestToken {
  const authorization = headersDistinct.authorization ?? []
  if (authorization.length > 1)
    return { kind: 'invalid', problem: 'more than one Authorization header' }
  const protocolValues = headersDistinct['sec-websocket-protocol'] ?? []
  const entries = protocolEntries(protocolValues)
  const others = entries.filter((p) => !p.startsWith(BEARER_PROTOCOL_PREFIX))
  const forwarded = protocolValues.length === 0 ? undefined : others.join(',')
  const bearer = fromAuthorization(authorization)
  if (bearer !== undefined) {
    return { kind: 'token', token: bearer, protocols: forwarded === '' ? undefined : forwarded }
  }
  if (!isWebSocketRequest(headers)) return { kind: 'none' }
  const tokenEntries = entries.filter((p) => p.startsWith(BEARER_PROTOCOL_PREFIX))
  if (tokenEntries.length > 1)
    return { kind: 'invalid', problem: 'multiple base64.bearer.authorization tokens specified' }
  const [entry] = tokenEntries
  if (entry === undefined) return { kind: 'none' }
  const decoded = decodeProtocolToken(entry.slice(BEARER_PROTOCOL_PREFIX.length))
  if ('problem' in decoded) return { kind: 'invalid', problem: decoded.problem }
  if (decoded.token === '') return { kind: 'none' }
  if (others.length === 0) return { kind: 'invalid', problem: 'missing additional subprotocol' }
  return { kind: 'token', token: decoded.token, protocols: others.join(',') }
}
