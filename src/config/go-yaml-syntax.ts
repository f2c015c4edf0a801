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

const MAPPINGS: readonly SyntaxMapping[] = [
  {
    match: /^Tabs are not allowed/,
    text: 'found character that cannot start any token',
    parser: false,
  },
  { match: /^Missing closing ["']quote/, text: 'found unexpected end of stream', parser: false },
  {
    match: /^Flow sequence\b.*end with a \]/,
    text: "did not find expected ',' or ']'",
    parser: true,
  },
  { match: /^Flow map\b.*end with a \}/, text: "did not find expected ',' or '}'", parser: true },
  {
    match: /^Nested mappings are not allowed in compact mappings/,
    text: 'mapping values are not allowed in this context',
    parser: false,
  },
  {
    match: /^All mapping items must start at the same column/,
    text: 'did not find expected key',
    parser: true,
  },
  {
    match: /^A block sequence may not be used as an implicit map key/,
    text: 'did not find expected key',
    parser: true,
  },
]

/** go-yaml's text for the `yaml` package's first error in a document. */
export function goYamlSyntaxError(error: YAMLError, _text: string): string {
  const line = error.linePos?.[0].line
  const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
  const mapped = MAPPINGS.find((m) => m.match.test(message))
  if (mapped === undefined) return `yaml: ${line === undefined ? '' : `line ${line}: `}${message}`
  const shown = line === undefined ? undefined : mapped.parser ? line - 1 : line
  return `yaml: ${shown === undefined || shown === 0 ? '' : `line ${shown}: `}${mapped.text}`
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
): string | undefined {
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
    return `yaml: line ${lineCounter.linePos(tab).line}: found character that cannot start any token`
  }
  return undefined
}
