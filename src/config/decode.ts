/**
 * Decodes an AuthenticationConfiguration file the way kube-apiserver's strict
 * universal decoder does (pkg/kubeapiserver/options/authentication.go
 * loadAuthenticationConfigFromData, apimachinery serializer/json): YAML or JSON,
 * apiVersion/kind read first, then a case-sensitive strict decode in which
 * unknown and duplicate fields are errors and a wrong JSON type stops decoding.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml'
import type { Document, Node as YamlNode } from 'yaml'
import { goQuote } from '../go/quote.js'
import { SUPPORTED_API_VERSIONS } from './types.js'
import type { AuthenticationConfiguration } from './types.js'

export type DecodeResult =
  { ok: true; config: AuthenticationConfiguration } | { ok: false; errors: readonly string[] }

/** What {@link decodeDocument} answers: the strictly decoded object, or every decoding error. */
export type DocumentDecodeResult =
  | { ok: true; value: Record<string, unknown>; apiVersion: string }
  | { ok: false; errors: readonly string[] }

/**
 * Bound on alias expansions while building the document: a few aliases are
 * legitimate YAML, thousands are a "billion laughs" attack.
 */
export const MAX_YAML_ALIASES = 100

/**
 * The Go type a field decodes into: its JSON kind and the Go type name used in
 * type errors (`%` stands for the version package, e.g. `v1`).
 */
export type Shape =
  | { t: 'string'; go: string }
  | { t: 'bool' }
  | { t: 'list'; go: string; elem: Shape }
  | { t: 'struct'; name: string; fields: Readonly<Record<string, Shape>> }

/** A versioned document kind: the accepted `apiVersion`s, its `kind` and the shape of the whole object. */
export interface DocumentSchema {
  readonly kind: string
  readonly apiVersions: readonly string[]
  /** Must list `apiVersion` and `kind` among its fields. */
  readonly shape: Shape
}

export const str: Shape = { t: 'string', go: 'string' }
export const struct = (name: string, fields: Record<string, Shape>): Shape => ({
  t: 'struct',
  name,
  fields,
})
export const list = (elem: Shape, go: string): Shape => ({ t: 'list', go, elem })

// pkg/apis/apiserver/v1/types.go (identical in v1beta1 and v1alpha1); `%` stands for the version package.
const ISSUER = struct('Issuer', {
  url: str,
  discoveryURL: str,
  certificateAuthority: str,
  audiences: list(str, '[]string'),
  audienceMatchPolicy: { t: 'string', go: '%.AudienceMatchPolicyType' },
  egressSelectorType: { t: 'string', go: '%.EgressSelectorType' },
})
const PREFIXED = struct('PrefixedClaimOrExpression', { claim: str, prefix: str, expression: str })
const JWT_AUTHENTICATOR = struct('JWTAuthenticator', {
  issuer: ISSUER,
  claimValidationRules: list(
    struct('ClaimValidationRule', {
      claim: str,
      requiredValue: str,
      expression: str,
      message: str,
    }),
    '[]%.ClaimValidationRule',
  ),
  claimMappings: struct('ClaimMappings', {
    username: PREFIXED,
    groups: PREFIXED,
    uid: struct('ClaimOrExpression', { claim: str, expression: str }),
    extra: list(struct('ExtraMapping', { key: str, valueExpression: str }), '[]%.ExtraMapping'),
  }),
  userValidationRules: list(
    struct('UserValidationRule', { expression: str, message: str }),
    '[]%.UserValidationRule',
  ),
})
const AUTHENTICATION_CONFIGURATION = struct('AuthenticationConfiguration', {
  apiVersion: str,
  kind: str,
  jwt: list(JWT_AUTHENTICATOR, '[]%.JWTAuthenticator'),
  anonymous: struct('AnonymousAuthConfig', {
    enabled: { t: 'bool' },
    conditions: list(struct('AnonymousAuthCondition', { path: str }), '[]%.AnonymousAuthCondition'),
  }),
})

