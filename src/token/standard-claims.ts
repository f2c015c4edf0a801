/**
 * The typed decode go-oidc v2 does before any other check (`json.Unmarshal` into
 * its `idToken` struct): it is a type check of the standard claims, with Go's
 * messages. Go fills struct fields case-insensitively and keeps the first error
 * in document order; both are mirrored.
 */
import { goQuote } from '../go/quote.js'
import { goUnmarshalFieldError } from '../go/json.js'
import { VerifyError } from './rejection.js'

export interface ClaimSource {
  readonly endpoint: string
  readonly accessToken: string
}

export interface StandardClaims {
  readonly iss: string
  /** `undefined` when `aud` is absent (Go's nil slice). */
  readonly aud: readonly string[] | undefined
  /** Whole seconds; `undefined` when absent (Go's zero time, always expired). */
  readonly exp: number | undefined
  readonly nbf: number | undefined
}

const STRUCT = 'idToken'
const INT64_LIMIT = 9_223_372_036_854_775_808
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

function unmarshalError(message: string): VerifyError {
  return new VerifyError('malformed', `oidc: failed to unmarshal claims: ${message}`)
}

// go-oidc's jsonTime: decoded through json.Number (so a quoted numeral such as
// "1700000000" is accepted, a quirk kube-apiserver has), Int64 first, else the
// float truncated toward zero. Out-of-range floats become math.MinInt64 as Go's
// float-to-int conversion does on amd64.
function decodeTime(value: unknown, field: string): number {
  let literal: number
  if (typeof value === 'number') literal = value
  else if (typeof value === 'string') {
    if (!NUMBER_LITERAL.test(value)) {
      throw unmarshalError(
        `json: invalid number literal, trying to unmarshal ${goQuote(JSON.stringify(value))} into Number`,
      )
    }
    literal = Number(value)
  } else if (value === null) {
    throw unmarshalError('strconv.ParseFloat: parsing "": invalid syntax')
  } else {
    throw unmarshalError(goUnmarshalFieldError(value, STRUCT, field, 'json.Number'))
  }
  const truncated = Math.trunc(literal)
  if (!Number.isFinite(truncated) || truncated >= INT64_LIMIT || truncated < -INT64_LIMIT)
    return -INT64_LIMIT
  return truncated === 0 ? 0 : truncated
}

function decodeString(value: unknown, field: string, struct = STRUCT): string {
  if (typeof value === 'string') return value
  if (value === null) return ''
  throw unmarshalError(goUnmarshalFieldError(value, struct, field, 'string'))
}

function decodeAudience(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value === null) return [''] // json.Unmarshal(null, &s) succeeds with ""
  if (!Array.isArray(value))
    throw unmarshalError(goUnmarshalFieldError(value, STRUCT, 'aud', '[]string'))
  return value.map((v) => decodeString(v, 'aud'))
}

function decodeClaimNames(value: unknown): Map<string, string> | undefined {
  if (value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unmarshalError(goUnmarshalFieldError(value, STRUCT, '_claim_names', 'map[string]string'))
  }
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out.set(k, decodeString(v, '_claim_names'))
  return out
}

function decodeClaimSources(value: unknown): Map<string, ClaimSource> | undefined {
  if (value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unmarshalError(
      goUnmarshalFieldError(value, STRUCT, '_claim_sources', 'map[string]oidc.claimSource'),
    )
  }
  const out = new Map<string, ClaimSource>()
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) {
      out.set(k, { endpoint: '', accessToken: '' })
      continue
    }
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw unmarshalError(goUnmarshalFieldError(v, STRUCT, '_claim_sources', 'oidc.claimSource'))
    }
    let endpoint = ''
    let accessToken = ''
    for (const [sk, sv] of Object.entries(v as Record<string, unknown>)) {
      const lower = sk.toLowerCase()
      if (lower === 'endpoint')
        endpoint = decodeString(sv, '_claim_sources.endpoint', 'claimSource')
      else if (lower === 'access_token')
        accessToken = decodeString(sv, '_claim_sources.access_token', 'claimSource')
    }
    out.set(k, { endpoint, accessToken })
  }
  return out
}

/**
 * Type-checks the standard claims and the distributed-claim references
 * (go-oidc `Verify`'s first claim checks). Throws `VerifyError` with the
 * inner message (`oidc: failed to unmarshal claims: ...`, `oidc: source does not exist`).
 */
export function decodeStandardClaims(payload: Readonly<Record<string, unknown>>): StandardClaims {
  let iss = ''
  let aud: string[] | undefined
  let exp: number | undefined
  let nbf: number | undefined
  let names: Map<string, string> | undefined
  let sources: Map<string, ClaimSource> | undefined
  // encoding/json keeps the first plain type error and goes on, but an error from
  // a custom unmarshaler (go-oidc's jsonTime and audience) ends decoding at once
  // and is the one reported.
  let saved: VerifyError | undefined
  const save = (fn: () => void): void => {
    try {
      fn()
    } catch (err) {
      if (saved === undefined && err instanceof VerifyError) saved = err
      else if (!(err instanceof VerifyError)) throw err
    }
  }
  for (const key in payload) {
    const n = key.length
    if (n !== 3 && n !== 5 && n !== 7 && n !== 12 && n !== 14) continue
    const value = payload[key]
    switch (key.toLowerCase()) {
      case 'iss':
        save(() => {
          iss = decodeString(value, 'iss')
        })
        break
      case 'sub':
        save(() => decodeString(value, 'sub'))
        break
      case 'aud':
        aud = decodeAudience(value)
        break
      case 'exp':
        exp = decodeTime(value, 'exp')
        break
      case 'iat':
        decodeTime(value, 'iat')
        break
      case 'nbf':
        nbf = value === null ? undefined : decodeTime(value, 'nbf')
        break
      case 'nonce':
        save(() => decodeString(value, 'nonce'))
        break
      case 'at_hash':
        save(() => decodeString(value, 'at_hash'))
        break
      case '_claim_names':
        save(() => {
          names = decodeClaimNames(value)
        })
        break
      case '_claim_sources':
        save(() => {
          sources = decodeClaimSources(value)
        })
        break
      default:
        break
    }
  }
  if (saved !== undefined) throw saved
  if (names !== undefined) {
    for (const source of names.values()) {
      if (source === '')
        throw new VerifyError('malformed', 'oidc: failed to obtain source from claim name')
      if (sources === undefined || !sources.has(source))
        throw new VerifyError('malformed', 'oidc: source does not exist')
    }
  }
  return { iss, aud, exp, nbf }
}
