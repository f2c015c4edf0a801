/**
 * The members of a JSON object in document order, duplicates kept, as Go's
 * decoders meet them. `JSON.parse` collapses duplicate keys (the last value wins
 * but the key keeps its first position), which loses what Go's struct decoding
 * depends on: every key that matches a field sets it, in the order written.
 */

/** One `"key": value` of an object: the decoded key and the value's JSON text. */
export interface JsonMember {
  readonly key: string
  readonly raw: string
}

/** JSON's four whitespace characters (space, tab, LF, CR). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++
  return at
}

/** Index just past the string token that starts at `at` (a `"`). */
function skipString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i++
    else if (c === 0x22) return i + 1
  }
  throw new SyntaxError('unterminated string')
}

/** Index just past the JSON value that starts at `at`. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at)
  if (first === 0x22) return skipString(text, at)
  if (first === 0x7b || first === 0x5b) {
    let depth = 0
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 0x22) i = skipString(text, i) - 1
      else if (c === 0x7b || c === 0x5b) depth++
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) return i + 1
      }
    }
    throw new SyntaxError('unterminated value')
  }
  let i = at
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) break
    i++
  }
  return i
}

function decodeKey(token: string): string {
  return token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1)
}

/**
 * The members of the object that `text` holds, in document order. `text` must
 * already be known to be valid JSON (it was parsed once); undefined when it is
 * not an object.
 */
export function objectMembers(text: string): JsonMember[] | undefined {
  let at = skipSpace(text, 0)
  if (text.charCodeAt(at) !== 0x7b) return undefined
  const members: JsonMember[] = []
  at = skipSpace(text, at + 1)
  if (text.charCodeAt(at) === 0x7d) return members
  for (;;) {
    const keyEnd = skipString(text, at)
    const key = decodeKey(text.slice(at, keyEnd))
    at = skipSpace(text, keyEnd) + 1 // past ':'
    const valueStart = skipSpace(text, at)
    const valueEnd = skipValue(text, valueStart)
    members.push({ key, raw: text.slice(valueStart, valueEnd) })
    at = skipSpace(text, valueEnd)
    if (text.charCodeAt(at) !== 0x2c) return members
    at = skipSpace(text, at + 1)
  }
}

/** The JSON text of each element of the array that `text` holds; undefined when it is not an array. */
export function arrayElements(text: string): string[] | undefined {
  let at = skipSpace(text, 0)
  if (text.charCodeAt(at) !== 0x5b) return undefined
  const elements: string[] = []
  at = skipSpace(text, at + 1)
  if (text.charCodeAt(at) === 0x5d) return elements
  for (;;) {
    const end = skipValue(text, at)
    elements.push(text.slice(at, end))
    at = skipSpace(text, end)
    if (text.charCodeAt(at) !== 0x2c) return elements
    at = skipSpace(text, at + 1)
  }
}

/**
 * True when encoding/json would fill a struct field tagged `lowerName` (ASCII,
 * lower case) from the object key `key`: keys are compared under Unicode simple
 * case folding, so besides ASCII case `ſ` (U+017F) matches `s` and the Kelvin sign
 * (U+212A) matches `k`. No other rune folds onto an ASCII letter.
 */
export function goFieldNameMatches(key: string, lowerName: string): boolean {
  if (key.length !== lowerName.length) return false
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    const n = lowerName.charCodeAt(i)
    if (c === n) continue
    if (c >= 0x41 && c <= 0x5a && c + 0x20 === n) continue
    if (c === 0x17f && n === 0x73) continue
    if (c === 0x212a && n === 0x6b) continue
    return false
  }
  return true
}

/** The member that sets struct field `lowerName` last, as encoding/json fills it; undefined when none does. */
export function lastFieldMember(
  members: readonly JsonMember[],
  lowerName: string,
): JsonMember | undefined {
  for (let i = members.length - 1; i >= 0; i--) {
    const member = members[i] as JsonMember
    if (goFieldNameMatches(member.key, lowerName)) return member
  }
  return undefined
}

/**
 * `key` in the form that equals an ASCII lower-case field name exactly when
 * `goFieldNameMatches` holds: ASCII letters lowered, `ſ` to `s`, Kelvin sign to `k`.
 */
export function goFoldKey(key: string): string {
  let i = 0
  // Most keys are folded already: return them as they are, without building a copy.
  for (; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if ((c >= 0x41 && c <= 0x5a) || c === 0x17f || c === 0x212a) break
  }
  if (i === key.length) return key
  let out = ''
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 0x20)
    else if (c === 0x17f) out += 's'
    else if (c === 0x212a) out += 'k'
    else out += key[i]
  }
  return out
}
