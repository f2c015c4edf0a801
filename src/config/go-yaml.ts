/**
 * YAML to a JSON-shaped value as sigs.k8s.io/yaml's YAMLToJSON does on top of
 * go-yaml v2, with go-yaml's error texts (`yaml: line 4: found character that
 * cannot start any token`, no `error converting YAML to JSON: ` prefix on this
 * path), plus the duplicate keys YAMLToJSONStrict reports as go-yaml's
 * two-line `yaml: unmarshal errors:`.
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parse,
  parseAllDocuments,
  visit,
} from 'yaml'
import type { Document, Node as YamlNode, ScalarTag } from 'yaml'
import { formatDouble } from '../go/format-double.js'
import { goQuote } from '../go/quote.js'
import { goYamlReaderError } from './go-yaml-reader.js'
import { goYamlSyntaxError, goYamlTabError } from './go-yaml-syntax.js'

/**
 * Bound on alias expansions while building the document: a few aliases are
 * legitimate YAML, thousands are a "billion laughs" attack.
 */
export const MAX_YAML_ALIASES = 100

export type GoYamlResult =
  | {
      ok: true
      value: unknown
      /** YAMLToJSONStrict's error (duplicate keys), reported with the strict decoding errors. */
      strictError: string | undefined
    }
  | { ok: false; error: string }

/** A `!!binary` scalar Go's base64 decoder refuses; go-yaml fails when it reaches it. */
class InvalidBinary {}

// go-yaml resolves !!binary to the decoded bytes as a Go string; JSON then
// carries them as text (invalid UTF-8 becomes U+FFFD).
const BINARY_AS_STRING: ScalarTag = {
  identify: () => false,
  default: false,
  tag: 'tag:yaml.org,2002:binary',
  resolve(src: string): unknown {
    const b64 = src.replace(/[\r\n]/g, '')
    if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return new InvalidBinary()
    return new TextDecoder('utf-8').decode(Buffer.from(b64, 'base64'))
  },
}

/** Converts one YAML file (its bytes and their UTF-8 text) as sigs.k8s.io/yaml does. */
export function goYamlToJson(bytes: Uint8Array, text: string): GoYamlResult {
  const readerError = goYamlReaderError(bytes)
  if (readerError !== undefined) return fail(readerError)
  const lineCounter = new LineCounter()
  // go-yaml reads the first document only; whatever follows is never looked at.
  const doc = parseAllDocuments(text, {
    version: '1.1',
    // Problems become errors below; nothing goes to the process's warnings.
    logLevel: 'silent',
    merge: true,
    uniqueKeys: false,
    lineCounter,
    customTags: (tags) => [
      ...tags.filter((tag) => typeof tag === 'string' || (!isGoYamlString(tag) && !isBinary(tag))),
      BINARY_AS_STRING,
    ],
  })[0] as Document | undefined
  if (doc === undefined) return { ok: true, value: null, strictError: undefined }
  // libyaml stops at the first tab in indentation, even where the `yaml` package reports another mistake first.
  const tab = goYamlTabError(doc, text, lineCounter)
  const syntax = doc.errors[0]
  if (tab !== undefined && (syntax?.linePos === undefined || tab.line <= syntax.linePos[0].line))
    return fail(tab.error)
  if (syntax !== undefined) return fail(goYamlSyntaxError(doc.errors, text))
  const directive = doc.warnings.find((w) => w.code === 'BAD_DIRECTIVE')
  if (directive !== undefined) return fail(goYamlSyntaxError([directive], text))
  const selfReference = selfReferencingAnchor(doc)
  if (selfReference !== undefined)
    return fail(`yaml: anchor '${selfReference}' value contains itself`)

  const decodeError = resolveScalars(doc)
  if (decodeError !== undefined) return fail(decodeError)
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(message)
    if (unresolved !== null) return fail(`yaml: unknown anchor '${unresolved[1]}' referenced`)
    return fail(
      message.startsWith('Excessive alias count')
        ? 'yaml: document contains excessive aliasing'
        : `yaml: ${message}`,
    )
  }
  const invalid = firstInvalidValue(doc.contents, value)
  if (invalid !== undefined) return fail(invalid)
  const duplicates = duplicateKeys(doc, lineCounter)
  return {
    ok: true,
    value,
    strictError:
      duplicates.length === 0 ? undefined : `yaml: unmarshal errors:\n  ${duplicates.join('\n  ')}`,
  }
}

