/**
 * The syntax check Go's encoding/json runs before decoding (scanner.go
 * checkValid), with its error texts: `invalid character 'a' looking for
 * beginning of object key string`, `unexpected end of JSON input`. It reads
 * bytes, as Go does, so a non-ASCII byte is named by its Latin-1 character.
 */
import { goQuote } from '../go/quote.js'

const MAX_NESTING_DEPTH = 10000

type Step = (c: number) => Step | 'error' | undefined

/** The text of Go's *json.SyntaxError for `bytes`, or undefined when they are valid JSON. */
export function goJsonSyntaxError(bytes: Uint8Array): string | undefined {
  return new Scanner().check(bytes)
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)

const enum Parse {
  ObjectKey,
  ObjectValue,
  ArrayValue,
}

class Scanner {
  private readonly stack: Parse[] = []
  private error: string | undefined
  private endTop = false

  check(bytes: Uint8Array): string | undefined {
    let step: Step = this.beginValue
    for (const c of bytes) {
      const next = step(c)
      if (next === 'error') return this.error
      if (next !== undefined) step = next
    }
    // Go's eof(): a final space ends a pending number or literal.
    if (this.endTop) return undefined
    const last = step(0x20)
    if (last === 'error' || !this.endTop) return 'unexpected end of JSON input'
    return undefined
  }

  private fail(c: number, context: string): 'error' {
    this.error = `invalid character ${quoteChar(c)} ${context}`
    return 'error'
  }

  private push(p: Parse): Step | 'error' | undefined {
    this.stack.push(p)
    if (this.stack.length > MAX_NESTING_DEPTH) {
      this.error = 'exceeded max depth'
      return 'error'
    }
    return undefined
  }

  private readonly beginValue: Step = (c) => {
    if (isSpace(c)) return undefined
    switch (c) {
      case 0x7b: // {
        return this.push(Parse.ObjectKey) ?? this.beginStringOrEmpty
      case 0x5b: // [
        return this.push(Parse.ArrayValue) ?? this.beginValueOrEmpty
      case 0x22:
        return this.inString
      case 0x2d:
        return this.neg
      case 0x30:
        return this.zero
      case 0x74:
        return this.literal('true', 1)
      case 0x66:
        return this.literal('false', 1)
      case 0x6e:
        return this.literal('null', 1)
    }
    if (c >= 0x31 && c <= 0x39) return this.one
    return this.fail(c, 'looking for beginning of value')
  }

  private readonly beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined
    if (c === 0x5d) return this.endValue(c)
    return this.beginValue(c)
  }

  private readonly beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = Parse.ObjectValue
      return this.endValue(c)
    }
    return this.beginString(c)
  }

  private readonly beginString: Step = (c) => {
    if (isSpace(c)) return undefined
    if (c === 0x22) return this.inString
    return this.fail(c, 'looking for beginning of object key string')
  }

  private readonly endValue: Step = (c) => {
    const n = this.stack.length
    if (n === 0) {
      this.endTop = true
      return this.endTopStep(c) ?? this.endTopStep
    }
    if (isSpace(c)) return this.endValue
    switch (this.stack[n - 1]) {
      case Parse.ObjectKey:
        if (c === 0x3a) {
          this.stack[n - 1] = Parse.ObjectValue
          return this.beginValue
        }
        return this.fail(c, 'after object key')
      case Parse.ObjectValue:
        if (c === 0x2c) {
          this.stack[n - 1] = Parse.ObjectKey
          return this.beginString
        }
        if (c === 0x7d) {
          this.stack.pop()
          return this.afterClose
        }
        return this.fail(c, 'after object key:value pair')
      default:
        if (c === 0x2c) return this.beginValue
        if (c === 0x5d) {
          this.stack.pop()
          return this.afterClose
        }
        return this.fail(c, 'after array element')
    }
  }

  /** The state right after a closing bracket: the enclosing value ends. */
  private get afterClose(): Step {
    if (this.stack.length === 0) this.endTop = true
    return this.endValueNext
  }

  private readonly endValueNext: Step = (c) => this.endValue(c)

  private readonly endTopStep: Step = (c) => {
    if (!isSpace(c)) return this.fail(c, 'after top-level value')
    return undefined
  }

  private readonly inString: Step = (c) => {
    if (c === 0x22) return this.endValueNext
    if (c === 0x5c) return this.inStringEsc
    if (c < 0x20) return this.fail(c, 'in string literal')
    return undefined
  }

  private readonly inStringEsc: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return this.inString
    if (c === 0x75) return this.hexEscape(4)
    return this.fail(c, 'in string escape code')
  }

  private hexEscape(left: number): Step {
    return (c) => {
      if (!isHex(c)) return this.fail(c, 'in \\u hexadecimal character escape')
      return left === 1 ? this.inString : this.hexEscape(left - 1)
    }
  }

  private readonly neg: Step = (c) => {
    if (c === 0x30) return this.zero
    if (c >= 0x31 && c <= 0x39) return this.one
    return this.fail(c, 'in numeric literal')
  }

  private readonly one: Step = (c) => (isDigit(c) ? this.one : this.zero(c))

  private readonly zero: Step = (c) => {
    if (c === 0x2e) return this.dot
    if (c === 0x65 || c === 0x45) return this.exponent
    return this.endValue(c)
  }

  private readonly dot: Step = (c) =>
    isDigit(c) ? this.dotDigits : this.fail(c, 'after decimal point in numeric literal')

  private readonly dotDigits: Step = (c) => {
    if (isDigit(c)) return this.dotDigits
    if (c === 0x65 || c === 0x45) return this.exponent
    return this.endValue(c)
  }

  private readonly exponent: Step = (c) =>
    c === 0x2b || c === 0x2d ? this.exponentSign : this.exponentSign(c)

  private readonly exponentSign: Step = (c) =>
    isDigit(c) ? this.exponentDigits : this.fail(c, 'in exponent of numeric literal')

  private readonly exponentDigits: Step = (c) =>
    isDigit(c) ? this.exponentDigits : this.endValue(c)

  private literal(word: string, at: number): Step {
    return (c) => {
      const want = word.charCodeAt(at)
      if (c !== want) return this.fail(c, `in literal ${word} (expecting ${quoteChar(want)})`)
      return at === word.length - 1 ? this.endValueNext : this.literal(word, at + 1)
    }
  }
}

/** Go's quoteChar: the byte as a one-character Go string literal in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''"
  if (c === 0x22) return `'"'`
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`
}
