/**
 * Decodes an AuthenticationConfiguration file the way kube-apiserver's strict
 * universal decoder does (pkg/kubeapiserver/options/authentication.go
 * loadAuthenticationConfigFromData, apimachinery serializer/json): data whose
 * first non-space character is `{` is JSON, anything else YAML converted to
 * JSON; apiVersion/kind read first, then a case-sensitive strict decode in
 * which unknown and duplicate fields are errors, reported together on one
 * line, and a wrong JSON type stops decoding.
 */
import { arrayElements, goFoldKey, objectMembers } from '../go/json-members.js'
import { goQuote } from '../go/quote.js'
import { goDecodeUtf8 } from '../go/utf8.js'
import { goJsonSyntaxError } from './go-json-syntax.js'
import { compareBytes, countYamlDocuments, goYamlToJson } from './go-yaml.js'
import { AUTHENTICATION_SCHEME } from './scheme.js'
import { list, str, struct, type Shape } from './shape.js'
import { SUPPORTED_API_VERSIONS } from './types.js'
import type { AuthenticationConfiguration } from './types.js'

export { MAX_YAML_ALIASES } from './go-yaml.js'
export { list, str, struct, type Shape } from './shape.js'

export type DecodeResult =
  { ok: true; config: AuthenticationConfiguration } | { ok: false; errors: readonly string[] }

/** What {@link decodeDocument} answers: the strictly decoded object, or every decoding error. */
export type DocumentDecodeResult =
  | { ok: true; value: Record<string, unknown>; apiVersion: string }
  | { ok: false; errors: readonly string[] }

/** A versioned document kind: the accepted `apiVersion`s, its `kind` and the shape of the whole object. */
export interface DocumentSchema {
  readonly kind: string
  readonly apiVersions: readonly string[]
  /** Must list `apiVersion` and `kind` among its fields. */
  readonly shape: Shape
  /** Everything else the decoder's scheme knows, and how it words the rest. */
  readonly scheme: Scheme
  /** Refuse a YAML file holding more than one document (go-yaml reads the first only). */
  readonly oneDocument?: boolean
}

/** The other kinds a scheme decodes, and its wording for kinds it does not know. */
export interface Scheme {
  readonly otherKinds: readonly OtherKind[]
  notRegistered(kind: string, groupVersion: string): string
}

/**
 * A kind the scheme decodes that is not the one wanted: decoded as strictly,
 * then refused as `expected <Kind>, got <goType>`.
 */
export interface OtherKind {
  readonly kind: string
  readonly apiVersions: readonly string[]
  /** `%T` of the decoded (internal) object, e.g. `*apiserver.AuthorizationConfiguration`. */
  readonly goType: string
  readonly shape: Shape
}

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
  scheme: AUTHENTICATION_SCHEME,
}

/** Decodes one AuthenticationConfiguration file (YAML or JSON; bytes, or their text). */
export function decodeAuthenticationConfiguration(data: string | Uint8Array): DecodeResult {
  const decoded = decodeDocument(data, AUTHENTICATION_CONFIGURATION_SCHEMA)
  if (!decoded.ok) return decoded
  return { ok: true, config: decoded.value as unknown as AuthenticationConfiguration }
}

/**
 * A JSON value with every object member kept in order, duplicates included,
 * as Go's decoder meets them.
 */
type Tree = null | string | number | boolean | Tree[] | Members
class Members {
  constructor(readonly entries: readonly (readonly [string, Tree])[]) {}
}

/**
 * Decodes one document of `schema`: JSON when the first non-space character
 * is `{`, YAML otherwise, then apiVersion/kind, then the strict decode. Every
 * error is one line of kube-apiserver's wording (a YAML duplicate-key report
 * spans several, as go-yaml prints it).
 */
