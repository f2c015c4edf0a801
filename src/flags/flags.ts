/**
 * Command-line flags in kube-apiserver's spelling (spf13/pflag): `--name value`
 * and `--name=value`, the last occurrence wins, `-h`/`--help` everywhere.
 * Every bad flag is collected so one run reports them all, worded as pflag
 * and cobra word them (`invalid argument "x" for "--cache-ttl" flag: ...`).
 */
import { LOG_LEVELS } from '../log/logger.js'
import { DurationError, parseGoDuration } from '../go/duration.js'

export type FlagKind = 'string' | 'path' | 'duration' | 'port' | 'count' | 'log-level' | 'bool'

export interface FlagDef {
  /** Without the leading `--`. */
  readonly name: string
  readonly kind: FlagKind
  readonly description: string
  /** Raw default as a user would type it; absent means "none". */
  readonly default?: string
  readonly required?: boolean
  /**
   * May be given several times; each value may also hold a comma-separated
   * list. Read with `FlagValues.strings`.
   */
  readonly repeatable?: boolean
}

export interface CommandDef {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly flags: readonly FlagDef[]
}

export type ParsedFlags =
  | { readonly kind: 'help' }
  | { readonly kind: 'ok'; readonly values: FlagValues }
  | { readonly kind: 'error'; readonly errors: readonly string[] }

/** Validated flag values (defaults applied); typed getters by kind. */
export class FlagValues {
  constructor(
    private readonly raw: ReadonlyMap<string, string>,
    private readonly lists: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  has(name: string): boolean {
    return this.raw.has(name) || this.lists.has(name)
  }

  /** Every value of a repeatable flag, in order, comma-separated lists split, empty items dropped. */
  strings(name: string): readonly string[] {
    return this.lists.get(name) ?? []
  }

  string(name: string): string | undefined {
    return this.raw.get(name)
  }

  /** Milliseconds (Go durations below 1 ms truncate to 0). */
  durationMs(name: string): number | undefined {
    const raw = this.raw.get(name)
    return raw === undefined ? undefined : Number(parseGoDuration(raw) / 1_000_000n)
  }

  /** A `bool` flag: true when given alone or with a true value (strconv.ParseBool). */
  bool(name: string): boolean {
    const raw = this.raw.get(name)
    return raw !== undefined && TRUE_WORDS.includes(raw)
  }

  number(name: string): number | undefined {
    const raw = this.raw.get(name)
    return raw === undefined ? undefined : Number(raw)
  }
}

// strconv.ParseBool's spellings.
const TRUE_WORDS: readonly string[] = ['1', 't', 'T', 'TRUE', 'true', 'True']
const FALSE_WORDS: readonly string[] = ['0', 'f', 'F', 'FALSE', 'false', 'False']

function checkValue(def: FlagDef, value: string): string | undefined {
  switch (def.kind) {
    case 'bool':
      return TRUE_WORDS.includes(value) || FALSE_WORDS.includes(value)
        ? undefined
        : `strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`
    case 'string':
      return undefined
    case 'path':
      return value === '' ? 'must not be empty' : undefined
    case 'duration': {
      let ns: bigint
      try {
        ns = parseGoDuration(value)
      } catch (err) {
        if (err instanceof DurationError) return err.message
        throw err
      }
      return ns < 0n ? 'must not be negative' : undefined
    }
    case 'port': {
      if (!/^\d+$/.test(value))
        return `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`
      return Number(value) > 65535 ? 'must be a port number between 0 and 65535' : undefined
    }
    case 'count':
      return /^\d+$/.test(value) && Number.isSafeInteger(Number(value))
        ? undefined
        : `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`
    case 'log-level':
      return (LOG_LEVELS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${LOG_LEVELS.join(', ')}`
  }
}

/** Parses `argv` (the words after the command name) against `command.flags`. */
export function parseFlags(command: CommandDef, argv: readonly string[]): ParsedFlags {
  const byName = new Map(command.flags.map((f) => [f.name, f]))
  const given = new Map<string, string>()
  const lists = new Map<string, string[]>()
  const errors: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string
    if (word === '-h' || word === '--help') return { kind: 'help' }
    if (!word.startsWith('--') || word === '--') {
      errors.push(
        word.startsWith('-') && word !== '-'
          ? `unknown shorthand flag: ${JSON.stringify(word.slice(1, 2))} in ${word}`
          : `unexpected argument ${JSON.stringify(word)}`,
      )
      continue
    }
    const eq = word.indexOf('=')
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq)
    const def = byName.get(name)
    if (def === undefined) {
      errors.push(`unknown flag: --${name}`)
      continue
    }
    let value: string
    if (eq !== -1) {
      value = word.slice(eq + 1)
    } else if (def.kind === 'bool') {
      // pflag: a bool flag alone means true and never takes the next word.
      value = 'true'
    } else if (i + 1 < argv.length) {
      value = argv[++i] as string
    } else {
      errors.push(`flag needs an argument: --${name}`)
      continue
    }
    const problem = checkValue(def, value)
    if (problem !== undefined) {
      errors.push(`invalid argument ${JSON.stringify(value)} for "--${name}" flag: ${problem}`)
      continue
    }
    if (def.repeatable === true) {
      const items = value.split(',').filter((item) => item !== '')
      lists.set(name, [...(lists.get(name) ?? []), ...items])
      continue
    }
    given.set(name, value)
  }
  const missing = command.flags.filter(
    (f) => f.required === true && !given.has(f.name) && !lists.has(f.name),
  )
  if (missing.length > 0) {
    errors.push(`required flag(s) ${missing.map((f) => `"${f.name}"`).join(', ')} not set`)
  }
  if (errors.length > 0) return { kind: 'error', errors }
  for (const def of command.flags) {
    if (!given.has(def.name) && def.default !== undefined) given.set(def.name, def.default)
  }
  return { kind: 'ok', values: new FlagValues(given, lists) }
}
