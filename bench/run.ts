/**
 * `npm run bench`: the built service against a hand-written node:crypto
 * baseline (bench/baseline), alternating under identical load from a
 * keep-alive HTTPS/1.1 generator in its own process. The service runs as
 * users start it (every flag at its default, `--log-level info` included);
 * the cached and uncached RS256 phases also run it at `--log-level warn`, so
 * the cost of the per-review log line is measured in the same rounds.
 * Loopback only; every count and duration is bounded (see options.ts).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { createCertificateAuthority, createServerCertificate } from '../src/dev/certificates.js'
import { baselineConfig, serviceConfigYaml, type ProxyBenchConfig } from './configs.js'
import { startIssuerServer } from './issuer-server.js'
import type { ChildMessage, LoadResult, LoadSpec, ParentMessage } from './load/protocol.js'
import { preparePools, type Pools } from './mint.js'
import { parseOptions, type BenchOptions, type PhaseName } from './options.js'
import { cpuSeconds, cpuSplit, cpuSplitDelta, memoryStats, type CpuSplit } from './proc-stats.js'
import { median } from './stats.js'
import {
  goalTable,
  pairedDifferences,
  pairedRatios,
  phaseTable,
  summarize,
  type Goal,
  type Measurement,
  type MemoryResult,
} from './report.js'
import {
  freePort,
  scrapeCache,
  startBaseline,
  startService,
  waitUntilReady,
  waitUntilVerifying,
  type ServerProcess,
} from './servers.js'

const MiB = 1024 * 1024
const BUILD = resolve('.bench-build')
const here = new URL('.', import.meta.url).pathname

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

/** The load generator child, reused for every round. */
class LoadGenerator {
  readonly #child: ChildProcess
  constructor() {
    this.#child = fork(join(here, 'load', 'generator.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
  }
  get pid(): number {
    return this.#child.pid ?? 0
  }
  run(spec: LoadSpec, onMark: () => void): Promise<LoadResult> {
    return new Promise((resolvePromise, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.type === 'mark') return onMark()
        this.#child.off('message', onMessage)
        if (message.type === 'done') resolvePromise(message.result)
        else reject(new Error(`load generator: ${message.message}`))
      }
      this.#child.on('message', onMessage)
      this.#child.send({ type: 'run', spec } satisfies ParentMessage)
    })
  }
  close(): void {
    this.#child.send({ type: 'exit' } satisfies ParentMessage)
  }
}

interface Arm {
  readonly name: string
  readonly server: ServerProcess
  /** Pool name, or undefined for the single cached token. */
  readonly pool?: string
  readonly fixedToken?: string
}

interface PhasePlan {
  readonly name: PhaseName
  readonly arms: readonly Arm[]
  /**
   * Measure the arms two at a time, side by side in the same window (each
   * pair under its own generators), instead of one after another: for a
   * ratio between two servers of the same kind, sharing the window cancels
   * the machine's speed drift, which one-after-another rounds do not.
   */
  readonly simultaneous?: boolean
  readonly mode: 'closed' | 'open'
  /** Distinct cache keys for every request (uncached phases). */
  readonly tagged: boolean
  readonly windowMs: number
  readonly connections: number
  /** Run one unrecorded round first (fresh processes: JIT and caches warm up). */
  readonly warmupRound?: boolean
  /** Overrides --rounds for this phase. */
  readonly rounds?: number
  /** Open loop: reviews per second per server (default: the open-loop phase's rate). */
  readonly rate?: number
  /** Proxy phase: every request is `GET <get>` with the token as a bearer token. */
  readonly get?: string
}

interface Context {
  readonly options: BenchOptions
  readonly load: LoadGenerator
  /** A second generator for simultaneous pairs. */
  readonly load2: LoadGenerator
  readonly caPem: string
  readonly pools: Pools
  /** Next unused index per pool, so rounds use fresh tokens while the pool lasts. */
  readonly nextIndex: Map<string, number>
}

