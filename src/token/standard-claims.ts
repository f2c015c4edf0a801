/**
 * The typed decode go-oidc v2 does before any other check (`json.Unmarshal` into
 * its `idToken` struct): it is a type check of the standard claims, with Go's
 * messages. Go fills struct fields under Unicode case folding (`ſ` is `s`, the
 * Kelvin sign is `k`), member by member in document order so the last duplicate
 * wins, and keeps the first error; all of it is mirrored.
 */
import { goQuote } from '../go/quote.js'
import { goUnmarshalFieldError } from '../go/json.js'
import { goFoldKey, objectMembers, type JsonMember } from '../go/json-members.js'
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
const FIELDS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  '_claim_names',
  '_claim_sources',
])
/** Fields go-oidc decodes with its own unmarshaler: their first error ends decoding. */
const CUSTOM_UNMARSHALERS: ReadonlySet<string> = new Set(['aud', 'exp', 'iat', 'nbf'])
const INT64_MIN = -(2n ** 63n)
const INT64_END = 2n ** 63n
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const INTEGER_LITERAL = /^-?(?:0|[1-9]\d*)$/
// time.Unix adds the seconds from year 1 to 1970 in an int64: above this it wraps.
const UNIX_TO_INTERNAL = 62_135_596_800n
const MAX_UNWRAPPED_UNIX = INT64_END - 1n - UNIX_TO_INTERNAL

/**
 * A member's value from its JSON text (valid JSON: the payload parsed as a
 * whole). A string without escapes and a number are read directly, exactly as
 * `JSON.parse` would give them; anything else goes through `JSON.parse`.
 */
function memberValue(raw: string): unknown {
  const first = raw.charCodeAt(0)
  if (first === 0x22 && !raw.includes('\\')) return raw.slice(1, -1)
  if (first === 0x2d || (first >= 0x30 && first <= 0x39)) return Number(raw)
  return JSON.parse(raw) as unknown
}

function unmarshalError(message: string): VerifyError {
  return new VerifyError('malformed', `oidc: failed to unmarshal claims: ${message}`)
}

/**
 * go-oidc's jsonTime on a number literal: json.Number.Int64 when the literal is an
 * int64, else Float64 truncated toward zero (out of range: math.MinInt64, as Go's
 * conversion does on amd64). Exact, from the literal's text.
 */
function goUnixSeconds(literal: string): bigint {
  if (INTEGER_LITERAL.test(literal)) {
    const exact = BigInt(literal)
    if (exact >= INT64_MIN && exact < INT64_END) return exact
  }
  const truncated = Math.trunc(Number(literal))
  if (!Number.isFinite(truncated) || truncated >= 2 ** 63 || truncated < -(2 ** 63))
    return INT64_MIN
  return BigInt(truncated)
}

/**
 * The instant `time.Unix(sec, 0)` stands for, in seconds since 1970: past
 * 2^63-1-62135596800 Go's internal int64 wraps, and the time lies ~292 billion
 * years in the past (so kube-apiserver finds such a token expired).
 */
function goTimeUnix(sec: bigint): number {
  const effective = sec > MAX_UNWRAPPED_UNIX ? sec - 2n ** 64n : sec
  return effective === 0n ? 0 : Number(effective)
}

// go-oidc's jsonTime: decoded through json.Number (so a quoted numeral such as
// "1700000000" is accepted, a quirk kube-apiserver has).
function decodeTime(value: unknown, raw: string, field: string): number {
  let literal: string
  if (typeof value === 'number') literal = raw.trim()
  else if (typeof value === 'string') {
    if (!NUMBER_LITERAL.test(value)) {
      throw unmarshalError(
        `json: invalid number literal, trying to unmarshal ${goQuote(JSON.stringify(value))} into Number`,
      )
    }
    literal = value
  } else if (value === null) {
    throw unmarshalError('strconv.ParseFloat: parsing "": invalid syntax')
  } else {
    throw unmarshalError(goUnmarshalFieldError(value, STRUCT, field, 'json.Number'))
  }
  // An integer numeral of up to 15 characters is exact as a double and far
  // from int64's limits: no BigInt needed (`|| 0` turns "-0" into 0, as Go has it).
  if (literal.length <= 15 && INTEGER_LITERAL.test(literal)) return Number(literal) || 0
  return goTimeUnix(goUnixSeconds(literal))
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

function decodeClaimSources(value: unknown, raw: string): Map<string, ClaimSource> | undefined {
  if (value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unmarshalError(
      goUnmarshalFieldError(value, STRUCT, '_claim_sources', 'map[string]oidc.claimSource'),
    )
  }
  const out = new Map<string, ClaimSource>()
  for (const { key: k, raw: sourceRaw } of objectMembers(raw) ?? []) {
    const v = JSON.parse(sourceRaw) as unknown
    if (v === null) {
      out.set(k, { endpoint: '', accessToken: '' })
      continue
    }
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw unmarshalError(goUnmarshalFieldError(v, STRUCT, '_claim_sources', 'oidc.claimSource'))
    }
    let endpoint = ''
    let accessToken = ''
    for (const { key: sk, raw: fieldRaw } of objectMembers(sourceRaw) ?? []) {
      const lower = goFoldKey(sk)
      if (lower !== 'endpoint' && lower !== 'access_token') continue
      const sv = JSON.parse(fieldRaw) as unknown
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
export function decodeStandardClaims(members: readonly JsonMember[]): StandardClaims {
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
  for (const { key, raw } of members) {
    const n = key.length
    if (n !== 3 && n !== 5 && n !== 7 && n !== 12 && n !== 14) continue
    const name = goFoldKey(key)
    if (!FIELDS.has(name)) continue
    const value = memberValue(raw)
    try {
      switch (name) {
        case 'iss':
          iss = decodeString(value, 'iss')
          break
        case 'sub':
          decodeString(value, 'sub')
          break
        case 'aud':
          aud = decodeAudience(value)
          break
        case 'exp':
          exp = decodeTime(value, raw, 'exp')
          break
        case 'iat':
          decodeTime(value, raw, 'iat')
          break
        case 'nbf':
          nbf = value === null ? undefined : decodeTime(value, raw, 'nbf')
          break
        case 'nonce':
          decodeString(value, 'nonce')
          break
        case 'at_hash':
          decodeString(value, 'at_hash')
          break
        case '_claim_names':
          names = decodeClaimNames(value)
          break
        case '_claim_sources':
          sources = decodeClaimSources(value, raw)
          break
        default:
          break
      }
    } catch (err) {
      if (!(err instanceof VerifyError) || CUSTOM_UNMARSHALERS.has(name)) throw err
      saved ??= err
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