const AUTHENTICATION_CONFIGURATION_SCHEMA: DocumentSchema = {
  kind: 'AuthenticationConfiguration',
  apiVersions: SUPPORTED_API_VERSIONS,
  shape: AUTHENTICATION_CONFIGURATION,
}

/** Decodes one AuthenticationConfiguration document (YAML or JSON text). */
export function decodeAuthenticationConfiguration(text: string): DecodeResult {
  const decoded = decodeDocument(text, AUTHENTICATION_CONFIGURATION_SCHEMA)
  if (!decoded.ok) return decoded
  return { ok: true, config: decoded.value as unknown as AuthenticationConfiguration }
}

/**
 * Decodes one document of `schema` (YAML or JSON text) with the same
 * strictness as the AuthenticationConfiguration: one document, a bounded
 * number of aliases, `apiVersion`/`kind` checked first, unknown and duplicate
 * fields refused with their paths, a wrong JSON type refused with its Go type.
 */
export function decodeDocument(text: string, schema: DocumentSchema): DocumentDecodeResult {
  if (text.length === 0) return fail('empty config data')
  // The JSON serializer claims data whose first non-space byte is `{`; everything else is YAML.
  const isJSON = /^\s*\{/.test(text)
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    lineCounter,
    // go-yaml v2 (behind sigs.k8s.io/yaml) keeps timestamps and sexagesimal numbers as strings.
    customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || !isGoYamlString(tag)),
  })
  if (docs.length > 1) {
    return fail(
      `yaml: the file holds ${docs.length} documents; ${/^[AEIOU]/.test(schema.kind) ? 'an' : 'a'} ${schema.kind} file must hold exactly one`,
    )
  }
  const doc = docs[0]
  let data: unknown = null
  if (doc !== undefined) {
    const syntax = doc.errors[0]
    if (syntax !== undefined) {
      const line = syntax.linePos?.[0].line
      const message = (syntax.message.split('\n')[0] ?? '').replace(
        / at line \d+, column \d+:?$/,
        '',
      )
      return fail(
        `error converting YAML to JSON: yaml: ${line === undefined ? '' : `line ${line}: `}${message}`,
      )
    }
    try {
      data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      // go-yaml's wording for the same guard.
      const shown = message.startsWith('Excessive alias count')
        ? 'document contains excessive aliasing'
        : message
      return fail(`error converting YAML to JSON: yaml: ${shown}`)
    }
  }

  const gvk = interpretKind(data, text, schema)
  if (!gvk.ok) return gvk
  const version = gvk.apiVersion
  const obj = data as Record<string, unknown>

  const strictErrors: string[] = isJSON ? [] : yamlDuplicateKeys(doc, lineCounter)
  const decoder = new StrictDecoder(version.slice(version.lastIndexOf('/') + 1), !isJSON)
  if (isJSON && doc !== undefined) strictErrors.push(...jsonDuplicateFields(doc))
  const value = decoder.decode(obj, schema.shape)
  if (decoder.typeError !== undefined) return fail(decoder.typeError)
  strictErrors.push(...decoder.unknownFields)
  if (strictErrors.length > 0)
    return { ok: false, errors: strictErrors.map((e) => `strict decoding error: ${e}`) }
  return { ok: true, value: value as Record<string, unknown>, apiVersion: version }
}

/**
 * {@link decodeDocument}'s answer for JSON text, without the YAML parser:
 * `JSON.parse`, a scan for duplicate fields, the same kind check and strict
 * decoding, in a small fraction of the time (large generated documents).
 * Answers `undefined` unless the text is JSON that decodes without any error;
 * the caller then runs {@link decodeDocument}, so errors read the same either way.
 */
