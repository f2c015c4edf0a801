/**
 * The Kubernetes format library against kube-apiserver's tables, transcribed from
 * k8s.io/apiserver pkg/cel/library/format_test.go (TestFormat, including its generated
 * lookups and comparisons of every named format) and cost_test.go (TestNameFormatCost) at
 * v0.37.0-beta.0 (c19df515293e, Kubernetes 1.37.0-beta.0; unchanged on master). Messages
 * come from k8s.io/apimachinery v0.37.0-beta.0 and kube-openapi's strfmt.
 */
import { describe, expect, it } from '@jest/globals'
import { NAMED_FORMATS } from '../../src/cel/library/format-validators.js'
import { run, runWithCost } from './cel-library-run.js'

const none = 'optional.none'
const errors = (...messages: string[]): unknown => ({ optionalOf: messages })

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

const formatTest: Array<[string, string, unknown]> = [
  ['example_usage_dns1123Label', 'format.dns1123Label().validate("my-label-name")', none],
  [
    'example_usage_dns1123Subdomain',
    'format.dns1123Subdomain().validate("apiextensions.k8s.io")',
    none,
  ],
  [
    'example_usage_qualifiedName',
    'format.qualifiedName().validate("apiextensions.k8s.io/v1beta1")',
    none,
  ],
  [
    'example_usage_dns1123LabelPrefix',
    'format.dns1123LabelPrefix().validate("my-label-prefix-")',
    none,
  ],
  [
    'example_usage_dns1123SubdomainPrefix',
    'format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-")',
    none,
  ],
  [
    'example_usage_dns1035LabelPrefix',
    'format.dns1035LabelPrefix().validate("my-label-prefix-")',
    none,
  ],
  ['example_usage_uri', 'format.uri().validate("http://example.com")', none],
  ['example_usage_uuid', 'format.uuid().validate("123e4567-e89b-12d3-a456-426614174000")', none],
  ['example_usage_byte', 'format.byte().validate("aGVsbG8=")', none],
  ['example_usage_date', 'format.date().validate("2021-01-01")', none],
  ['example_usage_datetime', 'format.datetime().validate("2021-01-01T00:00:00Z")', none],
  ['dns1123Label', 'format.dns1123Label().validate("contains a space")', errors(LABEL)],
  ['dns1123Subdomain', 'format.dns1123Subdomain().validate("contains a space")', errors(SUBDOMAIN)],
  ['dns1035Label', 'format.dns1035Label().validate("contains a space")', errors(DNS1035)],
  ['qualifiedName', 'format.qualifiedName().validate("contains a space")', errors(NAME_PART)],
  [
    'dns1123LabelPrefix',
    'format.dns1123LabelPrefix().validate("contains a space-")',
    errors(LABEL),
  ],
  [
    'dns1123SubdomainPrefix',
    'format.dns1123SubdomainPrefix().validate("contains a space-")',
    errors(SUBDOMAIN),
  ],
  [
    'dns1035LabelPrefix',
    'format.dns1035LabelPrefix().validate("contains a space-")',
    errors(DNS1035),
  ],
  ['dns1123Label_Success', 'format.dns1123Label().validate("my-label-name")', none],
  ['dns1123Subdomain_Success', 'format.dns1123Subdomain().validate("example.com")', none],
  ['dns1035Label_Success', 'format.dns1035Label().validate("my-label-name")', none],
  ['qualifiedName_Success', 'format.qualifiedName().validate("my.name")', none],
  ['byte_success', 'format.byte().validate("aGVsbG8=")', none],
  ['byte_failure', 'format.byte().validate("aGVsbG8")', errors('invalid base64')],
  ['date_success', 'format.date().validate("2020-01-01")', none],
  ['date_failure', 'format.date().validate("2020-01-32")', errors('invalid date')],
  ['datetime_success', 'format.datetime().validate("2020-01-01T00:00:00Z")', none],
  [
    'datetime_failure',
    'format.datetime().validate("2020-01-32T00:00:00Z")',
    errors('invalid datetime'),
  ],
  ['unknown_format', 'format.named("unknown").hasValue()', false],
  ['labelValue_success', 'format.labelValue().validate("my-cool-label-Value")', none],
  [
    'labelValue_failure',
    'format.labelValue().validate("my-cool-label-Value!!\\n\\n!!!")',
    errors(LABEL_VALUE),
  ],
]

