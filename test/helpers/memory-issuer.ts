/**
 * OIDC issuers in memory for unit tests: discovery, JWKS and distributed-claims
 * endpoints answered through injected HTTP clients, with the loopback issuer's
 * knobs (down, hanging, garbage, 500, wrong issuer, key rotation,
 * Cache-Control), and a manual monotonic clock for key lifetimes, retries and
 * deadlines. No sockets, no TLS, no sleeping.
 */
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http'
import { redactURL } from '../../src/go/redact-url.js'
import {
  IssuerFetchError,
  type HttpClient,
  type HttpGetOptions,
  type HttpResponse,
} from '../../src/issuer/http-client.js'
import { ManualMonotonicClock } from '../../src/runtime/clock.js'
import type { AuthenticatorOptions } from '../../src/token/authenticator.js'
import {
  familyKeys,
  rotatedKey,
  signWithKeys,
  type SignOptions,
  type TestKey,
} from './test-keys.js'
import type { AsymmetricAlg, Json } from './tokens.js'

/** What an endpoint does: serve normally, or misbehave. */
export type MemoryEndpointMode = 'ok' | 'garbage' | '500' | '404' | 'hang' | 'not-jwks'

export interface MemoryIssuerOptions {
  /** Host name under `.example.test` (default `issuer-<n>`). */
  host?: string
  /** Path under the origin that forms the issuer URL, e.g. `/tenant-a` (default none). */
  path?: string
  /** Which algorithms get a key (default RS256 and ES256: RSA key generation is the slow part of a test). */
  algorithms?: readonly AsymmetricAlg[]
  /** Name of a memoized key family: issuers with different names get different keys (default `default`). */
  keyFamily?: string
}

export interface MemoryTestIssuer {
  readonly url: string
  readonly origin: string
  /** No CA: the memory client trusts every issuer. */
  readonly caPem?: undefined
  readonly keys: Readonly<Record<string, TestKey>>
  readonly discoveryURL: string
  readonly jwksURL: string
  sign(claims: Json | string, opts?: SignOptions): string
  /** Requests seen per path. */
  count(path: string): number
  readonly knobs: {
    /** Every request fails as a reset connection (the issuer looks down). */
    down: boolean
    /** Every request waits until its caller gives up (deadline or close). */
    stalled: boolean
    discovery: MemoryEndpointMode
    jwks: MemoryEndpointMode
    /** `issuer` value served in discovery (default the real URL). */
    discoveryIssuer: string | undefined
    /** Omit `jwks_uri` from discovery. */
    omitJwksURI: boolean
    /** `jwks_uri` served in discovery (default the issuer's own `/jwks`). */
    jwksURI: string | undefined
    /** `Cache-Control` of the JWKS response. */
    cacheControl: string | undefined
  }
  /** Replaces the key for `alg` with a new one (new kid); the old one is dropped from the JWKS unless `keepOld`. */
  rotate(alg: AsymmetricAlg, opts?: { keepOld?: boolean }): TestKey
  /** Adds an extra raw JWK to the JWKS (e.g. hostile or unusable entries). */
  addRawJwk(jwk: Json): void
  /** Serves `body` at `path` (a distributed-claims endpoint); `status` default 200. Returns the full URL. */
  serveClaims(path: string, body: string, status?: number): string
  /** The Authorization header last seen at `path`. */
  lastAuthorization(path: string): string | undefined
  /** Nothing to stop; here so tests treat every kind of issuer alike. */
  stop(): Promise<void>
}

type Answer = { status: number; headers?: IncomingHttpHeaders; body: string } | 'hang'

interface Route {
  answer(path: string, headers: Record<string, string>): Answer
  readonly knobs: MemoryTestIssuer['knobs']
}

export interface MemoryNetwork {
  /** The monotonic clock the authenticator is given: advance it to fire retries, refreshes and deadlines. */
  readonly clock: ManualMonotonicClock
  /** A new issuer at `https://<host>.example.test<path>`. */
  issuer(opts?: MemoryIssuerOptions): MemoryTestIssuer
  /** `httpClientFor` and `monotonicClock` for the authenticator. */
  options(): Pick<AuthenticatorOptions, 'httpClientFor' | 'monotonicClock'>
  /** An HTTP client on this network (what each issuer runtime gets). */
  client(): HttpClient
  /** Lets every answer already given run through its awaiting code. */
  settle(): Promise<void>
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd()
}

function misbehave(mode: MemoryEndpointMode): Answer | undefined {
  switch (mode) {
    case 'ok':
      return undefined
    case 'garbage':
      return { status: 200, body: '{not json' }
    case '500':
      return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' }
    case '404':
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not here' }
    case 'not-jwks':
      return { status: 200, body: '{"keys":"nope"}' }
    case 'hang':
      return 'hang'
  }
}