/** How many documents a YAML text holds. */
export function countYamlDocuments(text: string): number {
  return parseAllDocuments(text, { version: '1.1' }).length
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error }
}

// go-yaml v2 keeps timestamps and sexagesimal numbers as strings.
function isGoYamlString(tag: { tag: string; format?: string }): boolean {
  return tag.format === 'TIME' || tag.tag === 'tag:yaml.org,2002:timestamp'
}

function isBinary(tag: { tag: string }): boolean {
  return tag.tag === 'tag:yaml.org,2002:binary'
}

/** The anchor of an alias used inside the node it names (go-yaml refuses it). */
function selfReferencingAnchor(doc: Document): string | undefined {
  let found: string | undefined
  const visit = (node: unknown, open: ReadonlySet<unknown>): void => {
    if (found !== undefined || node === null || typeof node !== 'object') return
    if (isAlias(node)) {
      const target = node.resolve(doc)
      if (target !== undefined && open.has(target)) found = node.source
      return
    }
    const inside = new Set(open).add(node)
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item, inside)
    else if (isPair(node)) {
      visit(node.key, inside)
      visit(node.value, inside)
    }
  }
  visit(doc.contents, new Set())
  return found
}

const CORE = 'tag:yaml.org,2002:'
const shortTag = (tag: string): string =>
  tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag

/**
 * go-yaml's decoding of scalars, in document order: a bad `!!binary` fails,
 * and an explicit `!!int`, `!!float` or `!!bool` must fit the value as go-yaml
 * resolves it (`!!float 5` is the number 5, `!!int x` fails). Values are set
 * on the nodes, so the JSON built next carries Go's.
 */
function resolveScalars(doc: Document): string | undefined {
  let error: string | undefined
  visit(doc, {
    Pair(_key, pair) {
      if (isMap(pair.key) || isSeq(pair.key)) {
        error = `yaml: invalid map key: ${goSharpV(pair.key.toJSON())}`
        return visit.BREAK
      }
      return undefined
    },
    Scalar(_key, node) {
      if (node.value instanceof InvalidBinary) {
        error = 'yaml: !!binary value contains invalid base64 data'
        return visit.BREAK
      }
      const tag = node.tag
      if (tag !== `${CORE}int` && tag !== `${CORE}float` && tag !== `${CORE}bool`) return undefined
      const raw = String(node.source ?? node.value)
      const resolved = implicitResolution(raw)
      const fits = resolved.tag === tag || (tag === `${CORE}float` && resolved.tag === `${CORE}int`)
      if (!fits) {
        error = `yaml: cannot decode ${shortTag(resolved.tag)} \`${raw}\` as a ${shortTag(tag)}`
        return visit.BREAK
      }
      node.value = resolved.value
      return undefined
    },
  })
  return error
}

