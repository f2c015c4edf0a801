/**
 * Regular expressions: `matches` (standard), and Kubernetes' regex library
 * (k8s.io/apiserver/pkg/cel/library/regex.go) `find`/`findAll`.
 *
 * kube-apiserver uses RE2; this uses JavaScript RegExp after translating the RE2
 * spellings that commonly appear (leading `(?i)`/`(?s)`/`(?m)` flag groups, `(?P<name>`,
 * `\A`, `\z`). Patterns are compiled once and cached.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { INTERNAL_PREFIX } from '../rename.js'

const CACHE_LIMIT = 512
const cache = new Map<string, RegExp>()

/** Compiles an RE2-style pattern to a RegExp (cached); throws with a CEL-style message. */
export function compileRegex(pattern: string): RegExp {
  const cached = cache.get(pattern)
  if (cached !== undefined) return cached
  let source = pattern
  let flags = ''
  const flagGroup = /^\(\?([imsU]+)\)/.exec(source)
  if (flagGroup !== null) {
    const groupFlags = flagGroup[1] ?? ''
    if (groupFlags.includes('U')) throw new Error(`invalid regex: ungreedy flag (?U) is not supported`)
    flags = [...new Set(groupFlags)].join('')
    source = source.slice(flagGroup[0].length)
  }
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])')
  let regex: RegExp
  try {
    regex = new RegExp(source, flags)
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : ''
    throw new Error(`error parsing regexp: ${why}`)
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(pattern, regex)
  return regex
}

function matches(s: string, pattern: string): boolean {
  return compileRegex(pattern).test(s)
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return []
  const base = compileRegex(pattern)
  const global = new RegExp(base.source, `${base.flags}g`)
  const out: string[] = []
  const max = limit < 0n ? Infinity : Number(limit)
  let m: RegExpExecArray | null
  while (out.length < max && (m = global.exec(s)) !== null) {
    out.push(m[0])
    if (m[0] === '') global.lastIndex++
  }
  return out
}

/** Registers `matches` with RE2 flag groups and `find`/`findAll`. */
export function registerRegex(env: Environment): void {
  env
    .registerFunction(`${INTERNAL_PREFIX}matches(string, string): bool`, matches)
    .registerFunction(`string.${INTERNAL_PREFIX}matches(string): bool`, matches)
    .registerFunction('string.find(string): string', (s: string, p: string) => compileRegex(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n))
    .registerFunction('string.findAll(string, int): list<string>', findAll)
}
