/** Messages between bench/run.ts and the load generator child process. */
import type { LatencySummary } from '../stats.js'

/** kube-apiserver's own audience, always first in `spec.audiences`. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local'

export interface LoadSpec {
  readonly port: number
  readonly caPem: string
  /** Keep-alive connections; each carries one request at a time (HTTP/1.1, no pipelining). */
  readonly connections: number
  /** closed: every connection sends again as soon as it is answered; open: requests are due at a fixed rate. */
  readonly mode: 'closed' | 'open'
  /** Requests per second (open mode). */
  readonly rate?: number
  /** Not counted; ignored in count mode. */
  readonly warmupMs: number
  readonly durationMs: number
  /** Count mode: stop after exactly this many answers (no warmup, no time limit). */
  readonly maxRequests?: number
  /** One token per line; request i uses line (tokenStart + i) mod lines. */
  readonly tokensFile?: string
  readonly tokenStart: number
  /** Used for every request instead of the file (cached phase). */
  readonly fixedToken?: string
  readonly apiVersion: 'authentication.k8s.io/v1' | 'authentication.k8s.io/v1beta1'
  /**
   * When set, `spec.audiences` gets a second entry `<tag>-<lap>` where lap
   * counts passes over the pool: the cache key covers the audiences (as
   * kube-apiserver's does), so every request is a distinct cache key even
   * when the pool is reused.
   */
  readonly tag?: string
  /**
   * Instead of TokenReviews: `GET <get>` with `Authorization: Bearer <token>`,
   * as kubectl sends through the proxy; an answer counts as ok when it is 200.
   */
  readonly get?: string
}

export interface LoadResult {
  /** Answers completed inside the measurement window. */
  readonly completed: number
  /** Of those, 200 with `"authenticated":true`. */
  readonly ok: number
  readonly failed: number
  /** Status line and at most 200 bytes of the first failed answer (bench tokens only, never a user's). */
  readonly firstFailure?: string
  readonly elapsedMs: number
  readonly latency: LatencySummary
  /** Next unused pool index (tokenStart + requests sent). */
  readonly nextTokenIndex: number
  readonly connectionsOpened: number
  /** Open mode: requests due in the window but not answered by its end (counted in the latencies, not in `completed`). */
  readonly incomplete: number
}

export type ParentMessage =
  { readonly type: 'run'; readonly spec: LoadSpec } | { readonly type: 'exit' }
export type ChildMessage =
  | { readonly type: 'mark' }
  | { readonly type: 'done'; readonly result: LoadResult }
  | { readonly type: 'error'; readonly message: string }