export function decodeDocument(
  data: string | Uint8Array,
  schema: DocumentSchema,
): DocumentDecodeResult {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  if (bytes.length === 0) return fail('empty config data')
  const text = typeof data === 'string' ? data : goDecodeUtf8(bytes)
  let tree: Tree
  let yamlStrictError: string | undefined
  const isJSON = isJsonBuffer(text)
  if (isJSON) {
    const syntax = goJsonSyntaxError(bytes)
    if (syntax !== undefined) return fail(`couldn't get version/kind; json parse error: ${syntax}`)
    tree = jsonTree(text.trim())
  } else {
    if (schema.oneDocument === true) {
      const count = countYamlDocuments(text)
      if (count > 1) {
        const article = /^[AEIOU]/.test(schema.kind) ? 'an' : 'a'
        return fail(
          `yaml: the file holds ${count} documents; ${article} ${schema.kind} file must hold exactly one`,
        )
      }
    }
    const converted = goYamlToJson(bytes, text)
    if (!converted.ok) return fail(converted.error)
    tree = valueTree(converted.value)
    yamlStrictError = converted.strictError
  }
  return decodeTree(tree, text, schema, yamlStrictError)
}

/**
 * {@link decodeDocument}'s answer for JSON text, without the YAML parser or
 * Go's syntax scanner: `JSON.parse`, the kind check and strict decoding, in a
 * small fraction of the time (large generated documents). Answers `undefined`
 * unless the text is JSON that decodes without any error; the caller then runs
 * {@link decodeDocument}, so errors read the same either way.
 */
export function decodeValidJsonDocument(
  text: string,
  schema: DocumentSchema,
): Extract<DocumentDecodeResult, { ok: true }> | undefined {
  if (!isJsonBuffer(text)) return undefined
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  // JSON.parse keeps the last of repeated members; those need the full decoder's report.
  if (hasDuplicateJsonFields(text)) return undefined
  const decoded = decodeTree(valueTree(data, false), text, schema, undefined)
  return decoded.ok ? decoded : undefined
}

function decodeTree(
  tree: Tree,
  text: string,
  schema: DocumentSchema,
  yamlStrictError: string | undefined,
): DocumentDecodeResult {
  const gvk = interpretKind(tree, text, schema)
  if (!gvk.ok) return gvk
  const decoder = new StrictDecoder(gvk.apiVersion.slice(gvk.apiVersion.lastIndexOf('/') + 1))
  const value = decoder.decode(tree, gvk.shape)
  if (decoder.typeError !== undefined) return fail(decoder.typeError)
  const strict = [
    ...(yamlStrictError === undefined ? [] : [yamlStrictError]),
    ...decoder.strictErrors,
  ]
  if (strict.length > 0) return fail(`strict decoding error: ${strict.join(', ')}`)
  if (gvk.other !== undefined) return fail(`expected ${schema.kind}, got ${gvk.other.goType}`)
  return { ok: true, value: value as Record<string, unknown>, apiVersion: gvk.apiVersion }
}

