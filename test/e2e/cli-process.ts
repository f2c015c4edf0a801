/**
 * Runs the built CLI (`node dist/cli.js`) as a child process, as users and
 * the container do. `npm test` builds dist first.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

export function assertBuilt(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`)
}

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface Running {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves when the process exits, at most after `timeoutMs` (then it is killed). */
  exited(timeoutMs?: number): Promise<Finished>
}

export function startCli(args: readonly string[], opts: { stdin?: string } = {}): Running {
  assertBuilt()
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')))
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin)
  else child.stdin?.end()
  const done = new Promise<Finished>((resolve) => {
    child.once('exit', (code, signal) => {
      // let the pipes drain
      setImmediate(() => resolve({ code, signal, stdout: out, stderr: err }))
    })
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited(timeoutMs = 20_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      return done.finally(() => clearTimeout(timer))
    },
  }
}

/** Runs the CLI to completion. */
export function runCli(
  args: readonly string[],
  opts: { stdin?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return startCli(args, opts).exited(opts.timeoutMs)
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers `status` (or throws after `timeoutMs`). */
export async function waitFor(
  url: string,
  status = 200,
  timeoutMs = 15_000,
  proc?: Running,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(url)
      await res.text()
      if (res.status === status) return
    } catch {
      // not listening yet
    }
    if (proc !== undefined && proc.child.exitCode !== null) {
      throw new Error(
        `process exited (${proc.child.exitCode}) before ${url} answered ${status}:\n${proc.stderr()}`,
      )
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
