/**
 * Go's `%q` verb (`strconv.Quote`), shared by config errors and token errors so
 * both read byte for byte like kube-apiserver's.
 */

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
/** Go's short escapes (`\a`, `\n`, ...), shared with cel-go's `strings.quote`. */
export const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
}

/** Go's strconv.Quote (the `%q` verb) for a JavaScript string. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) {
      out += short
      continue
    }
    const cp = ch.codePointAt(0) ?? 0
    if (PRINTABLE.test(ch)) out += ch
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += '\ufffd' // a lone surrogate reaches Go as U+FFFD
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += `\\U${cp.toString(16).padStart(8, '0')}`
  }
  return `${out}"`
}
