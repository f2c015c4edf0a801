/**
 * Parses the compact JWS as go-jose v2 `ParseSigned` does before go-oidc looks at
 * it: whitespace stripped, three base64url parts, a protected header that is a
 * JSON object whose `alg`/`kid` are strings. Header members that point at keys
 * (`jku`, `x5u`, `jwk`, `x5c`) are never fetched or used.
 */
import { decodeRawBase64Url, isBase64UrlAlphabet, type Base64Result } from '../go/base64url.js'
import { goQuote } from '../go/quote.js'
import { goJsonKind, goUnmarshalValueError } from '../go/json.js'
import { VerifyError } from './rejection.js'

export interface ParsedJws {
  readonly alg: string
  /** `undefined` when the header has no `kid` (or `kid: null`); `""` tries every key too. */
  readonly kid: string | undefined
  /** Whether the header carries a `crit` we do not support (then no key verifies, as in go-jose). */
  readonly unsupportedCritical: boolean
  /** The bytes the signature covers: `<header>.<payload>` as sent. */
  readonly signingInput: Buffer
  readonly signature: Buffer
}

const WHITESPACE = /[ \t\n\r]/g

function strip(part: string): string {
  return /[ \t\n\r]/.test(part) ? part.replace(WHITESPACE, '') : part
}

/** A part's text with whitespace stripped, and its bytes: one scan when it is plain base64url, as it nearly always is. */
function decodePart(part: string): { text: string; decoded: Base64Result } {
  if (isBase64UrlAlphabet(part)) return { text: part, decoded: decodeRawBase64Url(part, true) }
  const text = strip(part)
  return { text, decoded: decodeRawBase64Url(text) }
}

function malformed(message: string): VerifyError {
  return new VerifyError('malformed', `oidc: malformed jwt: ${message}`)
}

function headerString(
  header: Record<string, unknown>,
  name: string,
  what: string,
): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(header, name)) return undefined
  const value = header[name]
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'string') {
    throw malformed(
      `failed to unmarshal ${what}: ${goUnmarshalValueError(value, 'string')}: ${goQuote(JSON.stringify(value))}`,
    )
  }
  return value
}

/** Throws `VerifyError` (reason `malformed`) with go-jose's wording, wrapped as go-oidc wraps it. */
export function parseJws(parts: readonly [string, string, string]): ParsedJws {
  const { text: headerText, decoded: header } = decodePart(parts[0])
  const payloadText = strip(parts[1])
  const { decoded: signature } = decodePart(parts[2])
  if (!header.ok) throw malformed(header.message)
  if (!signature.ok) throw malformed(signature.message)
  let parsed: unknown = {}
  if (header.bytes.length > 0) {
    try {
      parsed = JSON.parse(header.bytes.toString('utf8'))
    } catch {
      throw malformed('invalid character in protected header (not JSON)')
    }
  }
  if (parsed === null) parsed = {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw malformed(
      `json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type jose.rawHeader`,
    )
  }
  const record = parsed as Record<string, unknown>
  const alg = headerString(record, 'alg', 'JWK algorithm') ?? ''
  const kid = headerString(record, 'kid', 'JWK key ID')
  const crit = record.crit
  // go-jose supports no critical header this service could honour; a token naming
  // one fails every key, as an unverifiable signature.
  const unsupportedCritical = crit !== undefined && crit !== null
  return {
    alg,
    kid,
    unsupportedCritical,
    signingInput: Buffer.from(`${headerText}.${payloadText}`, 'latin1'),
    signature: signature.bytes,
  }
}
