import { describe, expect, it } from '@jest/globals'
import { SERVE } from '../../../src/commands/definitions.js'
import { parseFlags, type FlagValues } from '../../../src/flags/flags.js'

const REQUIRED = [
  '--authentication-config',
  'a.yaml',
  '--tls-cert-file',
  'c.pem',
  '--tls-private-key-file',
  'k.pem',
]

function ok(argv: string[]): FlagValues {
  const parsed = parseFlags(SERVE, argv)
  if (parsed.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(parsed)}`)
  return parsed.values
}

describe('parseFlags (serve)', () => {
  it('applies the contract defaults', () => {
    const v = ok(REQUIRED)
    expect({
      bind: v.string('bind-address'),
      port: v.number('secure-port'),
      health: v.number('health-port'),
      level: v.string('log-level'),
      ttl: v.durationMs('cache-ttl'),
      max: v.number('cache-max-entries'),
      grace: v.durationMs('shutdown-grace'),
      clientCa: v.string('client-ca-file'),
      keyCache: v.string('key-cache-dir'),
    }).toEqual({
      bind: '0.0.0.0',
      port: 8443,
      health: 8080,
      level: 'info',
      ttl: 10_000,
      max: 100_000,
      grace: 15_000,
      clientCa: undefined,
      keyCache: undefined,
    })
  })

  it.each([
    { name: 'space form', argv: ['--cache-ttl', '1h30m'], want: 5_400_000 },
    { name: 'equals form', argv: ['--cache-ttl=500ms'], want: 500 },
    { name: 'zero turns it off', argv: ['--cache-ttl=0'], want: 0 },
    { name: 'last occurrence wins', argv: ['--cache-ttl=1s', '--cache-ttl', '2m'], want: 120_000 },
  ])('duration $name', ({ argv, want }) => {
    expect(ok([...REQUIRED, ...argv]).durationMs('cache-ttl')).toBe(want)
  })

  it('a value may contain "="', () => {
    expect(ok([...REQUIRED, '--key-cache-dir=/a=b']).string('key-cache-dir')).toBe('/a=b')
  })

  it.each([
    { name: '-h', argv: ['-h'] },
    { name: '--help among bad flags', argv: ['--nope', '--help'] },
  ])('help wins: $name', ({ argv }) => {
    expect(parseFlags(SERVE, argv)).toEqual({ kind: 'help' })
  })

  it.each([
    {
      name: 'unknown flag',
      argv: [...REQUIRED, '--oidc-issuer-url=x'],
      errors: ['unknown flag: --oidc-issuer-url'],
    },
    { name: 'shorthand', argv: [...REQUIRED, '-v'], errors: ['unknown shorthand flag: "v" in -v'] },
    { name: 'positional', argv: [...REQUIRED, 'extra'], errors: ['unexpected argument "extra"'] },
    {
      name: 'missing value',
      argv: [...REQUIRED, '--secure-port'],
      errors: ['flag needs an argument: --secure-port'],
    },
    {
      name: 'bad duration',
      argv: [...REQUIRED, '--cache-ttl', '10'],
      errors: ['invalid argument "10" for "--cache-ttl" flag: time: missing unit in duration "10"'],
    },
    {
      name: 'negative duration',
      argv: [...REQUIRED, '--shutdown-grace=-1s'],
      errors: ['invalid argument "-1s" for "--shutdown-grace" flag: must not be negative'],
    },
    {
      name: 'port not a number',
      argv: [...REQUIRED, '--secure-port=https'],
      errors: [
        'invalid argument "https" for "--secure-port" flag: strconv.ParseInt: parsing "https": invalid syntax',
      ],
    },
    {
      name: 'port out of range',
      argv: [...REQUIRED, '--health-port=70000'],
      errors: [
        'invalid argument "70000" for "--health-port" flag: must be a port number between 0 and 65535',
      ],
    },
    {
      name: 'bad log level',
      argv: [...REQUIRED, '--log-level=trace'],
      errors: [
        'invalid argument "trace" for "--log-level" flag: must be one of debug, info, warn, error',
      ],
    },
    {
      name: 'bad count',
      argv: [...REQUIRED, '--cache-max-entries=-5'],
      errors: [
        'invalid argument "-5" for "--cache-max-entries" flag: strconv.ParseInt: parsing "-5": invalid syntax',
      ],
    },
    {
      name: 'required flags missing',
      argv: ['--tls-cert-file=c.pem'],
      errors: ['required flag(s) "authentication-config", "tls-private-key-file" not set'],
    },
    {
      name: 'every error at once',
      argv: ['--cache-ttl=x', '--bogus'],
      errors: [
        'invalid argument "x" for "--cache-ttl" flag: time: invalid duration "x"',
        'unknown flag: --bogus',
        'required flag(s) "authentication-config", "tls-cert-file", "tls-private-key-file" not set',
      ],
    },
  ])('$name', ({ argv, errors }) => {
    expect(parseFlags(SERVE, argv)).toEqual({ kind: 'error', errors })
  })
})

describe('repeatable flags (--service-account-issuer)', () => {
  it('collects every occurrence in order, splitting commas and dropping empty items', () => {
    const v = ok([
      ...REQUIRED,
      '--service-account-issuer',
      'https://a,https://b',
      '--service-account-issuer=https://c',
      '--service-account-issuer=,https://d,',
    ])
    expect(v.strings('service-account-issuer')).toEqual([
      'https://a',
      'https://b',
      'https://c',
      'https://d',
    ])
    expect(v.has('service-account-issuer')).toBe(true)
  })

  it('absent: an empty list', () => {
    const v = ok(REQUIRED)
    expect(v.strings('service-account-issuer')).toEqual([])
    expect(v.has('service-account-issuer')).toBe(false)
  })

  it('without a value: the usual error', () => {
    expect(parseFlags(SERVE, [...REQUIRED, '--service-account-issuer'])).toEqual({
      kind: 'error',
      errors: ['flag needs an argument: --service-account-issuer'],
    })
  })
})
