/**
 * CPU and memory of another process, read from Linux /proc: the bench
 * measures both servers the same way, from outside.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

let clockTicks: number | undefined

/** `getconf CLK_TCK` (100 on every mainstream Linux). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/**
 * User + system CPU seconds used so far by every thread of `pid`
 * (proc(5): fields 14 and 15 of /proc/<pid>/stat).
 */
export function cpuSeconds(pid: number): number {
  const { user, system } = statCpu(`/proc/${pid}/stat`)
  return user + system
}

function statCpu(path: string): { user: number; system: number } {
  const stat = readFileSync(path, 'latin1')
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {
    user: Number(fields[11]) / ticksPerSecond(),
    system: Number(fields[12]) / ticksPerSecond(),
  }
}

/** CPU seconds of a process split by where they were spent. */
export interface CpuSplit {
  /** The main thread (JavaScript, node's HTTP, TLS), in user mode. */
  readonly mainUser: number
  /** The main thread in the kernel (socket reads and writes, epoll). */
  readonly mainSystem: number
  /** Every other thread: V8's GC and compiler helpers, libuv's thread pool. */
  readonly helpers: number
}

/** {@link CpuSplit} of `pid` so far; threads that exited since are not counted. */
export function cpuSplit(pid: number): CpuSplit {
  const main = statCpu(`/proc/${pid}/task/${pid}/stat`)
  let helpers = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    if (tid === String(pid)) continue
    try {
      const t = statCpu(`/proc/${pid}/task/${tid}/stat`)
      helpers += t.user + t.system
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { mainUser: main.user, mainSystem: main.system, helpers }
}

/** `after - before`, field by field. */
export function cpuSplitDelta(before: CpuSplit, after: CpuSplit): CpuSplit {
  return {
    mainUser: after.mainUser - before.mainUser,
    mainSystem: after.mainSystem - before.mainSystem,
    helpers: after.helpers - before.helpers,
  }
}

export interface MemoryStats {
  /** Resident set size now, bytes. */
  readonly rss: number
  /** Peak resident set size (VmHWM), bytes. */
  readonly peakRss: number
}

function statusField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024
}

export function memoryStats(pid: number): MemoryStats {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1')
  return { rss: statusField(status, 'VmRSS'), peakRss: statusField(status, 'VmHWM') }
}
