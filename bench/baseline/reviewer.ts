/**
 * The baseline: a hand-written, minimal TokenReview on node:crypto doing the
 * same work as the service for the bench's configuration (parse the review,
 * split the JWT, decode header and payload, pick the key by issuer and kid,
 * verify with a pre-imported KeyObject, check aud/exp/nbf, map username and
 * groups with their prefixes, render JSON), plus a result cache keyed by
 * SHA-256 of token and audiences, bounded and TTL-capped by `exp` like the
 * service's. It is what "fast" means on this machine, not a second
 * implementation of the spec: no CEL, no claim rules, no distributed claims.
 */
import { createHash, createPublicKey, verify, type KeyObject, type JsonWebKey } from 'node:crypto'
import type { BaselineConfig } from '../configs.js'

/** go-oidc's allowed clock skew for `nbf`. */
const NBF_LEEWAY_S = 300

interface Key {
  readonly alg: string
  readonly key: KeyObject
}

interface Issuer {
  readonly audiences: ReadonlySet<string>
  readonly usernamePrefix: string
  readonly groupsPrefix: string
  readonly keys: ReadonlyMap<string, Key>
}

interface CacheEntry {
  readonly expiresAt: number
  readonly status: string
}

export interface BaselineAnswer {
  readonly statusCode: number
  readonly body: string
}

const API_VERSIONS = new Set(['authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1'])

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function rejected(error: string): string {
  return JSON.stringify({ authenticated: false, error })
}

function cacheKey(token: string, audiences: readonly string[]): string {
  const hash = createHash('sha256').update(`${token.length}:`).update(token)
  for (const audience of audiences) hash.update(`\n${audience.length}:`).update(audience)
  return hash.digest('base64url')
}

/** Builds the per-request function once: keys imported, issuers indexed. */
export function createBaselineReviewer(
  config: Pick<BaselineConfig, 'issuers' | 'cacheTtlMs' | 'cacheMaxEntries'>,
): (body: Buffer, nowMs: number) => BaselineAnswer {
  const issuers = new Map<string, Issuer>()
  for (const issuer of config.issuers) {
    const keys = new Map<string, Key>()
    for (const k of issuer.keys) {
      keys.set(k.kid, {
        alg: k.alg,
        key: createPublicKey({ key: k.jwk as JsonWebKey, format: 'jwk' }),
      })
    }
    issuers.set(issuer.url, {
      audiences: new Set(issuer.audiences),
      usernamePrefix: issuer.usernamePrefix,
      groupsPrefix: issuer.groupsPrefix,
      keys,
    })
  }
  const cache = new Map<string, CacheEntry>()

  function verifyToken(token: string, nowS: number): { status: string; exp: number } {
    const dot1 = token.indexOf('.')
    const dot2 = dot1 === -1 ? -1 : token.indexOf('.', dot1 + 1)
    if (dot2 === -1 || token.indexOf('.', dot2 + 1) !== -1)
      return { status: JSON.stringify({ authenticated: false }), exp: 0 }
    const header = decodeSegment(token.slice(0, dot1))
    const payload = decodeSegment(token.slice(dot1 + 1, dot2))
    if (header === undefined || payload === undefined)
      return { status: JSON.stringify({ authenticated: false }), exp: 0 }
    const issuer = typeof payload['iss'] === 'string' ? issuers.get(payload['iss']) : undefined
    if (issuer === undefined) return { status: JSON.stringify({ authenticated: false }), exp: 0 }
    const key = typeof header['kid'] === 'string' ? issuer.keys.get(header['kid']) : undefined
    if (key === undefined || key.alg !== header['alg'])
      return { status: rejected('no matching key'), exp: 0 }
    const signature = Buffer.from(token.slice(dot2 + 1), 'base64url')
    const input = Buffer.from(token.slice(0, dot2), 'latin1')
    const ok =
      key.alg === 'ES256'
        ? verify('sha256', input, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature)
        : verify('sha256', input, key.key, signature)
    if (!ok) return { status: rejected('failed to verify signature'), exp: 0 }
    const aud = payload['aud']
    const auds = Array.isArray(aud) ? aud : [aud]
    if (!auds.some((a) => typeof a === 'string' && issuer.audiences.has(a))) {
      return { status: rejected('audience mismatch'), exp: 0 }
    }
    const exp = payload['exp']
    if (typeof exp !== 'number' || nowS > exp)
      return { status: rejected('token is expired'), exp: 0 }
    const nbf = payload['nbf']
    if (typeof nbf === 'number' && nowS + NBF_LEEWAY_S < nbf)
      return { status: rejected('token not yet valid'), exp: 0 }
    const sub = payload['sub']
    if (typeof sub !== 'string') return { status: rejected('claim not present'), exp: 0 }
    const user: { username: string; groups?: string[] } = { username: issuer.usernamePrefix + sub }
    const groups = payload['groups']
    const list = typeof groups === 'string' ? [groups] : Array.isArray(groups) ? groups : []
    if (list.length > 0) {
      if (!list.every((g) => typeof g === 'string'))
        return { status: rejected('groups must be strings'), exp: 0 }
      user.groups = list.map((g: string) => issuer.groupsPrefix + g)
    }
    return { status: JSON.stringify({ authenticated: true, user }), exp }
  }

  return (body, nowMs) => {
    let review: unknown
    try {
      review = JSON.parse(body.toString('utf8'))
    } catch {
      return { statusCode: 400, body: '{"error":"malformed JSON"}' }
    }
    const r = review as {
      apiVersion?: unknown
      kind?: unknown
      spec?: { token?: unknown; audiences?: unknown }
    }
    const token = r.spec?.token
    if (
      r.kind !== 'TokenReview' ||
      typeof r.apiVersion !== 'string' ||
      !API_VERSIONS.has(r.apiVersion)
    ) {
      return { statusCode: 400, body: '{"error":"not a TokenReview"}' }
    }
    if (typeof token !== 'string' || token === '')
      return { statusCode: 400, body: '{"error":"spec.token is required"}' }
    const audiences = Array.isArray(r.spec?.audiences)
      ? (r.spec.audiences as unknown[]).map(String)
      : []
    const prefix = `{"apiVersion":"${r.apiVersion}","kind":"TokenReview","status":`
    const key = config.cacheTtlMs > 0 ? cacheKey(token, audiences) : ''
    if (key !== '') {
      const hit = cache.get(key)
      if (hit !== undefined && hit.expiresAt > nowMs)
        return { statusCode: 200, body: `${prefix}${hit.status}}` }
      if (hit !== undefined) cache.delete(key)
    }
    const { status, exp } = verifyToken(token, Math.floor(nowMs / 1000))
    const expiresAt = Math.min(nowMs + config.cacheTtlMs, exp * 1000)
    if (key !== '' && expiresAt > nowMs) {
      if (cache.size >= config.cacheMaxEntries) {
        const oldest = cache.keys().next()
        if (oldest.done !== true) cache.delete(oldest.value)
      }
      cache.set(key, { expiresAt, status })
    }
    return { statusCode: 200, body: `${prefix}${status}}` }
  }
}