export function decodeValidJsonDocument(
  text: string,
  schema: DocumentSchema,
): Extract<DocumentDecodeResult, { ok: true }> | undefined {
  if (!/^\s*\{/.test(text)) return undefined
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  if (hasDuplicateJsonFields(text)) return undefined
  const gvk = interpretKind(data, text, schema)
  if (!gvk.ok) return undefined
  const version = gvk.apiVersion
  const decoder = new StrictDecoder(version.slice(version.lastIndexOf('/') + 1), false)
  const value = decoder.decode(data, schema.shape)
  if (decoder.typeError !== undefined || decoder.unknownFields.length > 0) return undefined
  return { ok: true, value: value as Record<string, unknown>, apiVersion: version }
}

/** Whether an object in valid JSON text repeats a member name. */
function hasDuplicateJsonFields(text: string): boolean {
  // One entry per open object (its member names) or array (null).
  const open: (Set<string> | null)[] = []
  let expectName = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      let end = i + 1
      let escaped = false
      for (;;) {
        const d = text.charCodeAt(end)
        if (d === 0x5c) {
          escaped = true
          end += 2
        } else if (d === 0x22) break
        else end++
      }
      const names = open[open.length - 1]
      if (expectName && names) {
        const name = escaped
          ? (JSON.parse(text.slice(i, end + 1)) as string)
          : text.slice(i + 1, end)
        if (names.has(name)) return true
        names.add(name)
        expectName = false
      }
      i = end
    } else if (c === 0x7b) {
      open.push(new Set())
      expectName = true
    } else if (c === 0x5b) {
      open.push(null)
      expectName = false
    } else if (c === 0x7d || c === 0x5d) {
      open.pop()
      expectName = false
    } else if (c === 0x2c) {
      expectName = open[open.length - 1] != null
    } else if (c === 0x3a) {
      expectName = false
    }
  }
  return false
}

function isGoYamlString(tag: { tag: string; format?: string }): boolean {
  return tag.format === 'TIME' || tag.tag === 'tag:yaml.org,2002:timestamp'
}

function fail(message: string): { ok: false; errors: readonly string[] } {
  return { ok: false, errors: [message] }
}

/** apimachinery json.SimpleMetaFactory.Interpret, then the scheme lookup. */
function interpretKind(
  data: unknown,
  text: string,
  schema: DocumentSchema,
): { ok: true; apiVersion: string } | { ok: false; errors: readonly string[] } {
  const findKind =
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    return fail(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(data)} into Go value of type ${findKind}`,
    )
  }
  const obj = (data ?? {}) as Record<string, unknown>
  for (const field of ['apiVersion', 'kind']) {
    const value = obj[field]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return fail(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go struct field .${field} of type string`,
      )
    }
  }
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : ''
  const kind = typeof obj.kind === 'string' ? obj.kind : ''
  if (apiVersion.split('/').length > 2) return fail(`unexpected GroupVersion string: ${apiVersion}`)
  if (kind === '') return fail(`Object 'Kind' is missing in '${summarize(data, text)}'`)
  if (apiVersion === '' || apiVersion.endsWith('/'))
    return fail(`Object 'apiVersion' is missing in '${summarize(data, text)}'`)
  if (kind !== schema.kind || !schema.apiVersions.includes(apiVersion)) {
    return fail(
      `no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme "kube-oidc-webhook" ` +
        `(expected kind ${schema.kind} with apiVersion ${schema.apiVersions.join(', ')})`,
    )
  }
  return { ok: true, apiVersion }
}

// Go prints the whole input here; one line, bounded, is kinder to a terminal.
function summarize(data: unknown, text: string): string {
  const s = data === null ? text.trim() : JSON.stringify(data)
  return s.length > 200 ? `${s.slice(0, 200)}...` : s
}

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number' || typeof value === 'bigint') return 'number'
  if (typeof value === 'boolean') return 'bool'
  if (Array.isArray(value)) return 'array'
  return 'object'
}

/** Walks a JS value against the Go types, as sigs.k8s.io/json UnmarshalStrict does. */
class StrictDecoder {
  typeError: string | undefined
  readonly unknownFields: string[] = []
  private readonly fieldStack: string[] = []
  private structName = ''

  constructor(
    private readonly versionPackage: string,
    /** YAML went through Go maps, so its keys reach the JSON decoder sorted. */
    private readonly sortKeys: boolean,
  ) {}

