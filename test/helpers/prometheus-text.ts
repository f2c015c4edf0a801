/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests:
 * every line must be a comment, `# HELP`, `# TYPE` or a sample, or it throws, so
 * a malformed /metrics fails the test rather than being skipped.
 */

export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

export interface Exposition {
  readonly samples: readonly Sample[]
  /** Metric family name → type (`counter`, `gauge`, `histogram`, ...). */
  readonly types: ReadonlyMap<string, string>
  readonly help: ReadonlyMap<string, string>
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  LABEL.lastIndex = 0
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text)
    if (m === null) throw new Error(`bad labels in metrics line: ${line}`)
    const [, key, value] = m as unknown as [string, string, string]
    if (key in labels) throw new Error(`duplicate label ${key} in: ${line}`)
    labels[key] = unescape(value)
  }
  return labels
}

// Prometheus reads values with Go's strconv.ParseFloat, which matches NaN and Inf case-insensitively (prom-client writes `Nan`).
function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase()
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY
  if (lower === '-inf') return Number.NEGATIVE_INFINITY
  if (lower === 'nan') return Number.NaN
  const n = Number(text)
  if (Number.isNaN(n)) throw new Error(`bad value in metrics line: ${line}`)
  return n
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  const help = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ')
      if (name === undefined || type === undefined) throw new Error(`bad TYPE line: ${line}`)
      types.set(name, type)
      continue
    }
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7)
      const space = rest.indexOf(' ')
      help.set(rest.slice(0, space), rest.slice(space + 1))
      continue
    }
    if (line.startsWith('#')) continue
    const m = SAMPLE.exec(line)
    if (m === null) throw new Error(`bad metrics line: ${line}`)
    samples.push({
      name: m[1] as string,
      labels: m[3] === undefined ? {} : parseLabels(m[3], line),
      value: parseValue(m[4] as string, line),
    })
  }
  return { samples, types, help }
}

/** Samples named `name` whose labels include every pair of `match`. */
export function select(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  )
}

/** Sum of the values of {@link select}; 0 when nothing matches. */
export function total(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): number {
  return select(exposition, name, match).reduce((sum, s) => sum + s.value, 0)
}
