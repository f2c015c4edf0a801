/**
 * go-yaml's wording for YAML syntax errors. The file is parsed by the `yaml`
 * package; its errors are mapped onto the libyaml scanner and parser messages
 * go-yaml v2 prints for the same mistakes, with libyaml's line numbers
 * (scanner errors name the line of the offending character, parser errors the
 * line before the token that did not fit). Mistakes outside this map keep the
 * `yaml` package's message after go-yaml's `yaml: line N: ` form.
 */
import { isCollection, isScalar, visit } from 'yaml'
import type { Document, LineCounter, YAMLError } from 'yaml'

interface SyntaxMapping {
  readonly match: RegExp
  readonly text: string
  /** Parser errors (as opposed to scanner errors) report the line before. */
  readonly parser: boolean
}

const scanner = (match: RegExp, text: string): SyntaxMapping => ({ match, text, parser: false })
const parser = (match: RegExp, text: string): SyntaxMapping => ({ match, text, parser: true })

const CANNOT_START = 'found character that cannot start any token'
const TAB_VIOLATES = 'found a tab character that violates indentation'

const MAPPINGS: readonly SyntaxMapping[] = [
  scanner(/^Tabs are not allowed/, CANNOT_START),
  scanner(/^Plain value cannot start with (reserved|directive indicator) character/, CANNOT_START),
  scanner(/^Missing closing ["']quote/, 'found unexpected end of stream'),
  scanner(/^Invalid escape sequence/, 'found unknown escape character'),
  scanner(/^Unknown directive/, 'found unknown directive name'),
  scanner(
    /^Nested mappings are not allowed in compact mappings/,
    'mapping values are not allowed in this context',
  ),
  scanner(
    /^Unexpected block-seq-ind on same line with key/,
    'block sequence entries are not allowed in this context',
  ),
  parser(/^Flow sequence\b.*end with a \]/, "did not find expected ',' or ']'"),
  parser(/^Flow map\b.*end with a \}/, "did not find expected ',' or '}'"),
  parser(
    /^All (mapping|sequence) items must start at the same column/,
    'did not find expected key',
  ),
  parser(/^A block sequence may not be used as an implicit map key/, 'did not find expected key'),
  parser(/^Unexpected flow-(seq|map)-end token/, 'did not find expected key'),
  parser(/^Sequence item without - indicator/, 'did not find expected key'),
  parser(/^Unexpected (scalar|tag|anchor) at node end/, 'did not find expected key'),
]

/**
 * go-yaml's text for the `yaml` package's errors in a document. libyaml's
 * scanner runs one token ahead of its parser, so a bad character at the start
 * of the next line is reported before the structural mistake before it.
 */
export function goYamlSyntaxError(errors: readonly YAMLError[], text: string): string {
  const [first] = errors
  if (first === undefined) return 'yaml: unknown problem parsing YAML content'
  // The parser fails on the token after its error; a scanner error up to that token comes first.
  const token = nextToken(text, first.pos[0])
  const scannerFirst = isScannerError(first)
    ? undefined
    : errors.find((e) => isScannerError(e) && e.pos[0] <= token)
  if (scannerFirst === undefined && !isScannerError(first)) {
    // `- ` after a tag or anchor on the same line: libyaml's scanner refuses the entry.
    const entry = /^((?:![^\s]*|&[^\s]+)[ \t]+)- /.exec(text.slice(token))
    if (entry !== null)
      return goYamlLine(
        lineAt(text, token),
        false,
        'block sequence entries are not allowed in this context',
      )
  }
  return goYamlError(scannerFirst ?? first, text)
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}

function isScannerError(error: YAMLError): boolean {
  return MAPPINGS.some((m) => !m.parser && m.match.test(messageOf(error)))
}

