/**
 * Runs Kubernetes' oidc_test.go `TestToken` table (transcribed in oidc-cases.ts)
 * through our whole token path: the config compiler (`parseAuthenticationConfig`),
 * then `createConfigAuthenticator` with the case's `now`, discovering a real
 * loopback HTTPS issuer that serves the case's public keys, then a token signed
 * as the case says. Upstream's static KeySet becomes a served JWKS: fixed issuer
 * URLs such as https://auth.example.com are reached through `discoveryURL`.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { calculateJwkThumbprint, type JWK } from 'jose'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { fixedClock } from '../../src/runtime/clock.js'
import { createConfigAuthenticator } from '../../src/token/authenticator.js'
import type { AuthOutcome } from '../../src/token/types.js'
import { signJwt } from '../helpers/tokens.js'
import { startClaimServer, type ClaimServer } from './claim-server.js'
import {
  NOW,
  OIDC_TOKEN_CASES,
  type CaseKey,
  type Json,
  type KeyFile,
  type OidcCase,
} from './oidc-cases.js'

/** Go's `fmt.Sprintf("%v", time.Unix(expired.Unix(), 0))` with TZ=UTC. */
const EXPIRED_TEXT = '2009-11-10 22:00:00 +0000 UTC'
const DEFAULT_KEY: CaseKey = { file: 'rsa_1', alg: 'RS256' }

interface KeyPair {
  privateKey: KeyObject
  publicJwk: JWK
}
const keyFiles = new Map<KeyFile, KeyPair>()

function keyFile(file: KeyFile): KeyPair {
  let pair = keyFiles.get(file)
  if (pair === undefined) {
    const generated = file.startsWith('rsa')
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
    pair = {
      privateKey: generated.privateKey,
      publicJwk: generated.publicKey.export({ format: 'jwk' }) as JWK,
    }
    keyFiles.set(file, pair)
  }
  return pair
}

/** oidc_test.go `loadKey`: kid is the hex SHA-256 JWK thumbprint, `use: sig`, `alg` as loaded. */
async function publicJwk(key: CaseKey): Promise<JWK> {
  const jwk = keyFile(key.file).publicJwk
  const kid = Buffer.from(await calculateJwkThumbprint(jwk, 'sha256'), 'base64url').toString('hex')
  return { ...jwk, kid, use: 'sig', alg: key.alg }
}

/** go-jose's compact serialization with a JSONWebKey signer: header `{alg, kid}`. */
async function sign(key: CaseKey, claims: Json): Promise<string> {
  const { kid } = await publicJwk(key)
  return signJwt(
    key.alg,
    keyFile(key.file).privateKey,
    { alg: key.alg, kid },
    JSON.stringify(claims),
  )
}

function substitute<T>(value: T, url: string): T {
  return JSON.parse(
    JSON.stringify(value).replaceAll('{{.URL}}', url).replaceAll('{{.Expired}}', EXPIRED_TEXT),
  ) as T
}

function configFor(c: OidcCase, server: ClaimServer, forInit: boolean): string {
  const url = substitute(c.issuer?.url ?? 'https://auth.example.com', server.url)
  const issuer: Json = {
    url,
    audiences: c.issuer?.audiences ?? ['my-client'],
    certificateAuthority: server.caPem,
  }
  if (c.issuer?.audienceMatchPolicy !== undefined)
    issuer.audienceMatchPolicy = c.issuer.audienceMatchPolicy
  if (c.issuer?.egressSelectorType !== undefined)
    issuer.egressSelectorType = c.issuer.egressSelectorType
  if (c.issuer?.discoveryURL !== undefined)
    issuer.discoveryURL = substitute(c.issuer.discoveryURL, server.url)
  else if (c.wantNotInitialized)
    issuer.discoveryURL = 'https://127.0.0.1:1/.well-known/openid-configuration'
  else if (!forInit && url !== server.url)
    issuer.discoveryURL = `${server.url}/.well-known/openid-configuration`
  const entry: Json = {
    issuer,
    claimMappings: c.claimMappings ?? { username: { claim: 'username', prefix: '' } },
  }
  if (c.claimValidationRules !== undefined) entry.claimValidationRules = c.claimValidationRules
  if (c.userValidationRules !== undefined) entry.userValidationRules = c.userValidationRules
  return JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [entry],
  })
}