  decode(value: unknown, shape: Shape, path = ''): unknown {
    if (value === null || value === undefined) return undefined
    switch (shape.t) {
      case 'string':
        if (typeof value === 'string') return value
        return this.mismatch(value, shape.go)
      case 'bool':
        if (typeof value === 'boolean') return value
        return this.mismatch(value, 'bool')
      case 'list': {
        if (!Array.isArray(value)) return this.mismatch(value, shape.go)
        // A null element decodes to the element's zero value.
        return value.map(
          (item, i) => this.decode(item, shape.elem, `${path}[${i}]`) ?? zero(shape.elem),
        )
      }
      case 'struct': {
        if (typeof value !== 'object' || Array.isArray(value))
          return this.mismatch(value, `%.${shape.name}`)
        const outerStruct = this.structName
        this.structName = shape.name
        const out: Record<string, unknown> = {}
        const keys = Object.keys(value)
        if (this.sortKeys) keys.sort(compareBytes)
        for (const key of keys) {
          const fieldShape = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined
          const fieldPath = path === '' ? key : `${path}.${key}`
          if (fieldShape === undefined) {
            this.unknownFields.push(`unknown field ${goQuote(fieldPath)}`)
            continue
          }
          this.fieldStack.push(key)
          const decoded = this.decode(
            (value as Record<string, unknown>)[key],
            fieldShape,
            fieldPath,
          )
          this.fieldStack.pop()
          if (decoded !== undefined) out[key] = decoded
        }
        this.structName = outerStruct
        return out
      }
    }
  }

  private mismatch(value: unknown, goType: string): undefined {
    this.typeError ??=
      `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${this.structName}.${this.fieldStack.join('.')} ` +
      `of type ${goType.replace('%', this.versionPackage)}`
    return undefined
  }
}

function zero(shape: Shape): unknown {
  if (shape.t === 'string') return ''
  if (shape.t === 'struct') return {}
  return undefined
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** go-yaml v2 strict mode (YAMLToJSONStrict): `line N: key "x" already set in map`. */
function yamlDuplicateKeys(doc: Document | undefined, lineCounter: LineCounter): string[] {
  const errors: string[] = []
  walkMaps(doc?.contents ?? null, '', (key, keyNode) => {
    const line = keyNode.range ? lineCounter.linePos(keyNode.range[0]).line : 0
    const shown = typeof key === 'string' ? goQuote(key) : key === null ? '<nil>' : String(key)
    errors.push(
      `error converting YAML to JSON: yaml: unmarshal errors: line ${line}: key ${shown} already set in map`,
    )
  })
  return errors
}

/** sigs.k8s.io/json strict mode on JSON input: `duplicate field "jwt[0].issuer.url"`. */
function jsonDuplicateFields(doc: Document): string[] {
  const errors: string[] = []
  walkMaps(doc.contents, '', (_key, _node, path) => errors.push(`duplicate field ${goQuote(path)}`))
  return errors
}

function walkMaps(
  node: YamlNode | null,
  path: string,
  onDuplicate: (key: unknown, keyNode: YamlNode, path: string) => void,
): void {
  if (node === null || isAlias(node)) return
  if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && 'range' in item)
        walkMaps(item as YamlNode, `${path}[${i}]`, onDuplicate)
    })
    return
  }
  if (!isMap(node)) return
  const seen = new Set<string>()
  for (const pair of node.items) {
    if (!isPair(pair)) continue
    const keyNode = pair.key as YamlNode | null
    const key = isScalar(keyNode) ? keyNode.value : undefined
    const childPath = path === '' ? String(key) : `${path}.${String(key)}`
    if (isScalar(keyNode) && key !== '<<') {
      const id = String(key)
      if (seen.has(id)) onDuplicate(key, keyNode, childPath)
      seen.add(id)
    }
    walkMaps((pair.value as YamlNode | null) ?? null, childPath, onDuplicate)
  }
}
