/**
 * `node .bench-build/bench/profile-summary.js FILE.cpuprofile [N]`: the top
 * functions by self time, the files they live in, and the top functions by
 * inclusive time (self plus callees), from a V8 CPU profile written by
 * `npm run bench -- --cpu-prof`. Samples before the first HTTP request are
 * skipped, so start-up (module loading, config compilation) is left out.
 * Enough to see what dominates a review without opening DevTools.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: readonly number[]
}

/** The function that marks the first request: samples before it are start-up. */
const FIRST_REQUEST = 'parserOnIncoming'

interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

function shortUrl(url: string): string {
  if (url === '') return '(native)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length)
  const dist = url.indexOf('/dist/')
  return dist !== -1 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '')
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  return `${functionName || '(anonymous)'} ${shortUrl(url)}${url === '' ? '' : `:${lineNumber + 1}`}`
}

function main(): void {
  const [path, topArg] = process.argv.slice(2)
  if (path === undefined) {
    process.stderr.write('usage: profile-summary.js FILE.cpuprofile [N]\n')
    process.exitCode = 2
    return
  }
  const top = Number(topArg ?? 25)
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)
      if (node !== undefined) stack.push(node)
    }
    return stack
  }
  const selfUs = new Map<number, number>()
  const inclusive = new Map<string, number>()
  let started = false
  profile.samples.forEach((id, i) => {
    const stack = stackOf(id)
    started ||= stack.some((n) => n.callFrame.functionName === FIRST_REQUEST)
    if (!started) return
    const us = profile.timeDeltas[i] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + us)
    if (stack[0]?.callFrame.functionName === '(idle)') return
    for (const name of new Set(stack.map(functionLabel)))
      inclusive.set(name, (inclusive.get(name) ?? 0) + us)
  })
  let total = 0
  let idle = 0
  const byFunction = new Map<string, number>()
  const byFile = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node === undefined) continue
    total += us
    const { functionName, url } = node.callFrame
    if (functionName === '(idle)') idle += us
    const fn = functionLabel(node)
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
    const file = url === '' ? functionName : shortUrl(url)
    byFile.set(file, (byFile.get(file) ?? 0) + us)
  }
  const busy = total - idle
  const pct = (us: number): string => `${((us / busy) * 100).toFixed(1).padStart(5)} %`
  const print = (title: string, map: Map<string, number>): void => {
    process.stdout.write(
      `\n${title} (share of non-idle time, ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s)\n`,
    )
    for (const [name, us] of [...map]
      .filter(([n]) => !n.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)) {
      process.stdout.write(`${pct(us)}  ${name}\n`)
    }
  }
  print('self time by function', byFunction)
  print('self time by file', byFile)
  print('inclusive time by function', inclusive)
}

main()