async function measure(
  ctx: Context,
  phase: PhasePlan,
  arm: Arm,
  round: number,
  load: LoadGenerator = ctx.load,
  connections: number = phase.connections,
): Promise<Measurement> {
  const { options } = ctx
  const poolFile = arm.pool === undefined ? undefined : ctx.pools.files.get(arm.pool)
  const spec: LoadSpec = {
    port: arm.server.port,
    caPem: ctx.caPem,
    connections,
    mode: phase.mode,
    rate: phase.rate ?? options.openLoopRate,
    warmupMs: options.warmupMs,
    durationMs: phase.windowMs,
    tokenStart: arm.pool === undefined ? 0 : (ctx.nextIndex.get(arm.pool) ?? 0),
    apiVersion: 'authentication.k8s.io/v1',
    ...(poolFile === undefined ? {} : { tokensFile: poolFile }),
    ...(arm.fixedToken === undefined ? {} : { fixedToken: arm.fixedToken }),
    ...(phase.tagged ? { tag: `${phase.name}-${arm.name}-r${round}` } : {}),
    ...(phase.get === undefined ? {} : { get: phase.get }),
  }
  const cacheBefore = await scrapeCache(arm.server.healthPort)
  let cpu0 = 0
  let load0 = 0
  let split0: CpuSplit | undefined
  const result = await load.run(spec, () => {
    cpu0 = cpuSeconds(arm.server.pid)
    split0 = cpuSplit(arm.server.pid)
    load0 = cpuSeconds(load.pid)
  })
  const cpu1 = cpuSeconds(arm.server.pid)
  const split = cpuSplitDelta(split0 ?? cpuSplit(arm.server.pid), cpuSplit(arm.server.pid))
  const load1 = cpuSeconds(load.pid)
  const memory = memoryStats(arm.server.pid)
  const cacheAfter = await scrapeCache(arm.server.healthPort)
  if (arm.pool !== undefined) ctx.nextIndex.set(arm.pool, result.nextTokenIndex)
  const seconds = result.elapsedMs / 1000
  return {
    phase: phase.name,
    arm: arm.name,
    round,
    reviews: result.completed,
    reviewsPerSec: result.completed / seconds,
    cpuUsPerReview: ((cpu1 - cpu0) / result.completed) * 1e6,
    cpuSplitUs: {
      mainUser: (split.mainUser / result.completed) * 1e6,
      mainSystem: (split.mainSystem / result.completed) * 1e6,
      helpers: (split.helpers / result.completed) * 1e6,
    },
    serverCores: (cpu1 - cpu0) / seconds,
    loadCores: (load1 - load0) / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rssMiB: memory.rss / MiB,
    failed: result.failed,
    incomplete: result.incomplete,
    ...(result.firstFailure === undefined ? {} : { firstFailure: result.firstFailure }),
    ...(cacheBefore === undefined || cacheAfter === undefined
      ? {}
      : {
          cacheHits: cacheAfter.hit - cacheBefore.hit,
          cacheMisses: cacheAfter.miss - cacheBefore.miss,
        }),
  }
}

function logMeasurement(m: Measurement): void {
  log(
    `  r${m.round} ${m.arm.padEnd(15)} ${m.reviewsPerSec.toFixed(0).padStart(6)}/s ` +
      `${m.cpuUsPerReview.toFixed(1).padStart(6)} µs/review ` +
      `(main ${m.cpuSplitUs.mainUser.toFixed(0)} user + ${m.cpuSplitUs.mainSystem.toFixed(0)} sys, ` +
      `other threads ${m.cpuSplitUs.helpers.toFixed(0)}) p99 ${m.p99Ms.toFixed(2)} ms` +
      (m.incomplete > 0 ? ` (${m.incomplete} late at window end)` : '') +
      (m.failed > 0 ? ` FAILED ${m.failed}: ${m.firstFailure ?? ''}` : ''),
  )
}

