/**
 * The load generator, a child process of bench/run.ts (so its CPU is not the
 * server's): keep-alive HTTPS/1.1 connections that trust the bench CA, each
 * with one TokenReview in flight, like kube-apiserver's webhook client.
 * Closed loop measures throughput; open loop sends at a fixed rate and
 * measures latency from when each request was due (no coordinated omission).
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import tls from 'node:tls'
import { summarizeLatencies } from '../stats.js'
import {
  API_AUDIENCE,
  type ChildMessage,
  type LoadResult,
  type LoadSpec,
  type ParentMessage,
} from './protocol.js'
import { isAuthenticated, parseResponses } from './response-parser.js'

const pools = new Map<string, string[]>()

function loadPool(path: string): string[] {
  let pool = pools.get(path)
  if (pool === undefined) {
    pool = readFileSync(path, 'latin1')
      .split('\n')
      .filter((line) => line.length > 0)
    pools.set(path, pool)
  }
  return pool
}

function send(message: ChildMessage): void {
  process.send?.(message)
}

interface Connection {
  socket: tls.TLSSocket
  buffer: Buffer
  busy: boolean
  /** When the in-flight request was due (open loop) or sent (closed loop). */
  startedAt: number
}

function run(spec: LoadSpec): Promise<LoadResult> {
  const pool = spec.fixedToken === undefined ? loadPool(spec.tokensFile ?? '') : [spec.fixedToken]
  if (pool.length === 0) throw new Error('empty token pool')
  const head =
    `POST /authenticate?timeout=30s HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\n` +
    'User-Agent: Go-http-client/1.1\r\nAccept: application/json, */*\r\nContent-Type: application/json\r\n' +
    'Accept-Encoding: gzip\r\nContent-Length: '
  const bodyPrefix = `{"kind":"TokenReview","apiVersion":"${spec.apiVersion}","metadata":{"creationTimestamp":null},"spec":{"token":"`
  const audiencesFixed = JSON.stringify([API_AUDIENCE])
  let nextIndex = spec.tokenStart
  const getHead =
    spec.get === undefined
      ? undefined
      : `GET ${spec.get} HTTP/1.1\r\nHost: 127.0.0.1:${spec.port}\r\n` +
        'User-Agent: kubectl/v1.32.4 (linux/amd64) kubernetes/bench\r\nAccept: application/json, */*\r\n' +
        'Accept-Encoding: gzip\r\nAuthorization: Bearer '
  const request = (): string => {
    if (getHead !== undefined)
      return `${getHead}${pool[nextIndex++ % pool.length] as string}\r\n\r\n`
    const i = nextIndex++
    const token = pool[i % pool.length] as string
    const audiences =
      spec.tag === undefined
        ? audiencesFixed
        : JSON.stringify([API_AUDIENCE, `${spec.tag}-${Math.floor(i / pool.length)}`])
    const body = `${bodyPrefix}${token}","audiences":${audiences}},"status":{"user":{}}}`
    return `${head}${body.length}\r\n\r\n${body}`
  }

  const countMode = spec.maxRequests !== undefined
  let state: 'warmup' | 'measure' | 'stopped' = 'warmup'
  let sent = 0
  let completed = 0
  let ok = 0
  let failed = 0
  let firstFailure: string | undefined
  let connectionsOpened = 0
  const latencies: number[] = []
  let windowStart = 0
  const queue: number[] = []
  let queueHead = 0
  const connections: Connection[] = []
  let finish: (result: LoadResult) => void = () => undefined
  const done = new Promise<LoadResult>((resolve) => (finish = resolve))
  const timers: NodeJS.Timeout[] = []
  let tickTimer: NodeJS.Timeout | undefined

  const record = (conn: Connection, success: boolean, failure: () => string): void => {
    if (state !== 'measure') return
    completed++
    if (success) ok++
    else {
      failed++
      firstFailure ??= failure()
    }
    latencies.push(performance.now() - conn.startedAt)
    if (countMode && completed >= (spec.maxRequests ?? 0)) stop()
  }

  const canSend = (): boolean =>
    state !== 'stopped' && (!countMode || sent < (spec.maxRequests ?? 0))

  const dispatch = (conn: Connection): void => {
    if (conn.busy || !canSend() || conn.socket.destroyed || !conn.socket.writable) return
    if (spec.mode === 'open') {
      if (queueHead >= queue.length) return
      conn.startedAt = queue[queueHead++] as number
    } else {
      conn.startedAt = performance.now()
    }
    conn.busy = true
    sent++
    conn.socket.write(request(), 'latin1')
  }

  const dispatchAll = (): void => {
    for (const conn of connections) {
      if (spec.mode === 'open' && queueHead >= queue.length) break
      dispatch(conn)
    }
    if (queueHead > 4096 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead)
      queueHead = 0
    }
  }

  const open = (slot: number): void => {
    connectionsOpened++
    const socket = tls.connect({
      host: '127.0.0.1',
      port: spec.port,
      ca: spec.caPem,
      ALPNProtocols: ['http/1.1'],
    })
    socket.setNoDelay(true)
    const conn: Connection = { socket, buffer: Buffer.alloc(0), busy: false, startedAt: 0 }
    connections[slot] = conn
    socket.on('secureConnect', () => dispatch(conn))
    socket.on('data', (chunk: Buffer) => {
      conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk])
      let parsed
      try {
        parsed = parseResponses(conn.buffer)
      } catch (err) {
        firstFailure ??= `unparseable response: ${(err as Error).message}`
        socket.destroy()
        return
      }
      conn.buffer = parsed.rest
      for (const response of parsed.responses) {
        conn.busy = false
        record(
          conn,
          spec.get === undefined ? isAuthenticated(response) : response.statusCode === 200,
          () => `${response.statusCode} ${response.body.toString('utf8', 0, 200)}`,
        )
        if (response.close) {
          socket.destroy()
          return
        }
      }
      dispatch(conn)
    })
    socket.on('error', (err) => {
      firstFailure ??= `connection error: ${err.message}`
    })
    socket.on('close', () => {
      if (conn.busy) {
        conn.busy = false
        record(conn, false, () => 'connection closed with a request in flight')
      }
      if (state !== 'stopped') setTimeout(() => open(slot), 10)
    })
  }

  const stop = (): void => {
    if (state === 'stopped') return
    const now = performance.now()
    const elapsedMs = now - windowStart
    // Open loop: requests still queued or in flight are late, not lost. Their
    // latency so far is a lower bound and goes into the percentiles, so a stall
    // at the end of the window is not hidden.
    let incomplete = 0
    if (spec.mode === 'open' && state === 'measure') {
      for (const conn of connections) {
        if (conn.busy && conn.startedAt >= windowStart) {
          latencies.push(now - conn.startedAt)
          incomplete++
        }
      }
      for (let i = queueHead; i < queue.length; i++) {
        const due = queue[i] as number
        if (due >= windowStart && due <= now) {
          latencies.push(now - due)
          incomplete++
        }
      }
    }
    state = 'stopped'
    for (const timer of timers) clearTimeout(timer)
    clearTimeout(tickTimer)
    for (const conn of connections) conn.socket.destroy()
    finish({
      completed,
      ok,
      failed,
      ...(firstFailure === undefined ? {} : { firstFailure }),
      elapsedMs,
      latency: summarizeLatencies(Float64Array.from(latencies)),
      nextTokenIndex: nextIndex,
      connectionsOpened,
      incomplete,
    })
  }

  const startWindow = (): void => {
    state = 'measure'
    windowStart = performance.now()
    send({ type: 'mark' })
    if (!countMode) timers.push(setTimeout(stop, spec.durationMs))
  }

  if (spec.mode === 'open') {
    const interval = 1000 / (spec.rate ?? 1000)
    let due = performance.now()
    const tick = (): void => {
      if (state === 'stopped') return
      const now = performance.now()
      while (due <= now) {
        queue.push(due)
        due += interval
      }
      dispatchAll()
      tickTimer = setTimeout(tick, Math.max(0, Math.min(1, due - performance.now())))
    }
    tick()
  }
  for (let slot = 0; slot < spec.connections; slot++) open(slot)
  if (countMode || spec.warmupMs <= 0) startWindow()
  else timers.push(setTimeout(startWindow, spec.warmupMs))
  return done
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'exit') process.exit(0)
  run(message.spec).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) =>
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  )
})
