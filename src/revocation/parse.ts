/**
 * Decoding and validating a RevocationList document (YAML or JSON):
 *
 *   apiVersion: kube-oidc-webhook/v1alpha1
 *   kind: RevocationList
 *   entries:
 *     - issuer: https://issuer.example.com
 *       subject: "248289761001"
 *       expiresAt: "2027-01-01T00:00:00Z"
 *
 * Decoding is the AuthenticationConfiguration's own strict decoder (one
 * document, unknown and duplicate fields refused, wrong types refused); every
 * validation error then names its field path, and all of them are reported.
 */
import { createHash } from 'node:crypto'
import {
  decodeDocument,
  decodeValidJsonDocument,
  list,
  str,
  struct,
  type DocumentSchema,
  type Shape,
} from '../config/decode.js'
import {
  FieldError,
  forbidden,
  invalid,
  required,
  tooLong,
  tooMany,
} from '../config/field-error.js'
import { goQuote } from '../go/quote.js'
import { parseRfc3339 } from '../go/rfc3339.js'
import { SELECTORS, type RevocationEntry, type Selector } from './revocation-entry.js'
import { RevocationList } from './revocation-list.js'

export const REVOCATION_API_VERSION = 'kube-oidc-webhook/v1alpha1'
export const REVOCATION_KIND = 'RevocationList'

/** Largest accepted file: about 10,000 entries of typical length. */
export const MAX_REVOCATION_BYTES = 2 * 1024 * 1024
/** Most entries in one list; keep it pruned with `expiresAt`. */
export const MAX_REVOCATION_ENTRIES = 10_000
/** Longest issuer, subject, tokenID, sessionID or username, in bytes. */
export const MAX_REVOCATION_VALUE_BYTES = 1024

const time: Shape = { t: 'string', go: 'string' }

const SCHEMA: DocumentSchema = {
  kind: REVOCATION_KIND,
  apiVersions: [REVOCATION_API_VERSION],
  // A list whose later documents were silently dropped would un-revoke their entries.
  oneDocument: true,
  scheme: {
    otherKinds: [],
    notRegistered: (kind, groupVersion) =>
      `no kind ${goQuote(kind)} is registered for version ${goQuote(groupVersion)} in scheme "kube-oidc-webhook" ` +
      `(expected kind ${REVOCATION_KIND} with apiVersion ${REVOCATION_API_VERSION})`,
  },
  shape: struct('RevocationList', {
    apiVersion: str,
    kind: str,
    entries: list(
      struct('RevocationEntry', {
        issuer: str,
        subject: str,
        tokenID: str,
        sessionID: str,
        username: str,
        issuedBefore: time,
        expiresAt: time,
      }),
      '[]%.RevocationEntry',
    ),
  }),
}

interface RawEntry {
  issuer?: string
  subject?: string
  tokenID?: string
  sessionID?: string
  username?: string
  issuedBefore?: string
  expiresAt?: string
}

export type RevocationListResult =
  { ok: true; list: RevocationList } | { ok: false; errors: readonly string[] }

const ONE_OF = 'subject, tokenID, sessionID, username or issuedBefore'

function checkValue(path: string, value: string, errors: FieldError[]): void {
  if (value === '') errors.push(invalid(path, value, 'must not be empty'))
  else if (Buffer.byteLength(value, 'utf8') > MAX_REVOCATION_VALUE_BYTES)
    errors.push(tooLong(path, MAX_REVOCATION_VALUE_BYTES))
}

function checkTime(path: string, value: string, errors: FieldError[]): number | undefined {
  const ms = parseRfc3339(value)
  if (ms === undefined) {
    errors.push(
      invalid(
        path,
        value.length > 64 ? `${value.slice(0, 64)}...` : value,
        'must be an RFC 3339 time such as "2026-12-03T10:00:00Z"',
      ),
    )
  }
  return ms
}

