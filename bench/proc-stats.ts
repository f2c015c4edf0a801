/**
 * CPU and memory of another process, read from Linux /proc: the bench
 * measures both servers the same way, from outside.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

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
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / ticksPerSecond()
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