/** Go's `%#v` of a value go-yaml decoded into interface{} (maps print with sorted keys). */
function goSharpV(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)'
  if (typeof value === 'string') return goQuote(value)
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : formatDouble(value)
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSharpV).join(', ')}}`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    compareBytes(a, b),
  )
  return `map[interface {}]interface {}{${entries.map(([k, v]) => `${goQuote(k)}:${goSharpV(v)}`).join(', ')}}`
}

const GO_YAML_INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)$/

/** The tag and value go-yaml gives a plain scalar (YAML 1.1 resolution). */
function implicitResolution(raw: string): { tag: string; value: unknown } {
  let value: unknown
  try {
    value = parse(raw, { version: '1.1', logLevel: 'silent' })
  } catch {
    return { tag: `${CORE}str`, value: raw }
  }
  if (typeof value === 'number')
    return { tag: GO_YAML_INT.test(raw) ? `${CORE}int` : `${CORE}float`, value }
  if (typeof value === 'boolean') return { tag: `${CORE}bool`, value }
  if (value === null) return { tag: `${CORE}null`, value }
  if (value instanceof Date) return { tag: `${CORE}timestamp`, value: raw }
  return { tag: `${CORE}str`, value: raw }
}

/**
 * What stops the conversion after decoding, in go-yaml's order: a null map
 * key, then a float JSON cannot carry (encoding/json marshals maps in sorted
 * key order).
 */
function firstInvalidValue(contents: unknown, value: unknown): string | undefined {
  return findInDocumentOrder(contents) ?? unsupportedFloat(value)
}

function findInDocumentOrder(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key
      const inValue = findInDocumentOrder(pair.value)
      if (inValue !== undefined) return inValue
      if (key === null || (isScalar(key) && key.value === null)) {
        return `unsupported map key of type: %!s(<nil>), key: <nil>, value: ${goValue(pair.value)}`
      }
    }
    return undefined
  }
  if (isSeq(node)) {
    for (const item of node.items) {
      const found = findInDocumentOrder(item)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** `%+#v` of a scalar map value, as the null-key error prints it. */
function goValue(node: unknown): string {
  if (!isScalar(node))
    return isSeq(node) ? '[]interface {}{...}' : 'map[interface {}]interface {}{...}'
  const v = node.value
  if (v === null || v === undefined) return 'interface {}(nil)'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatDouble(v)
  return String(v)
}

function unsupportedFloat(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'json: unsupported value: NaN'
    if (value === Infinity) return 'json: unsupported value: +Inf'
    if (value === -Infinity) return 'json: unsupported value: -Inf'
    return undefined
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unsupportedFloat(item)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record).sort(compareBytes)) {
      const found = unsupportedFloat(record[key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Orders strings by their UTF-8 bytes, as Go sorts map keys. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * go-yaml v2 strict mode: `line N: key "x" already set in map`, N being the
 * line of the repeated key's value; a value is decoded before its key is
 * checked, and keys brought in by a `<<` merge count as set.
 */
function duplicateKeys(doc: Document, lineCounter: LineCounter): string[] {
  const errors: string[] = []
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line
  const walk = (node: unknown, seen?: Map<string, true>): void => {
    if (node === null || typeof node !== 'object') return
    if (isAlias(node)) return
    if (isSeq(node)) {
      for (const item of node.items) walk(item)
      return
    }
    if (!isMap(node)) return
    const keys = seen ?? new Map<string, true>()
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null
      const valueNode = pair.value as YamlNode | null
      if (isScalar(keyNode) && keyNode.source === '<<') {
        mergeInto(valueNode, keys)
        continue
      }
      walk(valueNode)
      const key = isScalar(keyNode) ? keyNode.value : keyNode === null ? null : undefined
      if (key === undefined) continue
      const id = `${typeof key}:${String(key)}`
      if (keys.has(id)) {
        const at =
          isScalar(valueNode) && valueNode.source === '' ? undefined : valueNode?.range?.[0]
        const line = lineOf(at ?? keyNode?.range?.[0] ?? 0)
        errors.push(`line ${line}: key ${goKey(key)} already set in map`)
      } else keys.set(id, true)
    }
  }
  const mergeInto = (source: YamlNode | null, keys: Map<string, true>): void => {
    const target = isAlias(source) ? source.resolve(doc) : source
    if (isSeq(target)) {
      for (const item of target.items) mergeInto(item as YamlNode, keys)
      return
    }
    if (isMap(target)) walk(target, keys)
  }
  walk(doc.contents)
  return errors
}

/** `%#v` of a map key go-yaml decoded. */
function goKey(key: unknown): string {
  if (typeof key === 'string') return goQuote(key)
  if (key === null) return '<nil>'
  if (typeof key === 'number' && !Number.isInteger(key)) return formatDouble(key)
  return String(key)
}