function checkIssuer(path: string, value: string | undefined, errors: FieldError[]): void {
  if (value === undefined || value === '') {
    errors.push(required(path, 'the jwt[].issuer.url of the issuer whose tokens are revoked'))
    return
  }
  checkValue(path, value, errors)
  if (!value.startsWith('https://'))
    errors.push(invalid(path, value, 'must be an https URL, as jwt[].issuer.url is'))
}

/** Validates one entry; `undefined` when it has errors (appended to `errors`). */
function validateEntry(
  raw: RawEntry,
  path: string,
  errors: FieldError[],
): RevocationEntry | undefined {
  const before = errors.length
  checkIssuer(`${path}.issuer`, raw.issuer, errors)
  const present = SELECTORS.filter((s) => raw[s] !== undefined)
  const [primary] = present
  if (primary === undefined) errors.push(required(path, `one of ${ONE_OF}`))
  for (const selector of present.slice(1)) {
    if (selector === 'issuedBefore' && primary === 'subject') continue
    errors.push(
      forbidden(
        `${path}.${selector}`,
        `may not be combined with ${primary}: an entry names one of ${ONE_OF}, and only subject may go with issuedBefore`,
      ),
    )
  }
  for (const selector of ['subject', 'tokenID', 'sessionID', 'username'] as const) {
    const value = raw[selector]
    if (value !== undefined) checkValue(`${path}.${selector}`, value, errors)
  }
  const issuedBefore =
    raw.issuedBefore === undefined
      ? undefined
      : checkTime(`${path}.issuedBefore`, raw.issuedBefore, errors)
  const expiresAt =
    raw.expiresAt === undefined ? undefined : checkTime(`${path}.expiresAt`, raw.expiresAt, errors)
  if (errors.length > before || raw.issuer === undefined) return undefined
  const entry: { -readonly [K in keyof RevocationEntry]: RevocationEntry[K] } = {
    path,
    issuer: raw.issuer,
  }
  for (const selector of [
    'subject',
    'tokenID',
    'sessionID',
    'username',
  ] as const satisfies Selector[]) {
    const value = raw[selector]
    if (value !== undefined) entry[selector] = value
  }
  if (issuedBefore !== undefined) entry.issuedBefore = issuedBefore
  if (expiresAt !== undefined) entry.expiresAt = expiresAt
  return entry
}

/** Decodes (UTF-8, strictly) and validates file content; never throws for bad content. */
export function parseRevocationList(bytes: Buffer): RevocationListResult {
  if (bytes.length > MAX_REVOCATION_BYTES) return tooLarge(bytes.length)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, errors: ['error converting YAML to JSON: yaml: invalid UTF-8 in data'] }
  }
  // Generated lists are usually JSON: decoded without the YAML parser when clean.
  const decoded = decodeValidJsonDocument(text, SCHEMA) ?? decodeDocument(text, SCHEMA)
  if (!decoded.ok) return decoded
  const raw = (decoded.value['entries'] ?? []) as RawEntry[]
  if (raw.length > MAX_REVOCATION_ENTRIES)
    return {
      ok: false,
      errors: [tooMany('entries', raw.length, MAX_REVOCATION_ENTRIES).toString()],
    }
  const errors: FieldError[] = []
  const entries: RevocationEntry[] = []
  raw.forEach((item, i) => {
    const entry = validateEntry(item, `entries[${i}]`, errors)
    if (entry !== undefined) entries.push(entry)
  })
  if (errors.length > 0) return { ok: false, errors: errors.map(String) }
  const hash = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
  return { ok: true, list: new RevocationList(entries, hash) }
}

/** {@link parseRevocationList} for text. */
export function parseRevocationListText(text: string): RevocationListResult {
  return parseRevocationList(Buffer.from(text, 'utf8'))
}

export function tooLarge(size: number): { ok: false; errors: readonly string[] } {
  return {
    ok: false,
    errors: [
      `revocation list is ${size} bytes, more than the ${MAX_REVOCATION_BYTES}-byte limit of this webhook`,
    ],
  }
}
