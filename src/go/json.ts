/**
 * The parts of Go's encoding/json behaviour that kube-apiserver's messages and
 * decisions depend on: the JSON kind names used in `UnmarshalTypeError`, and
 * case-insensitive matching of struct fields (`json:"iss"` also takes `"ISS"`).
 */
import { lastFieldMember, type JsonMember } from './json-members.js'

/** Go's name for the kind of a JSON value in `json: cannot unmarshal <kind> into ...`. */
export function goJsonKind(
  value: unknown,
): 'string' | 'number' | 'bool' | 'array' | 'object' | 'null' {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  switch (typeof value) {
    case 'string':
      return 'string'
    case 'number':
    case 'bigint':
      return 'number'
    case 'boolean':
      return 'bool'
    default:
      return 'object'
  }
}

/** `json: cannot unmarshal <kind> into Go value of type <type>` (no struct context). */
export function goUnmarshalValueError(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${goType}`
}

/** `json: cannot unmarshal <kind> into Go struct field <struct>.<field> of type <type>`. */
export function goUnmarshalFieldError(
  value: unknown,
  struct: string,
  field: string,
  goType: string,
): string {
  return `json: cannot unmarshal ${goJsonKind(value)} into Go struct field ${struct}.${field} of type ${goType}`
}

/**
 * Decodes a claim into a Go `string` as `json.Unmarshal` would: a string is taken,
 * `null` leaves the zero value `""`, anything else is a type error.
 */
export function goUnmarshalString(
  value: unknown,
): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof value === 'string') return { ok: true, value }
  if (value === null) return { ok: true, value: '' }
  return { ok: false, message: goUnmarshalValueError(value, 'string') }
}

/**
 * Looks up a struct field the way encoding/json fills one: every member whose
 * key matches `name` under Unicode simple case folding sets it, in document
 * order, so the last one wins. `name` must be ASCII lower case.
 */
export function goStructField(
  members: readonly JsonMember[],
  name: string,
): { found: boolean; value: unknown } {
  const member = lastFieldMember(members, name)
  return member === undefined
    ? { found: false, value: undefined }
    : { found: true, value: JSON.parse(member.raw) as unknown }
}

/** encoding/json's scanner refuses input nested deeper than this (`exceeded max depth`). */
export const GO_JSON_MAX_DEPTH = 10_000

/**
 * True when JSON text nests arrays/objects deeper than Go's decoder allows, so
 * `json.Unmarshal` fails on it whatever the target type. Linear, allocation-free;
 * skipped for text too short to nest that deep.
 */
export function exceedsGoJsonDepth(bytes: Uint8Array): boolean {
  if (bytes.length <= GO_JSON_MAX_DEPTH) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped byte
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > GO_JSON_MAX_DEPTH) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}