// apimachinery utilyaml.IsJSONBuffer: `{` after unicode.IsSpace runes.
function isJsonBuffer(text: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\{/.test(text)
}

/** The tree of syntactically valid JSON text, every member kept. */
function jsonTree(raw: string): Tree {
  const first = raw.charCodeAt(0)
  if (first === 0x7b) {
    const members = objectMembers(raw) ?? []
    return new Members(members.map((m) => [m.key, jsonTree(m.raw.trim())] as const))
  }
  if (first === 0x5b) return (arrayElements(raw) ?? []).map((e) => jsonTree(e.trim()))
  return JSON.parse(raw) as Tree
}

/** The tree of a JavaScript value; YAML went through Go maps, whose keys JSON sorts. */
function valueTree(value: unknown, sortKeys = true): Tree {
  if (Array.isArray(value)) return value.map((v) => valueTree(v, sortKeys))
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    if (sortKeys) keys.sort(compareBytes)
    const record = value as Record<string, unknown>
    return new Members(keys.map((k) => [k, valueTree(record[k], sortKeys)] as const))
  }
  if (value === undefined) return null
  return value as Tree
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

function fail(message: string): { ok: false; errors: readonly string[] } {
  return { ok: false, errors: [message] }
}

const FIND_KIND =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'

type Interpreted =
  | { ok: true; apiVersion: string; shape: Shape; other?: OtherKind }
  | { ok: false; errors: readonly string[] }

/**
 * apimachinery json.SimpleMetaFactory.Interpret (encoding/json, so keys match
 * case-insensitively and the last match wins), schema.ParseGroupVersion, then
 * the scheme lookup.
 */
function interpretKind(tree: Tree, text: string, schema: DocumentSchema): Interpreted {
  if (tree !== null && !(tree instanceof Members)) {
    return fail(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(tree)} into Go value of type ${FIND_KIND}`,
    )
  }
  const found: Record<'apiVersion' | 'kind', string> = { apiVersion: '', kind: '' }
  let typeError: string | undefined
  for (const [key, value] of tree?.entries ?? []) {
    const folded = goFoldKey(key)
    const field = folded === 'apiversion' ? 'apiVersion' : folded === 'kind' ? 'kind' : undefined
    if (field === undefined || value === null) continue
    if (typeof value === 'string') found[field] = value
    else
      typeError ??= `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go struct field .${field} of type string`
  }
  if (typeError !== undefined) return fail(typeError)
  const { apiVersion, kind } = found
  let group = ''
  let version = ''
  if (apiVersion !== '' && apiVersion !== '/') {
    const parts = apiVersion.split('/')
    if (parts.length > 2) return fail(`unexpected GroupVersion string: ${apiVersion}`)
    ;[group, version] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['', apiVersion]
  }
  if (kind === '') return fail(`Object 'Kind' is missing in '${text}'`)
  if (version === '') return fail(`Object 'apiVersion' is missing in '${text}'`)
  const groupVersion = group === '' ? version : `${group}/${version}`
  if (kind === schema.kind && schema.apiVersions.includes(groupVersion))
    return { ok: true, apiVersion: groupVersion, shape: schema.shape }
  const other = schema.scheme.otherKinds.find(
    (o) => o.kind === kind && o.apiVersions.includes(groupVersion),
  )
  if (other !== undefined) return { ok: true, apiVersion: groupVersion, shape: other.shape, other }
  return fail(schema.scheme.notRegistered(kind, groupVersion))
}

function jsonKind(value: Tree): string {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'bool'
  if (Array.isArray(value)) return 'array'
  return 'object'
}

/** At most this many strict errors are kept (sigs.k8s.io/json saveStrictError). */
const MAX_STRICT_ERRORS = 100

/** Walks a tree against the Go types, as sigs.k8s.io/json UnmarshalStrict does. */
class StrictDecoder {
  typeError: string | undefined
  readonly strictErrors: string[] = []
  private readonly seenStrict = new Set<string>()
  private readonly fieldStack: string[] = []
  private structName = ''

  constructor(private readonly versionPackage: string) {}

  decode(value: Tree, shape: Shape, path = ''): unknown {
    if (value === null) return undefined
    switch (shape.t) {
      case 'any':
        return plain(value)
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
        if (!(value instanceof Members)) return this.mismatch(value, `%.${shape.name}`)
        const outerStruct = this.structName
        this.structName = shape.name
        const out: Record<string, unknown> = {}
        const seen = new Set<string>()
        for (const [key, member] of value.entries) {
          const fieldShape = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined
          const fieldPath = path === '' ? key : `${path}.${key}`
          if (fieldShape === undefined) {
            this.strict(`unknown field ${goQuote(fieldPath)}`)
            continue
          }
          if (seen.has(key)) this.strict(`duplicate field ${goQuote(fieldPath)}`)
          seen.add(key)
          this.fieldStack.push(key)
          const decoded = this.decode(member, fieldShape, fieldPath)
          this.fieldStack.pop()
          if (decoded !== undefined) out[key] = decoded
        }
        this.structName = outerStruct
        return out
      }
    }
  }

  private strict(error: string): void {
    if (this.strictErrors.length >= MAX_STRICT_ERRORS || this.seenStrict.has(error)) return
    this.seenStrict.add(error)
    this.strictErrors.push(error)
  }

  private mismatch(value: Tree, goType: string): undefined {
    this.typeError ??=
      `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${this.structName}.${this.fieldStack.join('.')} ` +
      `of type ${goType.replace('%', this.versionPackage)}`
    return undefined
  }
}

function plain(value: Tree): unknown {
  if (Array.isArray(value)) return value.map(plain)
  if (value instanceof Members)
    return Object.fromEntries(value.entries.map(([k, v]) => [k, plain(v)]))
  return value
}

function zero(shape: Shape): unknown {
  if (shape.t === 'string') return ''
  if (shape.t === 'struct') return {}
  return undefined
}