export function memoryNetwork(): MemoryNetwork {
  const routes = new Map<string, Route>()
  const clock = new ManualMonotonicClock()
  let hosts = 0

  function client(): HttpClient {
    const waiting = new Set<(reason: string) => void>()
    return {
      async get(href: string, get: HttpGetOptions = {}): Promise<HttpResponse> {
        const shown = JSON.stringify(redactURL(href))
        let url: URL
        try {
          url = new URL(href)
        } catch {
          throw new IssuerFetchError(`parse ${shown}: invalid URL`)
        }
        if (url.protocol !== 'https:')
          throw new IssuerFetchError(
            `Get ${shown}: unsupported protocol scheme ${JSON.stringify(url.protocol.slice(0, -1))}`,
          )
        const route = routes.get(url.origin)
        if (route === undefined) throw new IssuerFetchError(`Get ${shown}: connect ECONNREFUSED`)
        const answer = route.knobs.down
          ? undefined
          : route.knobs.stalled
            ? 'hang'
            : route.answer(url.pathname, get.headers ?? {})
        if (answer === undefined) throw new IssuerFetchError(`Get ${shown}: socket hang up`)
        if (answer === 'hang') {
          // As the real client: fails only when the caller's deadline passes or the client closes.
          await new Promise<never>((_resolve, reject) => {
            const fail = (reason: string): void => {
              waiting.delete(fail)
              reject(new IssuerFetchError(`Get ${shown}: ${reason}`))
            }
            waiting.add(fail)
            const signal = get.signal
            if (signal === undefined) return
            const onAbort = (): void =>
              fail(signal.reason instanceof Error ? signal.reason.message : 'request aborted')
            if (signal.aborted) onAbort()
            else signal.addEventListener('abort', onAbort, { once: true })
          })
        }
        const { status, headers, body } = answer as Exclude<Answer, 'hang'>
        return {
          url: href,
          status,
          statusText: statusText(status),
          headers: headers ?? { 'content-type': 'application/json' },
          body: Buffer.from(body, 'utf8'),
        }
      },
      close() {
        for (const fail of [...waiting]) fail('client closed')
      },
    }
  }

  function issuer(opts: MemoryIssuerOptions = {}): MemoryTestIssuer {
    const origin = `https://${opts.host ?? `issuer-${++hosts}`}.example.test`
    if (routes.has(origin)) throw new Error(`memory network: ${origin} is taken`)
    const path = opts.path ?? ''
    const url = origin + path
    const family = opts.keyFamily ?? 'default'
    const keys = familyKeys(family, opts.algorithms ?? ['RS256', 'ES256'])
    const extraJwks: Json[] = []
    const counts = new Map<string, number>()
    const claimBodies = new Map<string, { body: string; status: number }>()
    const authorizations = new Map<string, string | undefined>()
    const knobs: MemoryTestIssuer['knobs'] = {
      down: false,
      stalled: false,
      discovery: 'ok',
      jwks: 'ok',
      discoveryIssuer: undefined,
      omitJwksURI: false,
      jwksURI: undefined,
      cacheControl: undefined,
    }

    function answer(reqPath: string, headers: Record<string, string>): Answer {
      counts.set(reqPath, (counts.get(reqPath) ?? 0) + 1)
      if (
        reqPath === `${path}/.well-known/openid-configuration` ||
        reqPath === '/custom/discovery'
      ) {
        const odd = misbehave(knobs.discovery)
        if (odd !== undefined) return odd
        const doc: Json = {
          issuer: knobs.discoveryIssuer ?? url,
          id_token_signing_alg_values_supported: ['RS256'],
        }
        if (!knobs.omitJwksURI) doc.jwks_uri = knobs.jwksURI ?? `${url}/jwks`
        return { status: 200, body: JSON.stringify(doc) }
      }
      if (reqPath === `${path}/jwks`) {
        const odd = misbehave(knobs.jwks)
        if (odd !== undefined) return odd
        const responseHeaders: IncomingHttpHeaders = { 'content-type': 'application/json' }
        if (knobs.cacheControl !== undefined) responseHeaders['cache-control'] = knobs.cacheControl
        const body = { keys: [...Object.values(keys).map((k) => k.publicJwk), ...extraJwks] }
        return { status: 200, headers: responseHeaders, body: JSON.stringify(body) }
      }
      const claim = claimBodies.get(reqPath)
      if (claim !== undefined) {
        authorizations.set(reqPath, headers.authorization)
        return {
          status: claim.status,
          headers: { 'content-type': 'application/jwt' },
          body: claim.body,
        }
      }
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' }
    }

    routes.set(origin, { answer, knobs })
    return {
      url,
      origin,
      keys,
      discoveryURL: `${url}/.well-known/openid-configuration`,
      jwksURL: `${url}/jwks`,
      knobs,
      sign: (claims, signOpts = {}) => signWithKeys(keys, claims, signOpts),
      count: (p) => counts.get(p) ?? 0,
      rotate(alg, rotateOpts = {}) {
        const old = keys[alg]
        const next = rotatedKey(family, alg)
        if (rotateOpts.keepOld === true && old !== undefined) extraJwks.push(old.publicJwk)
        keys[alg] = next
        return next
      },
      addRawJwk(jwk) {
        extraJwks.push(jwk)
      },
      serveClaims(p, body, status = 200) {
        claimBodies.set(p, { body, status })
        return origin + p
      },
      lastAuthorization: (p) => authorizations.get(p),
      stop: async () => {
        routes.delete(origin)
      },
    }
  }

  return {
    clock,
    issuer,
    client,
    options: () => ({ httpClientFor: () => client(), monotonicClock: clock }),
    async settle() {
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
    },
  }
}