async function serve(c: OidcCase, server: ClaimServer): Promise<void> {
  const signing = c.signingKey ?? DEFAULT_KEY
  const url = substitute(c.issuer?.url ?? 'https://auth.example.com', server.url)
  const keys = await Promise.all((c.pubKeys ?? [DEFAULT_KEY]).map(publicJwk))
  const claimTokens: Record<string, string> = {}
  for (const [claim, body] of Object.entries(c.claimToResponseMap ?? {})) {
    claimTokens[claim] = await sign(signing, substitute(body, server.url))
  }
  server.current = {
    discovery: JSON.stringify(
      substitute(c.openIDConfig ?? { issuer: url, jwks_uri: '{{.URL}}/.testing/keys' }, server.url),
    ),
    jwks: JSON.stringify({ keys }),
    claimTokens,
  }
}

/** Upstream's expectation in our terms: user.DefaultInfo's nil fields are our empty ones. */
function expected(c: OidcCase, url: string): unknown {
  if (c.wantSkip) return { kind: 'not-mine' }
  if (c.wantNotInitialized)
    return { kind: 'rejected', message: 'oidc: authenticator not initialized' }
  if (c.wantErr !== undefined) return { kind: 'rejected', message: substitute(c.wantErr, url) }
  const want = c.want
  if (want === undefined) throw new Error(`case ${c.name} has no expectation`)
  return {
    kind: 'authenticated',
    user: {
      username: want.name,
      uid: want.uid ?? '',
      groups: want.groups ?? [],
      extra: want.extra ?? {},
    },
  }
}

function summarize(outcome: AuthOutcome): unknown {
  switch (outcome.kind) {
    case 'not-mine':
      return { kind: 'not-mine' }
    case 'authenticated':
      return { kind: 'authenticated', user: outcome.user }
    case 'rejected':
      return { kind: 'rejected', message: outcome.rejection.message }
  }
}

const portable = OIDC_TOKEN_CASES.filter((c) => c.unportable === undefined)
const unportable = OIDC_TOKEN_CASES.filter((c) => c.unportable !== undefined)
const tokenCases = portable.filter((c) => c.wantInitErr === undefined)
const initCases = portable.filter((c) => c.wantInitErr !== undefined)

let server: ClaimServer

beforeAll(async () => {
  server = await startClaimServer()
})
afterAll(async () => {
  await server.stop()
})

describe('oidc_test.go TestToken parity', () => {
  it('transcribes the whole upstream table', () => {
    expect(OIDC_TOKEN_CASES).toHaveLength(93)
    expect(new Set(OIDC_TOKEN_CASES.map((c) => c.name)).size).toBe(93)
    expect(OIDC_TOKEN_CASES.filter((c) => c.adjusted !== undefined).map((c) => c.name)).toEqual([
      'invalid-signature',
      'invalid-signing-alg',
      'health check failure',
      'valid egress type with error',
      'valid egress type with error - again',
      'valid egress type with no egress config',
      'valid egress type with no egress config for the given type',
    ])
    expect(unportable.map((c) => c.name)).toEqual([
      'groups-distributed invalid client',
      'invalid-sig-alg',
      'client and ca mutually exclusive',
      'keyset and discovery URL mutually exclusive',
      'valid egress type with broken dialer',
    ])
  })

  it.each(tokenCases)('$name', async (c) => {
    await serve(c, server)
    const parsed = parseAuthenticationConfig(configFor(c, server, false))
    if (!parsed.ok) throw new Error(`config refused: ${parsed.errors.join('; ')}`)
    const auth = createConfigAuthenticator(parsed.config, {
      clock: fixedClock(new Date(NOW * 1000)),
      discoveryRetryMs: 60_000,
    })
    try {
      await auth.waitForFirstAttempts(10_000)
      const claims = substitute(c.claims ?? {}, server.url)
      const token = await sign(c.signingKey ?? DEFAULT_KEY, claims)
      expect(summarize(await auth.authenticate(token))).toEqual(expected(c, server.url))
      expect(server.badAuthorizations).toEqual([])
    } finally {
      await auth.close()
      server.current = undefined
    }
  })

  it.each(initCases)('$name (config refused)', (c) => {
    const parsed = parseAuthenticationConfig(configFor(c, server, true), {
      disallowedIssuers: c.disallowedIssuers ?? [],
    })
    expect(parsed.ok ? [] : parsed.errors).toEqual([`jwt[0].${c.wantInitErr ?? ''}`])
  })

  // Listed so the report shows them; each names the Go-only seam it needs.
  it.skip.each(unportable)('$name (unportable: $unportable)', () => undefined)
})
