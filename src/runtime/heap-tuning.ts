/**
 * V8's heap heuristics for a long-running `serve`. Every cached review is
 * promoted to the old generation and dies there when its TTL ends, so the old
 * generation fills with expired entries at the review rate. With V8's default
 * growth factor (up to several times the live size after each full GC) the
 * heap then carries far more garbage than live data before collecting it. A
 * fixed 30 % growth collects sooner, for one extra concurrent full GC every
 * few seconds under load (figures in docs/performance.md, memory phase).
 *
 * `--heap-growing-percent` is read by V8 at each full GC, so setting it after
 * start takes effect; heap size limits (`--max-old-space-size`,
 * `--max-semi-space-size`) are fixed at start and belong on the node command
 * line.
 */
import { setFlagsFromString } from 'node:v8'

export const HEAP_GROWING_PERCENT = 30

const GROWING_FLAG = /^--heap[-_]growing[-_]percent(=|$)/

/** True when the operator already chose the growth factor on the node command line. */
export function heapGrowthChosen(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => GROWING_FLAG.test(arg))
}

/**
 * Sets V8's heap growth to {@link HEAP_GROWING_PERCENT} unless node was started
 * with its own `--heap-growing-percent`.
 *
 * @returns whether the setting was applied.
 */
export function tuneHeapForService(execArgv: readonly string[] = process.execArgv): boolean {
  if (heapGrowthChosen(execArgv)) return false
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
