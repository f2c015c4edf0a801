/**
 * A real HTTPS OIDC issuer on 127.0.0.1:0 for tests: a CA made in the test,
 * discovery, a JWKS with keys for all nine algorithms, signing, per-path request
 * counters, and knobs to misbehave (down, slow, garbage, huge, 500, wrong
 * issuer, key rotation, Cache-Control, distributed-claims endpoints).
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  createCertificateAuthority,
  createServerCertificate,
  type CertificateAuthority,
} from '../../src/dev/certificates.js'
import { staticKeySet } from '../../src/issuer/static-key-set.js'
import type { KeySet } from '../../src/issuer/key-set.js'
import {
  ALL_ALGS,
  familyKeys,
  rotatedKey,
  signWithKeys,
  type SignOptions,
  type TestKey,
} from './test-keys.js'
import type { AsymmetricAlg, Json } from './tokens.js'

export { ALL_ALGS, type SignOptions, type TestKey }

/** What an endpoint does: serve normally, or misbehave. */
export type EndpointMode = 'ok' | 'garbage' | 'huge' | '500' | '404' | 'hang' | 'not-jwks'

export interface TestIssuerOptions {
  /** Reuse a CA (faster, and lets several issuers share one trust bundle). */
  ca?: CertificateAuthority
  /** Path under the origin that forms the issuer URL, e.g. `/tenant-a` (default none). */
  path?: string
  /** Which algorithms get a key (default all nine). */
  algorithms?: readonly AsymmetricAlg[]
  /** Name of a memoized key family: issuers with different names get different keys (default `default`). */
  keyFamily?: string
}