/** Arms [0,1], [2,3], ...: each pair measured at once, half the connections each. */
async function measurePairs(
  ctx: Context,
  phase: PhasePlan,
  round: number,
  into: Measurement[],
  report = true,
): Promise<void> {
  // Closed loop: the pair shares the usual connection count. Open loop: each
  // server gets the phase's full rate and connections.
  const connections =
    phase.mode === 'open' ? phase.connections : Math.max(1, Math.floor(phase.connections / 2))
  for (let i = 0; i + 1 < phase.arms.length; i += 2) {
    const pair = [phase.arms[i], phase.arms[i + 1]] as [Arm, Arm]
    // Swap which generator drives which arm every round.
    const [first, second] = Math.abs(round) % 2 === 0 ? pair : [pair[1], pair[0]]
    const measured = await Promise.all([
      measure(ctx, phase, first, round, ctx.load, connections),
      measure(ctx, phase, second, round, ctx.load2, connections),
    ])
    for (const m of measured) {
      into.push(m)
      if (report) logMeasurement(m)
    }
  }
}

async function runPhase(ctx: Context, phase: PhasePlan, into: Measurement[]): Promise<void> {
  const rounds = phase.rounds ?? ctx.options.rounds
  log(
    `phase ${phase.name}: ${phase.arms.map((a) => a.name).join(' / ')}, ${rounds} rounds` +
      (phase.simultaneous === true ? ', pairs side by side' : ''),
  )
  if (phase.warmupRound === true) {
    log('  warm-up round (not recorded)')
    const discarded: Measurement[] = []
    if (phase.simultaneous === true) await measurePairs(ctx, phase, -1, discarded, false)
    else for (const arm of phase.arms) discarded.push(await measure(ctx, phase, arm, -1))
  }
  for (let round = 0; round < rounds; round++) {
    if (phase.simultaneous === true) {
      await measurePairs(ctx, phase, round, into)
      continue
    }
    // Rotate the order each round so neither arm always runs first.
    const order = phase.arms.map((_, i) => phase.arms[(i + round) % phase.arms.length] as Arm)
    for (const arm of order) {
      const m = await measure(ctx, phase, arm, round)
      into.push(m)
      logMeasurement(m)
    }
  }
}

async function runMemory(ctx: Context, service: ServerProcess): Promise<MemoryResult> {
  const points: { distinctTokens: number; rssMiB: number; cacheEntries?: number }[] = []
  let sent = 0
  let failed = 0
  let elapsedMs = 0
  for (const target of ctx.options.memoryPoints) {
    log(`phase memory: ${target - sent} distinct reviews (total ${target})`)
    const result = await ctx.load.run(
      {
        port: service.port,
        caPem: ctx.caPem,
        connections: ctx.options.connections,
        mode: 'closed',
        warmupMs: 0,
        durationMs: 0,
        maxRequests: target - sent,
        tokensFile: ctx.pools.files.get('rs1') ?? '',
        tokenStart: sent,
        apiVersion: 'authentication.k8s.io/v1',
        tag: 'memory',
      },
      () => undefined,
    )
    sent = target
    failed += result.failed
    elapsedMs += result.elapsedMs
    const cache = await scrapeCache(service.healthPort)
    const rssMiB = memoryStats(service.pid).rss / MiB
    points.push({
      distinctTokens: target,
      rssMiB,
      ...(cache === undefined ? {} : { cacheEntries: cache.entries }),
    })
    log(
      `  after ${target}: RSS ${rssMiB.toFixed(1)} MiB` +
        (cache === undefined
          ? ''
          : `, cache entries ${cache.entries}, V8 heap ${(cache.heapUsed / MiB).toFixed(1)} MiB used of ${(cache.heapTotal / MiB).toFixed(1)} MiB`),
    )
  }
  return {
    points,
    peakRssMiB: memoryStats(service.pid).peakRss / MiB,
    reviewsPerSec: (sent / elapsedMs) * 1000,
    failed,
  }
}

/** A goal on the rounds of one phase: `metric(arm)` against `metric(against)` in the same round. */
interface PairedGoal {
  readonly phase: PhaseName
  readonly arm: string
  readonly against: string
  readonly name: string
  readonly metric: (m: Measurement) => number
  /** `ratio` reports a / b; `increase` reports (a / b - 1) in percent; `difference` a - b in µs. */
  readonly as: 'ratio' | 'increase' | 'difference'
  readonly target: string
  /** Undefined for information only. */
  readonly pass?: (value: number) => boolean
}

