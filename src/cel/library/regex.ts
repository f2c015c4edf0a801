/**
 * Regular expressions with Go's RE2 semantics: `matches` (cel-go's standard
 * `regexp.MatchString`) and Kubernetes' regex library `find`/`findAll`
 * (k8s.io/apiserver/pkg/cel/library/regex.go, Go `FindString`/`FindAllString`).
 *
 * The engine is re2js, a port of RE2/J: Go's syntax (`(?U)`, `[[:alpha:]]`, `\pL`,
 * `(?P<name>…)`, `\z`, `\Q…\E`) and its refusals (backreferences, lookaround), with
 * Go's parser messages, and linear-time matching. A pattern from the config meets
 * claims of a signed token here, so no input can make a match backtrack.
 */
import { RE2JS } from 're2js'
import type { Environment } from '@marcbachmann/cel-js'
import { INTERNAL_PREFIX } from '../rename.js'

/**
 * Literal patterns seen while compiling expressions: compiled once at config load
 * and kept (reloads of the same config hit them again). The bound only guards
 * against a process that loads endless distinct configs.
 */
const LITERAL_LIMIT = 4096
const literals = new Map<string, RE2JS>()
/** Patterns built at evaluation time (`s.matches(claims.pattern)`): a small LRU. */
const DYNAMIC_LIMIT = 256
const dynamic = new Map<string, RE2JS>()

/** Go's `regexp.Compile` failure; `message` is Go's text (`error parsing regexp: …`). */
export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError'
}

function compileUncached(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern)
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err)
    throw new RegexSyntaxError(
      text.startsWith('error parsing regexp: ') ? text : `error parsing regexp: ${text}`,
    )
  }
}

/**
 * Compiles a pattern that appears as a literal in an expression and keeps it for
 * every later evaluation. Throws `RegexSyntaxError` with Go's message.
 */
export function compileLiteralRegex(pattern: string): RE2JS {
  const known = literals.get(pattern)
  if (known !== undefined) return known
  const compiled = compileUncached(pattern)
  if (literals.size >= LITERAL_LIMIT) literals.clear()
  literals.set(pattern, compiled)
  return compiled
}

/** The compiled pattern for an evaluation: a config literal, or one built at run time (LRU-cached). */
export function compileRegex(pattern: string): RE2JS {
  const literal = literals.get(pattern)
  if (literal !== undefined) return literal
  const cached = dynamic.get(pattern)
  if (cached !== undefined) {
    dynamic.delete(pattern)
    dynamic.set(pattern, cached)
    return cached
  }
  const compiled = compileUncached(pattern)
  if (dynamic.size >= DYNAMIC_LIMIT) {
    const oldest = dynamic.keys().next()
    if (oldest.done !== true) dynamic.delete(oldest.value)
  }
  dynamic.set(pattern, compiled)
  return compiled
}

// cel-go's `matches` returns the regexp error as is.
function matches(s: string, pattern: string): boolean {
  return compileRegex(pattern).test(s)
}

// Kubernetes' find/findAll wrap a run-time compile error: `Illegal regex: %v`.
function libraryRegex(pattern: string): RE2JS {
  try {
    return compileRegex(pattern)
  } catch (err) {
    throw new Error(`Illegal regex: ${(err as Error).message}`)
  }
}

/** Go `(*Regexp).FindString`: the leftmost-first match, or "" (also when the match is empty). */
function findString(re: RE2JS, s: string): string {
  const m = re.matcher(s)
  return m.find(0) ? s.slice(m.start(), m.end()) : ''
}

/**
 * Go `(*Regexp).FindAllString(s, n)`: successive non-overlapping matches, at most
 * `n` (all when n < 0). An empty match right after the previous match is skipped,
 * and after an empty match the search moves on by one code point (Go's rune),
 * as regexp.go `allMatches` does.
 */
function findAllStrings(re: RE2JS, s: string, n: number): string[] {
  const out: string[] = []
  if (n === 0) return out
  const max = n < 0 ? Infinity : n
  const m = re.matcher(s)
  let pos = 0
  let previousEnd = -1
  while (out.length < max && pos <= s.length) {
    if (!m.find(pos)) break
    const start = m.start()
    const end = m.end()
    let accept = true
    if (end === pos) {
      if (start === previousEnd) accept = false
      const code = s.codePointAt(pos)
      pos += code !== undefined && code > 0xffff ? 2 : 1
    } else {
      pos = end
    }
    previousEnd = end
    if (accept) out.push(s.slice(start, end))
  }
  return out
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  const re = libraryRegex(pattern)
  // Go converts the int64 limit to int; any value past the string's length means "all".
  const n = limit < 0n ? -1 : limit > BigInt(s.length) ? Infinity : Number(limit)
  return findAllStrings(re, s, n)
}

/** Registers `matches` (under its internal name, see rename.ts) and `find`/`findAll`. */
export function registerRegex(env: Environment): void {
  env
    .registerFunction(`${INTERNAL_PREFIX}matches(string, string): bool`, matches)
    .registerFunction(`string.${INTERNAL_PREFIX}matches(string): bool`, matches)
    .registerFunction('string.find(string): string', (s: string, p: string) =>
      findString(libraryRegex(p), s),
    )
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) =>
      findAll(s, p, -1n),
    )
    .registerFunction('string.findAll(string, int): list<string>', findAll)
}
