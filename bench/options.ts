/** `npm run bench -- [flags]`: the bench's own flags and the two presets. */

export const PHASES = [
  'cached',
  'uncached-rs256',
  'uncached-es256',
  'issuers-64',
  'open-loop',
  'memory',
  'proxy',
] as const
export type PhaseName = (typeof PHASES)[number]

export interface BenchOptions {
  readonly quick: boolean
  readonly rounds: number
  /** Rounds of the issuers-64 phase (its pairs run side by side, so rounds are cheap). */
  readonly issuerRounds: number
  readonly issuerWindowMs: number
  /** Open-loop rate per server in the issuers-64 phase (both servers of a pair at once). */
  readonly issuerRate: number
  readonly warmupMs: number
  readonly windowMs: number
  readonly openLoopWindowMs: number
  readonly openLoopRate: number
  readonly connections: number
  readonly openLoopConnections: number
  readonly pools: { readonly rs1: number; readonly es1: number; readonly rs64: number }
  /** Distinct tokens after which the service's RSS is read in the memory phase. */
  readonly memoryPoints: readonly [number, number]
  readonly phases: readonly PhaseName[]
  readonly service: boolean
  readonly cliPath: string
  /** Another build's entry point, run as `service-compare` beside `service` in the cached, uncached RS256 and open-loop phases. */
  readonly compareCli?: string
  readonly cpuProf: boolean
}

export const USAGE = `usage: npm run bench -- [flags]
  --quick              smoke run (~2 min): smaller pools, shorter rounds, memory at 1e4/1e5
  --rounds N           alternating rounds per phase (default 3; issuers-64 runs max(N, 5))
  --phases a,b         subset of: ${PHASES.join(', ')}
  --no-service         measure the baseline only (checks the harness)
  --cli PATH           the service's entry point (default dist/cli.js)
  --cpu-prof           start every server with node --cpu-prof (profiles in .bench-build/profiles)
  --compare PATH       also run another build (its dist/cli.js) as service-compare, every flag at its
                       default, in the cached, uncached RS256 and open-loop phases: two builds in the
                       same rounds
`

export function parseOptions(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`)
    const eq = arg.indexOf('=')
    if (eq !== -1) flags.set(arg.slice(2, eq), arg.slice(eq + 1))
    else if (['--rounds', '--phases', '--cli', '--compare'].includes(arg))
      flags.set(arg.slice(2), argv[++i] ?? '')
    else flags.set(arg.slice(2), 'true')
  }
  const known = new Set([
    'quick',
    'rounds',
    'phases',
    'no-service',
    'cli',
    'compare',
    'cpu-prof',
    'help',
  ])
  for (const name of flags.keys())
    if (!known.has(name)) throw new Error(`unknown flag --${name}\n${USAGE}`)
  if (flags.has('help')) throw new Error(USAGE)
  const quick = flags.has('quick')
  const rounds = Number(flags.get('rounds') ?? 3)
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error('--rounds must be a positive integer')
  const phases = (flags.get('phases')?.split(',') ?? [...PHASES]) as PhaseName[]
  for (const p of phases) if (!PHASES.includes(p)) throw new Error(`unknown phase ${p}\n${USAGE}`)
  return {
    quick,
    rounds,
    issuerRounds: Math.max(rounds, 5),
    issuerWindowMs: quick ? 3000 : 6000,
    issuerRate: 1000,
    warmupMs: quick ? 500 : 1000,
    windowMs: quick ? 1500 : 5000,
    openLoopWindowMs: quick ? 3000 : 10_000,
    openLoopRate: 1000,
    connections: 32,
    openLoopConnections: 16,
    pools: quick
      ? { rs1: 10_000, es1: 5000, rs64: 5000 }
      : { rs1: 100_000, es1: 100_000, rs64: 25_000 },
    memoryPoints: quick ? [10_000, 100_000] : [100_000, 1_000_000],
    phases,
    service: !flags.has('no-service'),
    cliPath: flags.get('cli') ?? 'dist/cli.js',
    ...(flags.get('compare') === undefined ? {} : { compareCli: flags.get('compare') as string }),
    cpuProf: flags.has('cpu-prof'),
  }
}
