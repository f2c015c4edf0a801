/**
 * The string checks behind the Kubernetes format library, with apimachinery's messages:
 * k8s.io/apimachinery pkg/api/validation (NameIsDNSLabel and friends, with their
 * `prefix` masking), pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain,
 * IsDNS1035Label: lengths in "characters"), pkg/api/validate/content (IsLabelKey,
 * IsLabelValue: lengths in "bytes"), and kube-openapi's strfmt checks for uuid, byte,
 * date and datetime. Lengths are Go's `len`, a UTF-8 byte count.
 */
import { parseGoRequestURI } from '../../go/url.js'

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

const maxLenCharacters = (n: number): string => `must be no more than ${n} characters`
const maxLenBytes = (n: number): string => `must be no more than ${n} bytes`

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const LABEL_KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`)
const DNS1123_LABEL = whole(DNS1123_LABEL_FMT)
const DNS1123_SUBDOMAIN = whole(DNS1123_SUBDOMAIN_FMT)
const DNS1035_LABEL = whole(DNS1035_LABEL_FMT)
const LABEL_KEY = whole(LABEL_KEY_FMT)
const LABEL_VALUE = whole(LABEL_VALUE_FMT)

/** pkg/util/validation IsDNS1123Label. */
function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > 63) errs.push(maxLenCharacters(63))
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'))
  }
  return errs
}

/** pkg/util/validation IsDNS1123Subdomain (`bytes` when called from content, below). */
function isDNS1123Subdomain(value: string, maxLen = maxLenCharacters): string[] {
  const errs: string[] = []
  if (byteLength(value) > 253) errs.push(maxLen(253))
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

/** pkg/util/validation IsDNS1035Label. */
function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > 63) errs.push(maxLenCharacters(63))
  if (!DNS1035_LABEL.test(value))
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))
  return errs
}

/** pkg/api/validate/content IsLabelKey (util/validation's IsQualifiedName). */
function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) name = parts[0] ?? ''
  else if (parts.length === 2) {
    const prefix = parts[0] ?? ''
    name = parts[1] ?? ''
    if (prefix === '') errs.push('prefix part must be non-empty')
    else errs.push(...isDNS1123Subdomain(prefix, maxLenBytes).map((msg) => `prefix part ${msg}`))
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]
  }
  if (name === '') errs.push('name part must be non-empty')
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenBytes(63)}`)
  if (!LABEL_KEY.test(name))
    errs.push(
      `name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`,
    )
  return errs
}

/** pkg/api/validate/content IsLabelValue. */
function isLabelValue(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > 63) errs.push(maxLenBytes(63))
  if (!LABEL_VALUE.test(value))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errs
}

/**
 * pkg/api/validation maskTrailingDash, for the `*Prefix` formats: a trailing `-` and the
 * byte before it become `a` (`name[:len(name)-2] + "a"`), so a generated-name prefix
 * passes the label check.
 */
function maskTrailingDash(name: string): string {
  if (byteLength(name) <= 1 || !name.endsWith('-')) return name
  const chars = [...name.slice(0, -1)]
  const cut = chars.pop() ?? ''
  // Cutting one byte off a multi-byte character leaves its other bytes, which no
  // pattern accepts: NUL characters stand in for them, one byte each.
  return `${chars.join('')}${'\0'.repeat(Math.max(byteLength(cut) - 1, 0))}a`
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/
// strfmt DateTimePattern; Go's `.` is any character but `\n`.
const DATE_TIME_TIME =
  /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/u

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** strfmt IsDate: Go's time.Parse("2006-01-02", s), which also checks the day of the month. */
function isDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s)
  if (m === null) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year)
}

/**
 * strfmt IsDateTime: lower-cases, splits on every `t`, and checks only the first two
 * pieces (a date, then a time with a zone), so text after a second `t` is ignored.
 */
function isDateTime(str: string): boolean {
  if (byteLength(str) < 4) return false
  const s = str.toLowerCase().split('t')
  if (s.length < 2 || !isDate(s[0] ?? '')) return false
  const m = DATE_TIME_TIME.exec(s[1] ?? '')
  if (m === null) return false
  return (m[1] ?? '') <= '23' && (m[2] ?? '') <= '59' && (m[3] ?? '') <= '59'
}

const failIf = (ok: boolean, message: string): string[] => (ok ? [] : [message])

/** A named format: its validation and the regex size upstream uses for its cost. */
export interface NamedFormat {
  /** The Go `Format.Name` (equality compares it). */
  readonly name: string
  readonly validate: (s: string) => string[]
  readonly maxRegexSize: number
}

/** format.go ConstantFormats, keyed by the CEL name (`format.<key>()`, `format.named("<key>")`). */
export const NAMED_FORMATS: ReadonlyMap<string, NamedFormat> = new Map<string, NamedFormat>([
  ['dns1123Label', { name: 'DNS1123Label', validate: isDNS1123Label, maxRegexSize: 30 }],
  [
    'dns1123Subdomain',
    { name: 'DNS1123Subdomain', validate: (s) => isDNS1123Subdomain(s), maxRegexSize: 60 },
  ],
  ['dns1035Label', { name: 'DNS1035Label', validate: isDNS1035Label, maxRegexSize: 30 }],
  ['qualifiedName', { name: 'QualifiedName', validate: isQualifiedName, maxRegexSize: 60 }],
  [
    'dns1123LabelPrefix',
    {
      name: 'DNS1123LabelPrefix',
      validate: (s) => isDNS1123Label(maskTrailingDash(s)),
      maxRegexSize: 30,
    },
  ],
  [
    'dns1123SubdomainPrefix',
    {
      name: 'DNS1123SubdomainPrefix',
      validate: (s) => isDNS1123Subdomain(maskTrailingDash(s)),
      maxRegexSize: 60,
    },
  ],
  [
    'dns1035LabelPrefix',
    {
      name: 'DNS1035LabelPrefix',
      validate: (s) => isDNS1035Label(maskTrailingDash(s)),
      maxRegexSize: 30,
    },
  ],
  ['labelValue', { name: 'LabelValue', validate: isLabelValue, maxRegexSize: 40 }],
  [
    'uri',
    {
      name: 'URI',
      validate: (s) => {
        const parsed = parseGoRequestURI(s)
        return parsed.ok ? [] : [parsed.error]
      },
      // govalidator's URL regex length, upstream's estimate (ParseRequestURI has no regex).
      maxRegexSize: 1103,
    },
  ],
  [
    'uuid',
    {
      name: 'uuid',
      validate: (s) => failIf(UUID.test(s), 'does not match the UUID format'),
      maxRegexSize: 70, // len(strfmt.UUIDPattern)
    },
  ],
  [
    'byte',
    {
      name: 'byte',
      validate: (s) => failIf(BASE64.test(s), 'invalid base64'),
      maxRegexSize: 84,
    },
  ],
  [
    'date',
    {
      name: 'date',
      validate: (s) => failIf(isDate(s), 'invalid date'),
      maxRegexSize: 71, // len(strfmt.DateTimePattern)
    },
  ],
  [
    'datetime',
    {
      name: 'datetime',
      validate: (s) => failIf(isDateTime(s), 'invalid datetime'),
      maxRegexSize: 71,
    },
  ],
])