export interface TestIssuer {
  readonly url: string
  readonly origin: string
  readonly caPem: string
  readonly ca: CertificateAuthority
  /** Keys currently known to the issuer, by algorithm. */
  readonly keys: Readonly<Record<string, TestKey>>
  /** `url` + `/.well-known/openid-configuration`. */
  readonly discoveryURL: string
  readonly jwksURL: string
  sign(claims: Json | string, opts?: SignOptions): string
  /** Requests seen per path. */
  count(path: string): number
  readonly knobs: {
    /** Reset every connection (the issuer looks down). */
    down: boolean
    /** Delay every response by this many ms. */
    delayMs: number
    discovery: EndpointMode
    jwks: EndpointMode
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
  /** Removes a key from the JWKS by kid. */
  dropKey(kid: string): void
  /** Adds an extra raw JWK to the JWKS (e.g. hostile or unusable entries). */
  addRawJwk(jwk: Json): void
  /** Serves `body` at `path` (a distributed-claims endpoint); `status` default 200. Returns the full URL. */
  serveClaims(path: string, body: string, status?: number): string
  /** The Authorization header last seen at `path`. */
  lastAuthorization(path: string): string | undefined
  stop(): Promise<void>
}

let sharedCA: Promise<CertificateAuthority> | undefined
/** One CA per test process unless a test asks for its own. */
export function testCA(): Promise<CertificateAuthority> {
  sharedCA ??= createCertificateAuthority({ commonName: 'test issuer CA' })
  return sharedCA
}

export async function startTestIssuer(opts: TestIssuerOptions = {}): Promise<TestIssuer> {
  const ca = opts.ca ?? (await testCA())
  const serving = await createServerCertificate(ca, { commonName: 'localhost' })
  const family = opts.keyFamily ?? 'default'
  const keys = familyKeys(family, opts.algorithms)
  const extraJwks: Json[] = []
  const counts = new Map<string, number>()
  const claimBodies = new Map<string, { body: string; status: number }>()
  const authorizations = new Map<string, string | undefined>()
  const sockets = new Set<Socket>()
  const knobs: TestIssuer['knobs'] = {
    down: false,
    delayMs: 0,
    discovery: 'ok',
    jwks: 'ok',
    discoveryIssuer: undefined,
    omitJwksURI: false,
    jwksURI: undefined,
    cacheControl: undefined,
  }
  const path = opts.path ?? ''
  let origin = ''
  const url = (): string => origin + path

  function misbehave(res: ServerResponse, mode: EndpointMode): boolean {
    switch (mode) {
      case 'ok':
        return false
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{not json')
        return true
      case 'huge':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`)
        return true
      case '500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom')
        return true
      case '404':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here')
        return true
      case 'not-jwks':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"nope"}')
        return true
      case 'hang':
        return true // never answer
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const reqPath = new URL(req.url ?? '/', 'https://x').pathname
    counts.set(reqPath, (counts.get(reqPath) ?? 0) + 1)
    if (knobs.down) {
      req.socket.destroy()
      return
    }
    if (reqPath === `${path}/.well-known/openid-configuration` || reqPath === '/custom/discovery') {
      if (misbehave(res, knobs.discovery)) return
      const doc: Json = {
        issuer: knobs.discoveryIssuer ?? url(),
        id_token_signing_alg_values_supported: ['RS256'],
      }
      if (!knobs.omitJwksURI) doc.jwks_uri = knobs.jwksURI ?? `${url()}/jwks`
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc))
      return
    }
    if (reqPath === `${path}/jwks`) {
      if (misbehave(res, knobs.jwks)) return
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (knobs.cacheControl !== undefined) headers['cache-control'] = knobs.cacheControl
      const body = { keys: [...Object.values(keys).map((k) => k.publicJwk), ...extraJwks] }
      res.writeHead(200, headers).end(JSON.stringify(body))
      return
    }
    const claim = claimBodies.get(reqPath)
    if (claim !== undefined) {
      authorizations.set(reqPath, req.headers.authorization)
      res.writeHead(claim.status, { 'content-type': 'application/jwt' }).end(claim.body)
      return
    }
    res.writeHead(404).end('not found')
  }

  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      if (knobs.delayMs > 0) setTimeout(() => handle(req, res), knobs.delayMs)
      else handle(req, res)
    },
  )
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    get url() {
      return url()
    },
    origin,
    caPem: ca.certPem,
    ca,
    keys,
    discoveryURL: `${url()}/.well-known/openid-configuration`,
    jwksURL: `${url()}/jwks`,
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
    dropKey(kid) {
      for (const [alg, k] of Object.entries(keys)) if (k.kid === kid) delete keys[alg]
      for (let i = extraJwks.length - 1; i >= 0; i--)
        if (extraJwks[i]?.kid === kid) extraJwks.splice(i, 1)
    },
    addRawJwk(jwk) {
      extraJwks.push(jwk)
    },
    serveClaims(p, body, status = 200) {
      claimBodies.set(p, { body, status })
      return origin + p
    },
    lastAuthorization: (p) => authorizations.get(p),
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** An issuer without a server: its keys go to the authenticator as a static key set. */
export interface StaticTestIssuer {
  readonly url: string
  /** No CA: nothing is fetched. */
  readonly caPem?: undefined
  readonly keys: Readonly<Record<string, TestKey>>
  sign(claims: Json | string, opts?: SignOptions): string
  /** The JWKS document of the current keys. */
  jwks(): Json
  /** For `AuthenticatorOptions.keySetFor`: this issuer's keys, for its URL only. */
  keySetFor(issuer: { url: string }): KeySet | undefined
  /** Nothing to stop; here so tests treat both kinds alike. */
  stop(): Promise<void>
}

/**
 * Static keys and signing with the same key families as {@link startTestIssuer},
 * as Kubernetes' oidc_test.go does with its static key set: no TLS, no
 * discovery, no fetches.
 */
export function staticTestIssuer(
  opts: { url?: string; algorithms?: readonly AsymmetricAlg[]; keyFamily?: string } = {},
): StaticTestIssuer {
  const url = opts.url ?? 'https://issuer.example.test'
  const keys = familyKeys(opts.keyFamily ?? 'default', opts.algorithms)
  const jwks = (): Json => ({ keys: Object.values(keys).map((k) => k.publicJwk) })
  return {
    url,
    keys,
    sign: (claims, signOpts = {}) => signWithKeys(keys, claims, signOpts),
    jwks,
    keySetFor: (issuer) => (issuer.url === url ? staticKeySet(jwks()) : undefined),
    stop: async () => {},
  }
}

/** The public JWK of a private key (for hostile header tests). */
export function publicJwkOf(key: KeyObject): Json {
  return createPublicKey(key).export({ format: 'jwk' }) as Json
}