function messageOf(error: YAMLError): string {
  return (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
}

function goYamlError(error: YAMLError, text: string): string {
  const line = error.linePos?.[0].line
  const message = messageOf(error)
  let mapped = MAPPINGS.find((m) => m.match.test(message))
  if (
    mapped?.text === CANNOT_START &&
    message.startsWith('Tabs') &&
    error.pos[0] > 0 &&
    afterPlainScalar(text, error.pos[0])
  )
    mapped = scanner(/$/, TAB_VIOLATES)
  if (
    message.startsWith('Implicit map keys need to be followed by map values') &&
    line !== undefined
  ) {
    const column = (error.linePos?.[0].col ?? 1) - 1
    if (requiredKey(text.split('\n'), line - 1, column))
      return goYamlLine(line + 1, false, "could not find expected ':'")
  }
  if (error.code === 'MULTILINE_IMPLICIT_KEY' && line !== undefined) {
    // A key in a mapping already under way must find its `:` on its own line
    // (libyaml: a required simple key); any other multi-line scalar meets the
    // `:` on a later line, where no mapping value may start.
    const column = (error.linePos?.[0].col ?? 1) - 1
    return requiredKey(text.split('\n'), line - 1, column)
      ? goYamlLine(line + 1, false, "could not find expected ':'")
      : goYamlLine(line + 1, false, 'mapping values are not allowed in this context')
  }
  // An unclosed flow collection that stops right after `[`, `{` or `,` lacks a node, not a separator.
  if (mapped?.text.startsWith("did not find expected ','") === true && /[[{,]\s*$/.test(text))
    mapped = { match: /$/, text: 'did not find expected node content', parser: true }
  if (mapped === undefined) return `yaml: ${line === undefined ? '' : `line ${line}: `}${message}`
  if (mapped.text === 'mapping values are not allowed in this context') {
    // Reported at the `:` itself, which may sit on a later line of a multi-line scalar.
    const colon = /:(?=[ \t\r\n]|$)/g
    colon.lastIndex = error.pos[0]
    const found = colon.exec(text)
    return goYamlLine(found === null ? line : lineAt(text, found.index), false, mapped.text)
  }
  if (!mapped.parser) return goYamlLine(line, false, mapped.text)
  // libyaml's parser names the token it could not place: the next one from here.
  const token = nextToken(text, error.pos[0])
  const tokenLine = lineAt(text, token)
  if (mapped.text === 'did not find expected key' && sequenceEntryExpected(text, token))
    return goYamlLine(tokenLine, true, "did not find expected '-' indicator")
  return goYamlLine(Math.max(tokenLine, line ?? 0), true, mapped.text)
}

/** Offset of the first character at or after `offset` that is not blank, a line break or a comment. */
function nextToken(text: string, offset: number): number {
  let i = offset
  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? text.length : end
    } else break
  }
  return i
}

/** Whether the token at `offset` starts a line right below a `- ` entry of the same column. */
function sequenceEntryExpected(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  const before = text.slice(lineStart, offset)
  if (!/^ *$/.test(before)) return false
  const lines = text.slice(0, lineStart).split('\n').reverse()
  for (const previous of lines) {
    if (/^\s*(#.*)?$/.test(previous)) continue
    const indent = /^ */.exec(previous)?.[0].length ?? 0
    return indent === before.length && previous.slice(indent).startsWith('- ')
  }
  return false
}

/** Whether the key at `column` of line `index` sits in a block mapping already started at that column. */
function requiredKey(lines: readonly string[], index: number, column: number): boolean {
  if (!/^ *$/.test((lines[index] ?? '').slice(0, column))) return false
  for (let i = index - 1; i >= 0; i--) {
    const previous = lines[i] ?? ''
    if (/^\s*(#.*)?$/.test(previous)) continue
    const indent = /^ */.exec(previous)?.[0].length ?? 0
    if (indent < column) return false
    // A sequence at the key's own column is the value of an earlier key there.
    if (indent === column && !previous.slice(indent).startsWith('- ')) return true
  }
  return false
}

/**
 * go-yaml's parser.fail(): the 0-based line of the problem, plus one for a
 * scanner error, and no line at all when the problem is on the first line.
 */
function goYamlLine(line: number | undefined, parserError: boolean, text: string): string {
  const zeroBased = line === undefined ? 0 : line - 1
  if (zeroBased === 0) return `yaml: ${text}`
  return `yaml: line ${parserError ? zeroBased : zeroBased + 1}: ${text}`
}

/**
 * Whether the last thing before the line holding `offset` is a plain scalar:
 * libyaml's plain-scalar scanner then reads on into that line's indentation
 * and calls a tab there a violation of it.
 */
function afterPlainScalar(text: string, offset: number): boolean {
  let p = text.lastIndexOf('\n', offset) - 1
  while (p >= 0 && /\s/.test(text[p] ?? '')) p--
  if (p < 0) return false
  const lineStart = text.lastIndexOf('\n', p) + 1
  const line = text.slice(lineStart, p + 1)
  if (/(^|\s)#/.test(line)) return false
  return !/[:\[\]{},"'|>-]$/.test(line) || /[^\s]-$/.test(line)
}

/**
 * libyaml refuses a tab before the first token of a line in block context,
 * even on a line holding nothing else; the `yaml` package lets some of those
 * through (blank and comment lines). Lines inside scalars and flow
 * collections are left alone.
 */
export function goYamlTabError(
  doc: Document,
  text: string,
  lineCounter: LineCounter,
): { line: number; error: string } | undefined {
  const exempt: [number, number][] = []
  visit(doc, {
    Node(_key, node) {
      const range = node.range
      if (range === undefined || range === null) return
      if (isScalar(node) || (isCollection(node) && node.flow === true))
        exempt.push([range[0], range[1]])
    },
  })
  const end = doc.range?.[2] ?? text.length
  const tabAtLineStart = /^ *\t/gm
  for (
    let m = tabAtLineStart.exec(text);
    m !== null && m.index < end;
    m = tabAtLineStart.exec(text)
  ) {
    const tab = m.index + m[0].length - 1
    if (exempt.some(([from, to]) => tab >= from && tab < to)) continue
    const line = lineCounter.linePos(tab).line
    return {
      line,
      error: goYamlLine(line, false, afterPlainScalar(text, tab) ? TAB_VIOLATES : CANNOT_START),
    }
  }
  return undefined
}
