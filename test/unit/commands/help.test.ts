import { describe, expect, it } from '@jest/globals'
import { CHECK, SERVE, VALIDATE } from '../../../src/commands/definitions.js'
import { commandHelp, topLevelHelp } from '../../../src/commands/help.js'

// The documented serve flags: name -> default shown by --help (undefined: required or none).
const DOCUMENTED_SERVE_DEFAULTS: Record<string, string | undefined> = {
  'authentication-config': undefined,
  'bind-address': '0.0.0.0',
  'secure-port': '8443',
  'tls-cert-file': undefined,
  'tls-private-key-file': undefined,
  'client-ca-file': undefined,
  'health-port': '8080',
  'log-level': 'info',
  'cache-ttl': '10s',
  'cache-max-entries': '100000',
  'key-cache-dir': undefined,
  'shutdown-grace': '15s',
}

describe('--help', () => {
  it('serve has exactly the contract flags and defaults', () => {
    expect(Object.fromEntries(SERVE.flags.map((f) => [f.name, f.default]))).toEqual(
      DOCUMENTED_SERVE_DEFAULTS,
    )
    expect(SERVE.flags.filter((f) => f.required).map((f) => f.name)).toEqual([
      'authentication-config',
      'tls-cert-file',
      'tls-private-key-file',
    ])
  })

  it.each([SERVE, VALIDATE, CHECK])(
    '$name help lists every flag with its default or (required)',
    (command) => {
      const text = commandHelp(command)
      for (const flag of command.flags) {
        const line = text.split('\n').find((l) => l.trimStart().startsWith(`--${flag.name} `))
        expect(line).toBeDefined()
        if (flag.required === true) expect(line).toMatch(/\(required\)$/)
        else if (flag.default !== undefined) {
          // pflag's style: strings quoted, numbers and durations bare.
          const quoted = ['string', 'path', 'log-level'].includes(flag.kind)
          expect(line).toContain(
            quoted ? `(default "${flag.default}")` : `(default ${flag.default})`,
          )
        }
      }
      expect(text).toContain('-h, --help')
    },
  )

  it('serve help shows the cache TTL line', () => {
    expect(commandHelp(SERVE)).toMatch(
      /\n {2}--cache-ttl duration +Longest life of a cached review \(never past the token's exp\); 0 turns the cache off \(default 10s\)\n/,
    )
  })

  it('top-level help names every command', () => {
    const text = topLevelHelp()
    for (const name of ['serve', 'validate', 'check', 'dev'])
      expect(text).toMatch(new RegExp(`\\n  ${name} +\\S`))
  })
})
