/**
 * cel-go strings extension, version 2 (ext/strings.go), where cel-js lacks it or differs:
 * `charAt`, `replace`, `format`, `strings.quote`, and ASCII-only `lowerAscii`/`upperAscii`
 * (cel-js lower-cases all of Unicode; registered under internal names, see rename.ts).
 * kube-apiserver leaves out `reverse` (library version 2 predates it).
 */
import type { Environment } from '@marcbachmann/cel-js'
import { formatDouble } from '../../go/format-double.js'
import { chargeWork } from '../evaluate.js'
import { INTERNAL_PREFIX } from '../rename.js'
import { SHORT_ESCAPES } from '../../go/quote.js'

class StringsNamespace {}

function codePoints(s: string): string[] {
  return Array.from(s)
}

// ext/strings.go `indexOfOffset`, `lastIndexOfOffset`, `substr`, `substrRange`: indices
// count code points; an offset past the end finds nothing rather than failing.
function indexOf(s: string, search: string, offset = 0n): bigint {
  if (search === '') return offset
  if (offset < 0n) throw new Error(`index out of range: ${offset}`)
  const chars = codePoints(s)
  const sub = codePoints(search)
  if (offset >= BigInt(chars.length)) return -1n
  for (let i = Number(offset); i < chars.length - (sub.length - 1); i++) {
    if (sub.every((c, j) => chars[i + j] === c)) return BigInt(i)
  }
  return -1n
}

function lastIndexOf(s: string, search: string, offset?: bigint): bigint {
  const chars = codePoints(s)
  if (search === '') return offset ?? BigInt(chars.length)
  if (offset === undefined) {
    // Go compares byte lengths here.
    if (Buffer.byteLength(s) < Buffer.byteLength(search)) return -1n
    offset = BigInt(chars.length - 1)
  }
  if (offset < 0n) throw new Error(`index out of range: ${offset}`)
  const sub = codePoints(search)
  if (offset >= BigInt(chars.length)) return -1n
  let from = Number(offset)
  if (from > chars.length - sub.length) from = chars.length - sub.length
  for (let i = from; i >= 0; i--) {
    if (sub.every((c, j) => chars[i + j] === c)) return BigInt(i)
  }
  return -1n
}

function substring(s: string, start: bigint, end?: bigint): string {
  const chars = codePoints(s)
  const size = BigInt(chars.length)
  if (end === undefined) {
    if (start < 0n || start > size) throw new Error(`index out of range: ${start}`)
    return chars.slice(Number(start)).join('')
  }
  if (start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`)
  if (start < 0n || start > size) throw new Error(`index out of range: ${start}`)
  if (end < 0n || end > size) throw new Error(`index out of range: ${end}`)
  return chars.slice(Number(start), Number(end)).join('')
}

/**
 * Go's `strings.SplitN` (n < 0: all; 0: none; else at most n parts, the last the rest);
 * an empty separator splits between code points, as Go's `explode` does.
 */
function split(s: string, sep: string, n = -1n): string[] {
  if (n === 0n) return []
  const parts = sep === '' ? codePoints(s) : s.split(sep)
  if (n < 0n || BigInt(parts.length) <= n) return parts
  const head = parts.slice(0, Number(n) - 1)
  return [...head, parts.slice(Number(n) - 1).join(sep)]
}

function charAt(s: string, index: bigint): string {
  const chars = codePoints(s)
  if (index < 0n || index > BigInt(chars.length)) {
    throw new Error(`index out of range: ${index}`)
  }
  return chars[Number(index)] ?? ''
}

// Go strings.Replace: n < 0 replaces all; an empty `from` matches before every code point and at the end.
/**
 * Charges what a replacement adds to the string (one traversal unit per 10
 * characters), before it is built: the call's own charge follows its inputs, and
 * an empty `from` with a long `to` multiplies them.
 */
function chargeGrowth(s: string, from: string, to: string, limit: number): void {
  if (to.length <= from.length) return
  let count = 0
  if (from === '') count = Math.min(limit, s.length + 1)
  else {
    for (let at = s.indexOf(from); at >= 0 && count < limit; at = s.indexOf(from, at + from.length))
      count++
  }
  chargeWork(count * (to.length - from.length) * 0.1)
}

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit === 0n || from === to) return s
  let remaining = limit < 0n ? Infinity : Number(limit)
  chargeGrowth(s, from, to, remaining)
  if (from === '') {
    const chars = codePoints(s)
    let out = ''
    for (let i = 0; i <= chars.length; i++) {
      if (remaining > 0) {
        out += to
        remaining--
      }
      out += chars[i] ?? ''
    }
    return out
  }
  if (remaining === Infinity) return s.split(from).join(to)
  let out = ''
  let rest = s
  while (remaining > 0) {
    const at = rest.indexOf(from)
    if (at < 0) break
    out += rest.slice(0, at) + to
    rest = rest.slice(at + from.length)
    remaining--
  }
  return out + rest
}

function asciiCase(s: string, upper: boolean): string {
  return upper
    ? s.replace(/[a-z]+/g, (m) => m.toUpperCase())
    : s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

/** ext/strings.go `quote`: wraps in double quotes, escaping control characters, `\` and `"`. */
export function quote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const escaped = SHORT_ESCAPES[ch]
    if (escaped !== undefined) out += escaped
    else if (ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff) {
      out += '\ufffd' // lone surrogate: invalid UTF-8 in Go becomes U+FFFD
    } else out += ch
  }
  return `${out}"`
}