describe('format_test.go TestFormat', () => {
  it.each(formatTest)('%s: %s', (_name, expr, value) => {
    expect(run(expr)).toEqual({ value })
  })

  const names = [...NAMED_FORMATS.keys()]
  it('has the thirteen named formats of format.go ConstantFormats', () => {
    expect(names.sort()).toEqual(
      [
        'byte',
        'date',
        'datetime',
        'dns1035Label',
        'dns1035LabelPrefix',
        'dns1123Label',
        'dns1123LabelPrefix',
        'dns1123Subdomain',
        'dns1123SubdomainPrefix',
        'labelValue',
        'qualifiedName',
        'uri',
        'uuid',
      ].sort(),
    )
    // TestSizeLimit: every name fits cel.MaxFormatSize (64).
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64)
  })

  it.each(names)('lookup and comparison: %s', (name) => {
    expect(run(`format.named("${name}").hasValue()`)).toEqual({ value: true })
    expect(run(`format.named("${name}").value() == format.${name}()`)).toEqual({ value: true })
  })

  it.each(names.flatMap((l) => names.filter((r) => r !== l).map((r) => [l, r])))(
    'compare_%s_%s',
    (l, r) => {
      expect(run(`format.${l}() == format.${r}()`)).toEqual({ value: false })
    },
  )
})

/** apimachinery's and strfmt's rules beyond upstream's table, as their code reads. */
describe('validation rules', () => {
  it.each<[string, unknown]>([
    ['format.dns1123Label().validate("a.b")', errors('must not contain dots')],
    [
      'format.dns1123Label().validate("' + 'a'.repeat(64) + '")',
      errors('must be no more than 63 characters'),
    ],
    [
      'format.labelValue().validate("' + 'a'.repeat(64) + '")',
      errors('must be no more than 63 bytes'),
    ],
    ['format.labelValue().validate("")', none],
    ['format.qualifiedName().validate("/a")', errors('prefix part must be non-empty')],
    ['format.qualifiedName().validate("a/")', errors('name part must be non-empty', NAME_PART)],
    [
      'format.qualifiedName().validate("a/b/c")',
      errors(
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ),
    ],
    ['format.qualifiedName().validate("Example.com/x")', errors(`prefix part ${SUBDOMAIN}`)],
    // maskTrailingDash replaces the dash and the character before it.
    ['format.dns1123LabelPrefix().validate("a.-")', none],
    ['format.dns1123LabelPrefix().validate("-")', errors(LABEL)],
    ['format.uri().validate("/relative/path")', none],
    ['format.uri().validate("relative")', errors('parse "relative": invalid URI for request')],
    ['format.uri().validate("")', errors('parse "": empty url')],
    ['format.uri().validate("http://[::1")', errors('parse "http://[::1": missing \']\' in host')],
    ['format.uuid().validate("123E4567E89B12D3A456426614174000")', none],
    ['format.uuid().validate("123e4567")', errors('does not match the UUID format')],
    ['format.byte().validate("")', errors('invalid base64')],
    ['format.date().validate("2024-02-29")', none],
    ['format.date().validate("2023-02-29")', errors('invalid date')],
    ['format.date().validate("2020-1-01")', errors('invalid date')],
    ['format.datetime().validate("2020-01-01T23:59:59.123+01:00")', none],
    ['format.datetime().validate("2020-01-01t24:00:00z")', errors('invalid datetime')],
    // IsDateTime checks only the text between the first two `t`s after the date.
    ['format.datetime().validate("2020-01-01T00:00:00ZTanything")', none],
  ])('%s', (expr, value) => {
    expect(run(expr)).toEqual({ value })
  })

  it('an unknown member is a compile error', () => {
    expect(run('format.nope()').compileError).toMatch(/^ERROR: <input>:1:/)
  })
})

describe('cost_test.go TestNameFormatCost (runtime cost)', () => {
  it.each([
    ['format.named("dns1123subdomain")', 1],
    ['format.named("dns1123Subdomain").value().validate("my-name")', 17],
    ['format.named("dns1123Label").value().validate("my-name")', 10],
    ['format.named("dns1123Label").value() == format.named("dns1123Label").value()', 5],
  ])('%s costs %d', (expr, cost) => {
    expect(runWithCost(expr).cost).toBe(cost)
  })
})