function pairedGoals(options: BenchOptions): PairedGoal[] {
  const rps = (m: Measurement): number => m.reviewsPerSec
  const cpu = (m: Measurement): number => m.cpuUsPerReview
  const vsBaseline = { arm: 'service', against: 'baseline', as: 'ratio' } as const
  const warnVsBaseline = { arm: 'service-warn', against: 'baseline', as: 'ratio' } as const
  const logLine = { arm: 'service', against: 'service-warn', as: 'difference' } as const
  const compareVsBaseline = { arm: 'service-compare', against: 'baseline', as: 'ratio' } as const
  const compareVsService = { arm: 'service-compare', against: 'service', as: 'difference' } as const
  const p99Us = (m: Measurement): number => m.p99Ms * 1000
  return [
    {
      phase: 'proxy',
      arm: 'proxy',
      against: 'node-proxy',
      as: 'ratio',
      name: 'requests/s through the proxy / through a plain Node reverse proxy',
      metric: rps,
      target: 'information',
    },
    {
      phase: 'proxy',
      arm: 'proxy',
      against: 'direct',
      as: 'difference',
      name: 'p99 added by the proxy (vs the API server direct)',
      metric: p99Us,
      target: 'information',
    },
    {
      phase: 'proxy',
      arm: 'node-proxy',
      against: 'direct',
      as: 'difference',
      name: 'p99 added by a plain Node reverse proxy (vs direct)',
      metric: p99Us,
      target: 'information',
    },
    {
      ...vsBaseline,
      phase: 'uncached-rs256',
      name: 'uncached RS256 reviews/s, service / baseline',
      metric: rps,
      target: '>= 0.90',
      pass: (r) => r >= 0.9,
    },
    {
      ...vsBaseline,
      phase: 'cached',
      name: 'cached reviews/s, service / baseline',
      metric: rps,
      target: '>= 0.85',
      pass: (r) => r >= 0.85,
    },
    {
      ...vsBaseline,
      phase: 'open-loop',
      name: `p99 at ${options.openLoopRate}/s, service / baseline`,
      metric: (m) => m.p99Ms,
      target: '<= 1.30',
      pass: (r) => r <= 1.3,
    },
    {
      ...logLine,
      phase: 'cached',
      name: 'CPU of the info log line per review, cached',
      metric: cpu,
      target: '<= 5 µs',
      pass: (us) => us <= 5,
    },
    {
      ...logLine,
      phase: 'uncached-rs256',
      name: 'CPU of the info log line per review, uncached RS256',
      metric: cpu,
      target: '<= 5 µs',
      pass: (us) => us <= 5,
    },
    {
      ...warnVsBaseline,
      phase: 'cached',
      name: 'cached reviews/s, service-warn / baseline (info)',
      metric: rps,
      target: '-',
    },
    {
      ...warnVsBaseline,
      phase: 'uncached-rs256',
      name: 'uncached RS256 reviews/s, service-warn / baseline (info)',
      metric: rps,
      target: '-',
    },
    {
      ...compareVsBaseline,
      phase: 'cached',
      name: 'cached reviews/s, service-compare / baseline (--compare)',
      metric: rps,
      target: '-',
    },
    {
      ...compareVsBaseline,
      phase: 'uncached-rs256',
      name: 'uncached RS256 reviews/s, service-compare / baseline (--compare)',
      metric: rps,
      target: '-',
    },
    {
      ...compareVsBaseline,
      phase: 'open-loop',
      name: `p99 at ${options.openLoopRate}/s, service-compare / baseline (--compare)`,
      metric: (m) => m.p99Ms,
      target: '-',
    },
    {
      ...compareVsService,
      phase: 'cached',
      name: 'CPU per review, service-compare - service, cached (--compare)',
      metric: cpu,
      target: '-',
    },
    {
      ...compareVsService,
      phase: 'uncached-rs256',
      name: 'CPU per review, service-compare - service, uncached RS256 (--compare)',
      metric: cpu,
      target: '-',
    },
    {
      phase: 'issuers-64',
      arm: 'service-64',
      against: 'service',
      as: 'increase',
      name: 'CPU per review, 64 issuers vs 1 (service)',
      metric: cpu,
      target: '<= +10 %',
      pass: (percent) => percent <= 10,
    },
    {
      phase: 'issuers-64',
      arm: 'baseline-64',
      against: 'baseline',
      as: 'increase',
      name: 'CPU per review, 64 issuers vs 1 (baseline, info)',
      metric: cpu,
      target: '-',
    },
    {
      ...vsBaseline,
      phase: 'uncached-es256',
      name: 'uncached ES256 reviews/s, service / baseline (info)',
      metric: rps,
      target: '-',
    },
  ]
}