function formatString(arg: unknown): string {
  if (typeof arg === 'string') return arg
  if (typeof arg === 'number') return formatDouble(arg)
  if (typeof arg === 'bigint' || typeof arg === 'boolean') return String(arg)
  if (arg === null) return 'null'
  if (Array.isArray(arg)) return `[${arg.map(formatString).join(', ')}]`
  if (arg instanceof Map) {
    return `{${[...arg.entries()].map(([k, v]) => `${formatString(k)}: ${formatString(v)}`).join(', ')}}`
  }
  if (typeof arg === 'object') {
    return `{${Object.entries(arg)
      .map(([k, v]) => `${k}: ${formatString(v)}`)
      .join(', ')}}`
  }
  return String(arg)
}

function integer(arg: unknown, verb: string): bigint {
  if (typeof arg === 'bigint') return arg
  if (typeof arg === 'object' && arg !== null && typeof arg.valueOf() === 'bigint') {
    return arg.valueOf() as bigint
  }
  throw new Error(`error during formatting: ${verb} formatting clause requires an integer`)
}

function fixed(arg: unknown, precision: number): string {
  const v = typeof arg === 'bigint' ? Number(arg) : arg
  if (typeof v !== 'number')
    throw new Error('error during formatting: fixed-point clause can only be used on doubles')
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
  return v.toFixed(precision)
}

function scientific(arg: unknown, precision: number): string {
  const v = typeof arg === 'bigint' ? Number(arg) : arg
  if (typeof v !== 'number')
    throw new Error('error during formatting: scientific clause can only be used on doubles')
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
  const [m, e = '0'] = v.toExponential(precision).split('e')
  const exp = Number(e)
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

/** ext/strings.go `format`: verbs %s %d %f %e %b %o %x %X and %%, with `.N` precision. */
export function format(template: string, args: readonly unknown[]): string {
  let out = ''
  let next = 0
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]
    if (ch !== '%') {
      out += ch
      continue
    }
    i++
    if (template[i] === '%') {
      out += '%'
      continue
    }
    let precision: number | undefined
    if (template[i] === '.') {
      let digits = ''
      while (/[0-9]/.test(template[i + 1] ?? '')) digits += template[++i]
      precision = Number(digits)
      i++
    }
    const verb = template[i]
    if (verb === undefined)
      throw new Error('error during formatting: unexpected end of format string')
    if (next >= args.length) {
      throw new Error(`index ${next} out of range`)
    }
    const arg = args[next++]
    switch (verb) {
      case 's':
        out += formatString(arg)
        break
      case 'd':
        out += String(integer(arg, 'decimal'))
        break
      case 'f':
        out += fixed(arg, precision ?? 6)
        break
      case 'e':
        out += scientific(arg, precision ?? 6)
        break
      case 'b':
        out += typeof arg === 'boolean' ? String(arg) : integer(arg, 'binary').toString(2)
        break
      case 'o':
        out += integer(arg, 'octal').toString(8)
        break
      case 'x':
      case 'X': {
        const hex =
          typeof arg === 'string'
            ? Buffer.from(arg, 'utf8').toString('hex')
            : arg instanceof Uint8Array
              ? Buffer.from(arg).toString('hex')
              : integer(arg, 'hex').toString(16)
        out += verb === 'X' ? hex.toUpperCase() : hex
        break
      }
      default:
        throw new Error(
          `could not parse formatting clause: unrecognized formatting clause "${verb}"`,
        )
    }
  }
  return out
}

/** Registers the strings functions cel-js lacks. */
export function registerStrings(env: Environment): void {
  env
    .registerFunction('string.charAt(int): string', charAt)
    .registerFunction(`string.${INTERNAL_PREFIX}indexOf(string): int`, (s: string, t: string) =>
      indexOf(s, t),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}indexOf(string, int): int`, indexOf)
    .registerFunction(`string.${INTERNAL_PREFIX}lastIndexOf(string): int`, (s: string, t: string) =>
      lastIndexOf(s, t),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}lastIndexOf(string, int): int`, lastIndexOf)
    .registerFunction(`string.${INTERNAL_PREFIX}substring(int): string`, (s: string, i: bigint) =>
      substring(s, i),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}substring(int, int): string`, substring)
    .registerFunction(
      `string.${INTERNAL_PREFIX}split(string): list<string>`,
      (s: string, t: string) => split(s, t),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}split(string, int): list<string>`, split)
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      replace(s, a, b, -1n),
    )
    .registerFunction('string.replace(string, string, int): string', replace)
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) =>
      format(s, args),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}lowerAscii(): string`, (s: string) =>
      asciiCase(s, false),
    )
    .registerFunction(`string.${INTERNAL_PREFIX}upperAscii(): string`, (s: string) =>
      asciiCase(s, true),
    )
    .registerType('StringsNamespace', StringsNamespace)
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerFunction('StringsNamespace.quote(string): string', (_ns: unknown, s: string) =>
      quote(s),
    )
}
