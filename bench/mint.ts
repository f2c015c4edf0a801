/**
 * Issuer keys and pre-minted token pools. Minting 100k RS256 tokens takes
 * ~40 s on two cores, so keys and pools are kept in .bench-build/cache and
 * reused while the tokens have hours left to live. Issuer URLs do not contain
 * the loopback issuer's (random) port: the service reaches discovery through
 * an explicit `discoveryURL`, so cached tokens stay valid across runs.
 */
import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

export const ISSUER_COUNT = 64
export const AUDIENCE = 'kube-oidc-webhook-bench'
const MATERIAL_VERSION = 1
const TOKEN_LIFETIME_S = 12 * 3600
/** A cached pool is reused only while every token has this much life left. */
const MIN_REMAINING_S = 3 * 3600

export type Alg = 'RS256' | 'ES256'

export interface SigningKey {
  readonly kid: string
  readonly alg: Alg
  readonly privatePem: string
  readonly publicJwk: JsonWebKey
}

export interface BenchIssuer {
  /** `issuer.url` in the config and `iss` in tokens. */
  readonly url: string
  /** Path segment under the loopback issuer server. */
  readonly name: string
  readonly keys: readonly SigningKey[]
}

interface Material {
  readonly version: number
  readonly iat: number
  readonly exp: number
  readonly issuers: BenchIssuer[]
}

export interface MintJob {
  readonly signers: readonly { iss: string; kid: string; alg: Alg; privatePem: string }[]
  readonly start: number
  readonly count: number
  readonly iat: number
  readonly exp: number
  readonly audience: string
  readonly subjectPrefix: string
}

export interface PoolRequest {
  /** File stem under the cache dir. */
  readonly name: string
  readonly alg: Alg
  /** Tokens go round-robin over the first `issuers` issuers. */
  readonly issuers: number
  readonly count: number
}

export interface Pools {
  readonly issuers: readonly BenchIssuer[]
  /** Pool name -> path of a file with one token per line. */
  readonly files: ReadonlyMap<string, string>
  /** One RS256 token per issuer, then one ES256 token of issuer 0: readiness probes and the cached phase. */
  readonly probes: readonly string[]
  readonly exp: number
}

function newKey(alg: Alg, kid: string): SigningKey {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' })
  return {
    kid,
    alg,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
  }
}

function newMaterial(nowS: number): Material {
  const issuers: BenchIssuer[] = []
  for (let i = 0; i < ISSUER_COUNT; i++) {
    const keys = [newKey('RS256', `rsa-${i}`)]
    if (i === 0) keys.push(newKey('ES256', `ec-${i}`))
    issuers.push({ url: `https://issuer-${i}.bench.invalid`, name: `issuer-${i}`, keys })
  }
  return { version: MATERIAL_VERSION, iat: nowS, exp: nowS + TOKEN_LIFETIME_S, issuers }
}

function signersFor(material: Material, alg: Alg, issuers: number): MintJob['signers'] {
  return material.issuers.slice(0, issuers).map((issuer) => {
    const key = issuer.keys.find((k) => k.alg === alg)
    if (key === undefined) throw new Error(`${issuer.name} has no ${alg} key`)
    return { iss: issuer.url, kid: key.kid, alg, privatePem: key.privatePem }
  })
}

function runWorker(job: MintJob): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./mint-worker.js', import.meta.url), { workerData: job })
    worker.once('message', (text: string) => resolve(text))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`mint worker exited with ${code}`))
    })
  })
}

/** Mints `count` tokens across every core; order is the global index order. */
async function mintParallel(
  material: Material,
  alg: Alg,
  issuers: number,
  count: number,
  subjectPrefix: string,
): Promise<string[]> {
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(count / 500)))
  const per = Math.ceil(count / workers)
  const signers = signersFor(material, alg, issuers)
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const start = w * per
      return runWorker({
        signers,
        start,
        count: Math.max(0, Math.min(per, count - start)),
        iat: material.iat,
        exp: material.exp,
        audience: AUDIENCE,
        subjectPrefix,
      })
    }),
  )
  return parts.filter((p) => p.length > 0).flatMap((p) => p.split('\n'))
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0
  const text = readFileSync(path, 'latin1')
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n
}

/**
 * Loads cached keys and pools or makes them. `log` reports progress
 * (minting is the slow part of a cold run).
 */
export async function preparePools(
  cacheDir: string,
  requests: readonly PoolRequest[],
  nowS: number,
  log: (line: string) => void,
): Promise<Pools> {
  mkdirSync(cacheDir, { recursive: true })
  const materialPath = join(cacheDir, 'material.json')
  let material: Material | undefined
  if (existsSync(materialPath)) {
    const cached = JSON.parse(readFileSync(materialPath, 'utf8')) as Material
    if (
      cached.version === MATERIAL_VERSION &&
      cached.exp - nowS >= MIN_REMAINING_S &&
      cached.iat <= nowS
    ) {
      material = cached
    }
  }
  let fresh = false
  if (material === undefined) {
    log('generating issuer keys (64 RSA-2048, 1 P-256)')
    material = newMaterial(nowS)
    writeFileSync(materialPath, JSON.stringify(material))
    fresh = true
  }
  const files = new Map<string, string>()
  for (const req of requests) {
    const path = join(cacheDir, `pool-${req.name}.txt`)
    files.set(req.name, path)
    if (!fresh && countLines(path) >= req.count) continue
    const started = Date.now()
    log(
      `minting ${req.count} ${req.alg} tokens over ${req.issuers} issuer(s) for pool "${req.name}"`,
    )
    const tokens = await mintParallel(
      material,
      req.alg,
      req.issuers,
      req.count,
      `${req.name}-user-`,
    )
    writeFileSync(path, `${tokens.join('\n')}\n`)
    log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  const probes = [
    ...(await mintParallel(material, 'RS256', ISSUER_COUNT, ISSUER_COUNT, 'probe-')),
    ...(await mintParallel(material, 'ES256', 1, 1, 'probe-es-')),
  ]
  return { issuers: material.issuers, files, probes, exp: material.exp }
}