function goals(
  measurements: readonly Measurement[],
  memory: MemoryResult | undefined,
  options: BenchOptions,
): Goal[] {
  const out: Goal[] = []
  for (const goal of pairedGoals(options)) {
    if (summarize(measurements, goal.phase, goal.arm) === undefined) continue
    if (summarize(measurements, goal.phase, goal.against) === undefined) continue
    const rounds =
      goal.as === 'difference'
        ? pairedDifferences(measurements, goal.phase, goal.arm, goal.against, goal.metric)
        : pairedRatios(measurements, goal.phase, goal.arm, goal.against, goal.metric).map((x) =>
            goal.as === 'ratio' ? x : (x - 1) * 100,
          )
    const measured = median(rounds)
    out.push({
      name: goal.name,
      measured,
      unit: { ratio: '', increase: '%', difference: 'µs' }[goal.as],
      target: goal.target,
      pass: goal.pass?.(measured),
      rounds,
    })
  }
  if (memory !== undefined) {
    const [a, b] = memory.points
    if (a !== undefined && b !== undefined) {
      const perToken = ((b.rssMiB - a.rssMiB) * MiB) / (b.distinctTokens - a.distinctTokens)
      const official = a.distinctTokens === 100_000 && b.distinctTokens === 1_000_000
      out.push({
        name: `RSS growth per distinct token, ${a.distinctTokens} -> ${b.distinctTokens}`,
        measured: perToken,
        unit: 'B',
        target: '< 100 B',
        pass: official ? perToken < 100 : undefined,
      })
    }
    out.push({
      name: 'peak RSS of the service (memory phase)',
      measured: memory.peakRssMiB,
      unit: 'MiB',
      target: '< 200 MiB',
      pass: memory.peakRssMiB < 200,
    })
  }
  return out
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const started = Date.now()
  const runDir = join(BUILD, 'run')
  mkdirSync(runDir, { recursive: true })
  const cliPath = resolve(options.cliPath)
  const withService = options.service && existsSync(cliPath)
  if (options.service && !withService) log(`${cliPath} not found: measuring the baseline only`)

  const ca = await createCertificateAuthority({ commonName: 'kube-oidc-webhook bench CA' })
  const serving = await createServerCertificate(ca)
  const certPath = join(runDir, 'serving.crt')
  const keyPath = join(runDir, 'serving.key')
  writeFileSync(certPath, serving.certPem)
  writeFileSync(keyPath, serving.keyPem, { mode: 0o600 })
  const tls = { cert: serving.certPem, key: serving.keyPem }

  const pools = await preparePools(
    join(BUILD, 'cache'),
    [
      { name: 'rs1', alg: 'RS256', issuers: 1, count: options.pools.rs1 },
      { name: 'es1', alg: 'ES256', issuers: 1, count: options.pools.es1 },
      { name: 'rs64', alg: 'RS256', issuers: 64, count: options.pools.rs64 },
    ],
    Math.floor(Date.now() / 1000),
    log,
  )
  const issuer = await startIssuerServer(pools.issuers, tls)
  const probes1 = [pools.probes[0] ?? '', pools.probes[pools.probes.length - 1] ?? '']
  const probes64 = pools.probes

  const servers: ServerProcess[] = []
  const profileDir = join(BUILD, 'profiles')
  if (options.cpuProf) mkdirSync(profileDir, { recursive: true })
  /** With `--cpu-prof`, every server of a phase is profiled, so shares can be compared side by side. */
  const cpuProfFlags = (name: string): string[] =>
    options.cpuProf
      ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}.cpuprofile`]
      : []
  const baselineScript = join(here, 'baseline', 'server.js')
  const startBaselineFor = async (name: string, issuers: number): Promise<ServerProcess> => {
    const port = await freePort()
    const configPath = join(runDir, `${name}.json`)
    writeFileSync(configPath, JSON.stringify(baselineConfig(pools.issuers, issuers, port, tls)))
    const server = await startBaseline(
      name,
      baselineScript,
      configPath,
      port,
      join(runDir, `${name}.log`),
      cpuProfFlags(name),
    )
    servers.push(server)
    await waitUntilVerifying(server, ca.certPem, issuers === 1 ? probes1 : probes64, () => false)
    return server
  }
  const startServiceFor = async (
    name: string,
    issuers: number,
    serveFlags: readonly string[] = [],
    entryPoint: string = cliPath,
  ): Promise<ServerProcess> => {
    const configPath = join(runDir, `${name}.yaml`)
    writeFileSync(
      configPath,
      serviceConfigYaml(pools.issuers, issuers, (i) => issuer.discoveryURL(i), ca.certPem),
    )
    const server = await startService({
      name,
      cliPath: entryPoint,
      configPath,
      certPath,
      keyPath,
      logPath: join(runDir, `${name}.log`),
      serveFlags,
      nodeFlags: cpuProfFlags(name),
    })
    servers.push(server)
    await waitUntilVerifying(
      server,
      ca.certPem,
      issuers === 1 ? probes1 : probes64,
      server.exited,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} (log: ${server.logPath})`)
    })
    return server
  }

  /**
   * The proxy phase's three arms, one cached token each: `proxy` (the service
   * as `kube-oidc-webhook proxy`), `node-proxy` (bench/baseline/reverse-proxy:
   * the same forwarding, no authentication) and `direct` (the upstream itself).
   */
  const startProxyArms = async (token: string): Promise<Arm[]> => {
    const upstreamPort = await freePort()
    const proxyConfig = async (name: string): Promise<string> => {
      const config: ProxyBenchConfig = {
        port: name === 'upstream' ? upstreamPort : await freePort(),
        certPem: serving.certPem,
        keyPem: serving.keyPem,
        upstreamPort,
        caPem: ca.certPem,
        upstreamToken: 'bench-proxy-token',
      }
      const path = join(runDir, `${name}.json`)
      writeFileSync(path, JSON.stringify(config))
      return path
    }
    const startScript = async (name: string, script: string): Promise<ServerProcess> => {
      const path = await proxyConfig(name)
      const { port } = JSON.parse(readFileSync(path, 'utf8')) as ProxyBenchConfig
      const server = await startBaseline(name, script, path, port, join(runDir, `${name}.log`))
      servers.push(server)
      return server
    }
    const upstream = await startScript('upstream', join(here, 'proxy-upstream.js'))
    const nodeProxy = await startScript('node-proxy', join(here, 'baseline', 'reverse-proxy.js'))
    const caFile = join(runDir, 'ca.crt')
    const tokenFile = join(runDir, 'proxy-upstream-token')
    writeFileSync(caFile, ca.certPem)
    writeFileSync(tokenFile, 'bench-proxy-token\n')
    const configPath = join(runDir, 'proxy.yaml')
    writeFileSync(
      configPath,
      serviceConfigYaml(pools.issuers, 1, (i) => issuer.discoveryURL(i), ca.certPem),
    )
    const proxy = await startService({
      name: 'proxy',
      cliPath,
      configPath,
      certPath,
      keyPath,
      logPath: join(runDir, 'proxy.log'),
      command: 'proxy',
      serveFlags: [
        '--upstream',
        `https://127.0.0.1:${upstreamPort}`,
        '--upstream-ca-file',
        caFile,
        '--upstream-token-file',
        tokenFile,
      ],
    })
    servers.push(proxy)
    await waitUntilReady(proxy, proxy.exited)
    return [
      { name: 'proxy', server: proxy, fixedToken: token },
      { name: 'node-proxy', server: nodeProxy, fixedToken: token },
      { name: 'direct', server: upstream, fixedToken: token },
    ]
  }

  const load = new LoadGenerator()
  const load2 = new LoadGenerator()
  const measurements: Measurement[] = []
  let memory: MemoryResult | undefined
  const want = new Set(options.phases)
  try {
    log('starting servers')
    const baseline = await startBaselineFor('baseline', 1)
    const service = withService ? await startServiceFor('service', 1) : undefined
    // The same at --log-level warn, beside the defaults in the phases that price the log line.
    const serviceWarn =
      withService && (want.has('cached') || want.has('uncached-rs256'))
        ? await startServiceFor('service-warn', 1, ['--log-level', 'warn'])
        : undefined
    // Another build, at its defaults, in the same rounds (`--compare`).
    const serviceCompare =
      withService &&
      options.compareCli !== undefined &&
      (want.has('cached') || want.has('uncached-rs256') || want.has('open-loop'))
        ? await startServiceFor('service-compare', 1, [], options.compareCli)
        : undefined
    // The issuers-64 phase gets its own processes, 1 and 64 issuers alike, so
    // neither side carries the heap and caches of the phases before it.
    const needs64 = want.has('issuers-64')
    const baseline1 = needs64 ? await startBaselineFor('baseline-1i', 1) : undefined
    const baseline64 = needs64 ? await startBaselineFor('baseline-64i', 64) : undefined
    const service1 = withService && needs64 ? await startServiceFor('service-1i', 1) : undefined
    const service64 = withService && needs64 ? await startServiceFor('service-64i', 64) : undefined
    const ctx: Context = {
      options,
      load,
      load2,
      caPem: ca.certPem,
      pools,
      nextIndex: new Map(),
    }
    const pair = (
      pool: string | undefined,
      fixedToken?: string,
      withWarn = false,
      withCompare = withWarn,
    ): Arm[] =>
      [
        service === undefined ? undefined : { name: 'service', server: service },
        serviceWarn === undefined || !withWarn
          ? undefined
          : { name: 'service-warn', server: serviceWarn },
        serviceCompare === undefined || !withCompare
          ? undefined
          : { name: 'service-compare', server: serviceCompare },
        { name: 'baseline', server: baseline },
      ]
        .filter((a): a is { name: string; server: ServerProcess } => a !== undefined)
        .map((a) => ({
          ...a,
          ...(pool === undefined ? {} : { pool }),
          ...(fixedToken === undefined ? {} : { fixedToken }),
        }))
    const closed = {
      mode: 'closed' as const,
      windowMs: options.windowMs,
      connections: options.connections,
    }
    const plans: PhasePlan[] = []
    if (want.has('cached'))
      plans.push({
        name: 'cached',
        arms: pair(undefined, pools.probes[0], true),
        tagged: false,
        ...closed,
      })
    if (want.has('uncached-rs256'))
      plans.push({
        name: 'uncached-rs256',
        arms: pair('rs1', undefined, true),
        tagged: true,
        ...closed,
      })
    if (want.has('uncached-es256'))
      plans.push({ name: 'uncached-es256', arms: pair('es1'), tagged: true, ...closed })
    if (baseline1 !== undefined && baseline64 !== undefined) {
      // Pairs side by side: (service, service-64), then (baseline, baseline-64).
      const arms: Arm[] = []
      if (service1 !== undefined && service64 !== undefined)
        arms.push(
          { name: 'service', server: service1, pool: 'rs1' },
          { name: 'service-64', server: service64, pool: 'rs64' },
        )
      arms.push(
        { name: 'baseline', server: baseline1, pool: 'rs1' },
        { name: 'baseline-64', server: baseline64, pool: 'rs64' },
      )
      plans.push({
        name: 'issuers-64',
        arms,
        tagged: true,
        simultaneous: true,
        warmupRound: true,
        rounds: options.issuerRounds,
        // A fixed rate below saturation, so both servers of a pair do the same
        // work pattern (closed loop would let the one that gets more CPU batch
        // more per event-loop turn, which moves CPU per review by itself).
        mode: 'open',
        rate: options.issuerRate,
        windowMs: options.issuerWindowMs,
        connections: options.openLoopConnections,
      })
    }
    if (want.has('open-loop')) {
      plans.push({
        name: 'open-loop',
        arms: pair('rs1', undefined, false, true),
        tagged: true,
        mode: 'open',
        windowMs: options.openLoopWindowMs,
        connections: options.openLoopConnections,
      })
    }
    if (want.has('proxy') && withService) {
      const arms = await startProxyArms(pools.probes[0] ?? '')
      plans.push({
        name: 'proxy',
        arms,
        tagged: false,
        warmupRound: true,
        get: '/api/v1/namespaces/default/pods?limit=500',
        ...closed,
      })
    }
    for (const plan of plans) await runPhase(ctx, plan, measurements)
    if (want.has('memory') && withService) {
      // A fresh process, so the cache starts empty and RSS counts only this phase.
      const fresh = await startServiceFor('service-memory', 1)
      memory = await runMemory(ctx, fresh)
    }

    const summary = [
      '',
      `kube-oidc-webhook bench ${options.quick ? '(--quick) ' : ''}- ${new Date().toISOString()}`,
      `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0]?.toFixed(2)}`,
      'service: `serve` with every flag at its default (--log-level info); service-warn: the same with --log-level warn' +
        (options.compareCli === undefined
          ? ''
          : `; service-compare: ${options.compareCli} with every flag at its default`),
      `rounds ${options.rounds} (median shown), window ${options.windowMs} ms after ${options.warmupMs} ms warm-up, ` +
        `${options.connections} keep-alive connections (open loop: ${options.openLoopRate}/s over ${options.openLoopConnections}, ${options.openLoopWindowMs} ms)`,
      '',
      phaseTable(
        measurements,
        plans.map((p) => ({ name: p.name, arms: p.arms.map((a) => a.name) })),
      ),
    ]
    if (memory !== undefined) {
      summary.push(
        '',
        `memory (fresh service, default cache, RS256 pool with per-lap audiences, ${memory.reviewsPerSec.toFixed(0)} reviews/s, ${memory.failed} failed):`,
        ...memory.points.map(
          (p) =>
            `  after ${p.distinctTokens} distinct reviews: RSS ${p.rssMiB.toFixed(1)} MiB${p.cacheEntries === undefined ? '' : `, cache entries ${p.cacheEntries}`}`,
        ),
        `  peak RSS ${memory.peakRssMiB.toFixed(1)} MiB`,
      )
    }
    const goalList = goals(measurements, memory, options)
    if (goalList.length > 0) summary.push('', goalTable(goalList))
    summary.push(
      '',
      `issuer discovery + JWKS requests answered: ${issuer.requests} (start-up needs 2 per issuer per server; more means refetching)`,
      `total ${((Date.now() - started) / 1000).toFixed(0)} s`,
    )
    process.stdout.write(`${summary.join('\n')}\n`)

    const resultsDir = join(BUILD, 'results')
    mkdirSync(resultsDir, { recursive: true })
    const resultPath = join(
      resultsDir,
      `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    )
    writeFileSync(
      resultPath,
      JSON.stringify(
        { options, node: process.version, measurements, memory, goals: goalList },
        null,
        2,
      ),
    )
    log(`results written to ${resultPath}`)
    const failures = measurements.some((m) => m.failed > 0) || (memory?.failed ?? 0) > 0
    if (failures) {
      log('some reviews failed: the numbers above are not valid')
      process.exitCode = 1
    }
  } finally {
    load.close()
    load2.close()
    await Promise.all(servers.map((s) => s.stop()))
    await issuer.close()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  )
  process.exitCode = 1
})
