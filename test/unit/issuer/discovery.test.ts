/** Discovery documents checked as go-oidc's NewProvider checks them, over an in-memory client. */
import { describe, expect, it } from '@jest/globals'
import { fetchDiscovery, parseDiscovery } from '../../../src/issuer/discovery.js'
import { memoryHttpClient } from '../../helpers/memory-http-client.js'

const ISSUER = 'https://issuer.example.test'
const WELL_KNOWN = `${ISSUER}/.well-known/openid-configuration`

describe('parseDiscovery', () => {
  it('accepts a document whose issuer is the configured URL', () => {
    const doc = parseDiscovery(
      Buffer.from(JSON.stringify({ issuer: ISSUER, jwks_uri: `${ISSUER}/keys` })),
      ISSUER,
    )
    expect(doc.jwksURI).toBe(`${ISSUER}/keys`)
  })

  it('matches field names as encoding/json does (case-insensitively)', () => {
    const doc = parseDiscovery(
      Buffer.from(JSON.stringify({ ISSUER: ISSUER, Jwks_Uri: `${ISSUER}/keys` })),
      ISSUER,
    )
    expect(doc.jwksURI).toBe(`${ISSUER}/keys`)
  })

  it.each([
    [
      'another issuer',
      { issuer: `${ISSUER}/other`, jwks_uri: `${ISSUER}/keys` },
      `oidc: issuer did not match the issuer returned by provider, expected "${ISSUER}" got "${ISSUER}/other"`,
    ],
    [
      'no issuer',
      { jwks_uri: `${ISSUER}/keys` },
      `oidc: issuer did not match the issuer returned by provider, expected "${ISSUER}" got ""`,
    ],
    ['no jwks_uri', { issuer: ISSUER }, 'provider did not return JWKS URL'],
    [
      'a jwks_uri of the wrong type',
      { issuer: ISSUER, jwks_uri: 7 },
      'oidc: failed to decode provider discovery object: json: cannot unmarshal number into Go struct field providerJSON.jwks_uri of type string',
    ],
    ['not an object', [], 'oidc: failed to decode provider discovery object: not a JSON object'],
  ])('refuses %s', (_name, body, message) => {
    expect(() => parseDiscovery(Buffer.from(JSON.stringify(body)), ISSUER)).toThrow(message)
  })
})

describe('fetchDiscovery', () => {
  it('fetches and parses the document', async () => {
    const client = memoryHttpClient({
      [WELL_KNOWN]: { body: { issuer: ISSUER, jwks_uri: `${ISSUER}/keys` } },
    })
    await expect(fetchDiscovery(client, WELL_KNOWN, ISSUER)).resolves.toMatchObject({
      issuer: ISSUER,
      jwksURI: `${ISSUER}/keys`,
    })
  })

  it('words a non-200 answer as go-oidc does: status and body', async () => {
    const client = memoryHttpClient({ [WELL_KNOWN]: { status: 404, body: 'no such page' } })
    await expect(fetchDiscovery(client, WELL_KNOWN, ISSUER)).rejects.toThrow(
      '404 Not Found: no such page',
    )
  })

  it('passes a transport failure through', async () => {
    await expect(fetchDiscovery(memoryHttpClient(), WELL_KNOWN, ISSUER)).rejects.toThrow(
      `Get "${WELL_KNOWN}": connect ECONNREFUSED`,
    )
  })
})
