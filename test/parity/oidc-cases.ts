/**
 * Kubernetes' own JWT authenticator test table, transcribed as data: the
 * `TestToken` cases of k8s.io/apiserver `plugin/pkg/authenticator/token/oidc/oidc_test.go`
 * (structured-config era: CEL mappings, userValidationRules, credential-id,
 * discoveryURL). Inputs and expected outputs are upstream's facts; only the shape
 * is ours. `{{.URL}}` is the loopback issuer serving the case, `{{.Expired}}` the
 * Go `time.Time` text of `EXPIRED`, exactly as upstream's template substitution.
 *
 * Transcribed from Kubernetes 1.37: k8s.io/apiserver v0.37.0-beta.0 (commit
 * c19df515293eb2c814ee3cca7c46e5c2748e789f), whose oidc_test.go is unchanged at
 * the 1.37 branch point; the cases up to commit f2b320dc5 first, then those
 * added since.
 *
 * Where our service cannot or should not give upstream's answer, the case keeps
 * upstream's value in `upstream` and says why in `adjusted`; cases that only
 * exercise Go-library seams (custom http.Client, options absent from the file
 * format) carry `unportable` and are listed as skipped.
 */

export type Json = Record<string, unknown>

/** The fixed instants of oidc_test.go, in Unix seconds. */
export const EXPIRED = 1257890400 // 2009-11-10T22:00:00Z
export const NOW = 1257894000 // 2009-11-10T23:00:00Z
export const VALID = 1257897600 // 2009-11-11T00:00:00Z

export type KeyFile = 'rsa_1' | 'rsa_2' | 'ecdsa_1' | 'ecdsa_2'
export type CaseAlg = 'RS256' | 'PS256' | 'ES512'
/** A testdata key (oidc_test.go `loadRSAKey(t, "testdata/rsa_1.pem", jose.RS256)`); kid = hex SHA-256 JWK thumbprint. */
export interface CaseKey {
  readonly file: KeyFile
  readonly alg: CaseAlg
}

export interface WantUser {
  readonly name: string
  readonly uid?: string
  readonly groups?: readonly string[]
  readonly extra?: Readonly<Record<string, readonly string[]>>
}

export interface OidcCase {
  readonly name: string
  /** `jwt[0].issuer`; url defaults to `https://auth.example.com`, audiences to `["my-client"]`. */
  readonly issuer?: {
    url?: string
    discoveryURL?: string
    audiences?: string[]
    audienceMatchPolicy?: string
    egressSelectorType?: string
  }
  /** Defaults to `{ username: { claim: 'username', prefix: '' } }`. */
  readonly claimMappings?: Json
  readonly claimValidationRules?: readonly Json[]
  readonly userValidationRules?: readonly Json[]
  /** Default rsa_1 / RS256. */
  readonly signingKey?: CaseKey
  /** Default `[rsa_1 / RS256]`. */
  readonly pubKeys?: readonly CaseKey[]
  readonly claims?: Json
  /** Claims of the JWTs served at `{{.URL}}/<claim>` (distributed claims), signed with `signingKey`. */
  readonly claimToResponseMap?: Readonly<Record<string, Json>>
  /** Discovery document; default `{ issuer: <issuer url>, jwks_uri: "{{.URL}}/.testing/keys" }`. */
  readonly openIDConfig?: Json

  readonly want?: WantUser
  readonly wantErr?: string
  readonly wantSkip?: true
  /** Upstream's `New()` error; our equivalent is a config rejection at `jwt[0].` + this path. */
  readonly wantInitErr?: string
  /** Upstream's health-check failure: tokens are refused as "not initialized" here. */
  readonly wantNotInitialized?: true

  /** Why our expected value differs from upstream's (which is kept in `upstream`). */
  readonly adjusted?: string
  readonly upstream?: { wantErr?: string; want?: WantUser; wantInitErr?: string }
  /** Upstream's `DisallowedIssuers` option: this webhook's --service-account-issuer values. */
  readonly disallowedIssuers?: readonly string[]
  /** Why the case cannot be run against this service at all. */
  readonly unportable?: string
}

const RSA1: CaseKey = { file: 'rsa_1', alg: 'RS256' }
const AUTH = 'https://auth.example.com'
const URL = '{{.URL}}'

const byClaim = (claim: string, prefix = ''): Json => ({ claim, prefix })
const byExpr = (expression: string): Json => ({ expression })
const USERNAME = byClaim('username')
const USERNAME_PREFIXED = byClaim('username', 'prefix:')

const base = (more: Json = {}): Json => ({ iss: AUTH, aud: 'my-client', exp: VALID, ...more })
const at = (iss: string, more: Json = {}): Json => ({ iss, aud: 'my-client', exp: VALID, ...more })

/** A token naming `claim` as distributed from `{{.URL}}/<endpoint>` (source `src1`). */
const distributed = (claim: string, endpoint = claim, more: Json = {}): Json =>
  at(URL, {
    username: 'jane',
    _claim_names: { [claim]: 'src1' },
    _claim_sources: { src1: { endpoint: `${URL}/${endpoint}`, access_token: `${endpoint}_token` } },
    ...more,
  })
const DIST_OPENID = { issuer: URL, jwks_uri: `${URL}/.testing/keys` }
const GROUPS_MAPPING = { username: USERNAME, groups: byClaim('groups') }

const TURTLE = {
  foo: {
    '1': 'a',
    '2': 'b',
    other1: { bit1: true, bit2: false, bit3: 1 },
    bar: {
      '3': 'c',
      '4': 'd',
      other1: { bit1: true, bit2: false, bit3: 1 },
      baz: {
        '5': 'e',
        '6': 'f',
        panda: ['snorlax', '007', 'santa', 'claus'],
        other1: { bit1: true, bit2: false, bit3: 1 },
      },
    },
  },
}
const TURTLE_EXTRA = [
  { key: 'bio.snorlax.org/1', valueExpression: 'string(claims.turtle.foo.bar.other1.bit2)' },
  { key: 'bio.snorlax.org/2', valueExpression: 'string(claims.turtle.foo.bar.baz.other1.bit3)' },
  {
    key: 'bio.snorlax.org/3',
    valueExpression: "[string(claims.turtle.foo.bar.baz.other1.bit1)] + ['a', 'b', 'c']",
  },
]
const TURTLE_RULES = [
  { expression: 'claims.turtle.foo.other1.bit1 && !claims.turtle.foo.bar.other1.bit2' },
]
const TURTLE_USER_RULES = [
  { expression: 'user.username != "bad"' },
  { expression: 'user.uid == "007"' },
  { expression: '"claus" in user.groups' },
  { expression: 'user.extra.bio__dot__snorlax__dot__org__slash__3.size() == 4' },
]
const turtleMappings = (groups: string): Json => ({
  username: byExpr('claims.turtle.foo.bar.baz.panda[0]'),
  uid: byExpr('claims.turtle.foo.bar.baz.panda[1]'),
  groups: byExpr(groups),
  extra: TURTLE_EXTRA,
})
const TURTLE_EXTRA_WANT = {
  'bio.snorlax.org/1': ['false'],
  'bio.snorlax.org/2': ['1'],
  'bio.snorlax.org/3': ['true', 'a', 'b', 'c'],
}

const EXPR_MAPPINGS = {
  username: byExpr('claims.username'),
  groups: byExpr('claims.groups'),
  uid: byExpr('claims.uid'),
}
const FOO_BAR_EXTRA = [
  { key: 'example.org/foo', valueExpression: 'claims.foo' },
  { key: 'example.org/bar', valueExpression: 'claims.bar' },
]

const EMPTY_USER_RULES = (username: string, usernameMessage: string): Json[] => [
  { expression: `user.username == "${username}"`, message: usernameMessage },
  { expression: 'user.uid == ""', message: 'uid must be empty string' },
  { expression: "!('bar' in user.groups)", message: 'groups must not contain bar' },
  { expression: "!('bar' in user.extra)", message: 'extra must not contain bar' },
]

const EGRESS_CLAIMS = base({
  username: 'jane',
  groups: ['team1', 'team2'],
  uid: '1234',
  foo: 'bar',
  bar: ['baz', 'qux'],
})
const EGRESS_USER: WantUser = {
  name: 'jane',
  uid: '1234',
  groups: ['team1', 'team2'],
  extra: { 'example.org/foo': ['bar'], 'example.org/bar': ['baz', 'qux'] },
}
const EGRESS_INERT =
  "egressSelectorType picks one of kube-apiserver's egress dialers; the webhook has none and dials issuers directly, so a valid value has no effect and the token verifies"
/** Upstream's egress cases whose EgressLookup fails to give a dialer: an init error there, no effect here. */
const egressLookupCase = (name: string, type: string, upstreamInitErr: string): OidcCase => ({
  name,
  issuer: { egressSelectorType: type },
  claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
  claims: EGRESS_CLAIMS,
  want: EGRESS_USER,
  adjusted: EGRESS_INERT,
  upstream: { wantInitErr: upstreamInitErr },
})

const discoveryCase = (name: string, url: string, discoveryPath: string): OidcCase => ({
  name,
  issuer: { url, discoveryURL: `${URL}${discoveryPath}/.well-known/openid-configuration` },
  claims: at(url, { username: 'jane' }),
  openIDConfig: { issuer: url, jwks_uri: `${URL}/.testing/keys` },
  want: { name: 'jane' },
})

export const OIDC_TOKEN_CASES: readonly OidcCase[] = [
  { name: 'token', claims: base({ username: 'jane' }), want: { name: 'jane' } },
  {
    name: 'no-username',
    claimMappings: { username: USERNAME_PREFIXED },
    claims: base(),
    wantErr: 'oidc: parse username claims "username": claim not present',
  },
  {
    name: 'email',
    claimMappings: { username: byClaim('email') },
    claims: base({ email: 'jane@example.com', email_verified: true }),
    want: { name: 'jane@example.com' },
  },
  {
    name: 'email-not-verified',
    claimMappings: { username: byClaim('email') },
    claims: base({ email: 'jane@example.com', email_verified: false }),
    wantErr: 'oidc: email not verified',
  },
  {
    name: 'no-email-verified-claim',
    claimMappings: { username: byClaim('email') },
    claims: base({ email: 'jane@example.com' }),
    want: { name: 'jane@example.com' },
  },
  {
    name: 'invalid-email-verified-claim',
    claimMappings: { username: byClaim('email') },
    claims: base({ email: 'jane@example.com', email_verified: 'false' }),
    wantErr:
      "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
  },
  {
    name: 'groups',
    claimMappings: GROUPS_MAPPING,
    claims: base({ username: 'jane', groups: ['team1', 'team2'] }),
    want: { name: 'jane', groups: ['team1', 'team2'] },
  },
  {
    name: 'groups-distributed',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    want: { name: 'jane', groups: ['team1', 'team2'] },
  },
  {
    name: 'groups-distributed invalid client',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    wantErr:
      'oidc: could not expand distributed claims: while getting distributed claim "groups": Get "{{.URL}}/groups": some unexpected oidc error',
    unportable:
      'injects a Go http.Client whose transport fails with a fixed text; no such seam in a config file',
  },
  {
    name: 'groups-distributed-malformed-claim-names',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: at(URL, {
      username: 'jane',
      _claim_names: { groups: 'nonexistent-claim-source' },
      _claim_sources: { src1: { endpoint: `${URL}/groups`, access_token: 'groups_token' } },
    }),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    wantErr: 'oidc: verify token: oidc: source does not exist',
  },
  {
    name: 'groups-distributed-malformed-names-and-sources',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: at(URL, { username: 'jane', _claim_names: { groups: 'src1' } }),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    wantErr: 'oidc: verify token: oidc: source does not exist',
  },
  {
    name: 'groups-distributed-malformed-distributed-claim',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    // Doesn't contain the "groups" claim as it promises.
    claimToResponseMap: { groups: at(URL) },
    openIDConfig: DIST_OPENID,
    wantErr:
      'oidc: could not expand distributed claims: jwt returned by distributed claim endpoint "{{.URL}}/groups" did not contain claim: groups',
  },
  {
    name: 'groups-distributed-unusual-name',
    issuer: { url: URL },
    claimMappings: { username: USERNAME, groups: byClaim('rabbits') },
    claims: distributed('rabbits'),
    claimToResponseMap: { rabbits: at(URL, { rabbits: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    want: { name: 'jane', groups: ['team1', 'team2'] },
  },
  {
    name: 'groups-distributed-wrong-audience',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { aud: 'your-client', groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    wantErr:
      'oidc: could not expand distributed claims: verify distributed claim token: oidc: expected audience "my-client" got ["your-client"]',
  },
  {
    name: 'groups-distributed-expired-token',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'], exp: EXPIRED }) },
    openIDConfig: DIST_OPENID,
    wantErr:
      'oidc: could not expand distributed claims: verify distributed claim token: oidc: token is expired (Token Expiry: {{.Expired}})',
  },
  {
    // Specs are unclear; upstream lets a normal claim win over a distributed one of the same name.
    name: 'groups-distributed-normal-claim-wins',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups', 'groups', { groups: 'team1' }),
    claimToResponseMap: { groups: at(URL, { groups: ['team2'] }) },
    openIDConfig: DIST_OPENID,
    want: { name: 'jane', groups: ['team1'] },
  },
  {
    name: 'group-string-claim',
    claimMappings: GROUPS_MAPPING,
    claims: base({ username: 'jane', groups: 'team1' }),
    want: { name: 'jane', groups: ['team1'] },
  },
  {
    name: 'group-string-claim-distributed',
    issuer: { url: URL },
    claimMappings: GROUPS_MAPPING,
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { groups: 'team1' }) },
    openIDConfig: DIST_OPENID,
    want: { name: 'jane', groups: ['team1'] },
  },
  {
    name: 'group-string-claim-aggregated-not-supported',
    claimMappings: GROUPS_MAPPING,
    claims: base({
      username: 'jane',
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { JWT: 'some.jwt.token' } },
    }),
    want: { name: 'jane' },
  },
  {
    name: 'no-groups-claim',
    claimMappings: GROUPS_MAPPING,
    claims: base({ username: 'jane' }),
    want: { name: 'jane' },
  },
  {
    name: 'invalid-groups-claim',
    claimMappings: GROUPS_MAPPING,
    claims: base({ username: 'jane', groups: 42 }),
    wantErr:
      'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string',
  },
  {
    name: 'required-claim',
    claimMappings: GROUPS_MAPPING,
    claimValidationRules: [
      { claim: 'hd', requiredValue: 'example.com' },
      { claim: 'sub', requiredValue: 'test' },
    ],
    claims: base({ username: 'jane', hd: 'example.com', sub: 'test' }),
    want: { name: 'jane' },
  },
  {
    name: 'no-required-claim',
    claimMappings: GROUPS_MAPPING,
    claimValidationRules: [{ claim: 'hd', requiredValue: 'example.com' }],
    claims: base({ username: 'jane' }),
    wantErr: 'oidc: required claim hd not present in ID token',
  },
  {
    name: 'invalid-required-claim',
    claimMappings: GROUPS_MAPPING,
    claimValidationRules: [{ claim: 'hd', requiredValue: 'example.com' }],
    claims: base({ username: 'jane', hd: 'example.org' }),
    wantErr: 'oidc: required claim hd value does not match. Got = example.org, want = example.com',
  },
  {
    name: 'invalid-signature',
    claimMappings: { username: USERNAME_PREFIXED },
    pubKeys: [{ file: 'rsa_2', alg: 'RS256' }],
    claims: base({ username: 'jane' }),
    wantErr: 'oidc: verify token: failed to verify signature: failed to verify id token signature',
    adjusted:
      "upstream's text comes from the test's own staticKeySet; kube-apiserver verifies against go-oidc's remote key set, which refetches on an unknown kid and then fails with this message",
    upstream: {
      wantErr: 'oidc: verify token: failed to verify signature: no keys matches jwk keyid',
    },
  },
  {
    name: 'expired',
    claimMappings: { username: USERNAME_PREFIXED },
    claims: base({ username: 'jane', exp: EXPIRED }),
    wantErr: 'oidc: verify token: oidc: token is expired (Token Expiry: {{.Expired}})',
  },
  {
    name: 'invalid-aud',
    claimMappings: { username: USERNAME_PREFIXED },
    claims: base({ username: 'jane', aud: 'not-my-client' }),
    wantErr: 'oidc: verify token: oidc: expected audience "my-client" got ["not-my-client"]',
  },
  {
    name: 'multiple-audiences',
    claims: base({ username: 'jane', aud: ['not-my-client', 'my-client'], azp: 'not-my-client' }),
    want: { name: 'jane' },
  },
  {
    name: 'multiple-audiences in authentication config',
    issuer: { audiences: ['random-client', 'my-client'], audienceMatchPolicy: 'MatchAny' },
    claims: base({ username: 'jane', aud: ['not-my-client', 'my-client'], azp: 'not-my-client' }),
    want: { name: 'jane' },
  },
  {
    name: 'multiple-audiences in authentication config, multiple matches',
    issuer: {
      audiences: ['random-client', 'my-client', 'other-client'],
      audienceMatchPolicy: 'MatchAny',
    },
    claims: base({
      username: 'jane',
      aud: ['not-my-client', 'my-client', 'other-client'],
      azp: 'not-my-client',
    }),
    want: { name: 'jane' },
  },
  {
    name: 'multiple-audiences in authentication config, no match',
    issuer: { audiences: ['random-client', 'my-client'], audienceMatchPolicy: 'MatchAny' },
    claims: base({ username: 'jane', aud: ['not-my-client'], azp: 'not-my-client' }),
    wantErr:
      'oidc: verify token: oidc: expected audience in ["my-client" "random-client"] got ["not-my-client"]',
  },
  {
    name: 'nuanced audience validation using claim validation rules',
    issuer: { audiences: ['bar', 'foo', 'baz'], audienceMatchPolicy: 'MatchAny' },
    claimValidationRules: [
      {
        expression: 'sets.equivalent(claims.aud, ["bar", "foo", "baz"])',
        message: 'audience must exactly contain [bar, foo, baz]',
      },
    ],
    claims: base({ username: 'jane', aud: ['foo', 'bar', 'baz'], azp: 'not-my-client' }),
    want: { name: 'jane' },
  },
  {
    name: 'audience validation using claim validation rules fails',
    issuer: { audiences: ['bar', 'foo', 'baz'], audienceMatchPolicy: 'MatchAny' },
    claimValidationRules: [
      {
        expression: 'sets.equivalent(claims.aud, ["bar", "foo", "baz"])',
        message: 'audience must exactly contain [bar, foo, baz]',
      },
    ],
    claims: base({ username: 'jane', aud: ['foo', 'baz'], azp: 'not-my-client' }),
    wantErr:
      'oidc: error evaluating claim validation expression: validation expression \'sets.equivalent(claims.aud, ["bar", "foo", "baz"])\' failed: audience must exactly contain [bar, foo, baz]',
  },
  {
    name: 'invalid-issuer',
    claimMappings: { username: USERNAME_PREFIXED },
    claims: base({ username: 'jane', iss: 'https://example.com' }),
    wantSkip: true,
  },
  {
    name: 'username-prefix',
    claimMappings: { username: byClaim('username', 'oidc:') },
    claims: base({ username: 'jane' }),
    want: { name: 'oidc:jane' },
  },
  {
    name: 'groups-prefix',
    claimMappings: { username: byClaim('username', 'oidc:'), groups: byClaim('groups', 'groups:') },
    claims: base({ username: 'jane', groups: ['team1', 'team2'] }),
    want: { name: 'oidc:jane', groups: ['groups:team1', 'groups:team2'] },
  },
  {
    name: 'groups-prefix-distributed',
    issuer: { url: URL },
    claimMappings: { username: byClaim('username', 'oidc:'), groups: byClaim('groups', 'groups:') },
    claims: distributed('groups'),
    claimToResponseMap: { groups: at(URL, { groups: ['team1', 'team2'] }) },
    openIDConfig: DIST_OPENID,
    want: { name: 'oidc:jane', groups: ['groups:team1', 'groups:team2'] },
  },
  {
    // Correct key but signature algorithm PS256 where the verifier was built for RS256 only.
    name: 'invalid-signing-alg',
    claimMappings: { username: USERNAME_PREFIXED },
    signingKey: { file: 'rsa_1', alg: 'PS256' },
    pubKeys: [RSA1],
    claims: base({ username: 'jane' }),
    want: { name: 'prefix:jane' },
    adjusted:
      'the Go test builds the verifier with oidc.Options.SupportedSigningAlgs defaulting to RS256; kube-apiserver with --authentication-config passes all nine asymmetric algorithms (reference §7), so PS256 on an RSA key verifies',
    upstream: {
      wantErr:
        'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "PS256"',
    },
  },
  {
    name: 'ps256',
    signingKey: { file: 'rsa_1', alg: 'PS256' },
    pubKeys: [{ file: 'rsa_1', alg: 'PS256' }],
    claims: base({ username: 'jane' }),
    want: { name: 'jane' },
  },
  {
    name: 'es512',
    signingKey: { file: 'ecdsa_2', alg: 'ES512' },
    pubKeys: [
      { file: 'ecdsa_1', alg: 'ES512' },
      { file: 'ecdsa_2', alg: 'ES512' },
    ],
    claims: base({ username: 'jane' }),
    want: { name: 'jane' },
  },
  {
    name: 'not-https',
    issuer: { url: 'http://auth.example.com' },
    claimMappings: { username: USERNAME_PREFIXED },
    wantInitErr: 'issuer.url: Invalid value: "http://auth.example.com": URL scheme must be https',
  },
  {
    name: 'no-username-claim',
    claimMappings: { username: { prefix: '' } },
    wantInitErr: 'claimMappings.username: Required value: claim or expression is required',
  },
  {
    name: 'invalid-sig-alg',
    claimMappings: { username: USERNAME_PREFIXED },
    wantInitErr: 'oidc: unsupported signing alg: "HS256"',
    unportable:
      'sets oidc.Options.SupportedSigningAlgs (legacy --oidc-signing-algs); the structured file has no such field',
  },
  {
    name: 'client and ca mutually exclusive',
    claimMappings: { username: USERNAME_PREFIXED },
    wantInitErr: 'oidc: Client and CAContentProvider are mutually exclusive',
    unportable:
      'a Go-API misuse of oidc.Options (Client with CAContentProvider); not expressible in the file',
  },
  {
    name: 'keyset and discovery URL mutually exclusive',
    issuer: { discoveryURL: 'https://auth.example.com/foo' },
    claimMappings: { username: USERNAME_PREFIXED },
    wantInitErr: 'oidc: KeySet and DiscoveryURL are mutually exclusive',
    unportable:
      'a Go-API misuse of oidc.Options (static KeySet with discoveryURL); not expressible in the file',
  },
  {
    name: 'health check failure',
    issuer: { url: 'https://this-will-not-work.notatld' },
    claimMappings: { username: USERNAME_PREFIXED },
    claims: at('https://this-will-not-work.notatld', { username: 'jane' }),
    wantNotInitialized: true,
    adjusted:
      'upstream asserts the health-check text (prefix `oidc: authenticator for issuer "https://this-will-not-work.notatld" is not healthy: Get ...: dial tcp: lookup ...`); kube-apiserver then refuses such tokens with "oidc: authenticator not initialized", which is what we assert (discovery is pointed at a closed loopback port instead of a DNS lookup)',
  },
  {
    name: 'accounts.google.com issuer',
    issuer: { url: 'https://accounts.google.com' },
    claimMappings: { username: byClaim('email') },
    claims: {
      iss: 'accounts.google.com',
      email: 'thomas.jefferson@gmail.com',
      aud: 'my-client',
      exp: VALID,
    },
    want: { name: 'thomas.jefferson@gmail.com' },
  },
  {
    name: 'good token with bad client id',
    claimMappings: { username: USERNAME_PREFIXED },
    claims: base({ username: 'jane', aud: 'my-wrong-client' }),
    wantErr: 'oidc: verify token: oidc: expected audience "my-client" got ["my-wrong-client"]',
  },
  {
    name: 'user validation rule fails for user.username',
    claimMappings: { username: byClaim('username', 'system:') },
    userValidationRules: [
      {
        expression: "!user.username.startsWith('system:')",
        message: 'username cannot used reserved system: prefix',
      },
    ],
    claims: base({ username: 'jane' }),
    wantErr:
      "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' failed: username cannot used reserved system: prefix",
  },
  {
    name: 'user validation rule fails for user.groups',
    claimMappings: { username: byExpr('claims.username'), groups: byClaim('groups', 'system:') },
    userValidationRules: [
      {
        expression: "user.groups.all(group, !group.startsWith('system:'))",
        message: 'groups cannot used reserved system: prefix',
      },
    ],
    claims: base({ username: 'jane', groups: ['team1', 'team2'] }),
    wantErr:
      "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(group, !group.startsWith('system:'))' failed: groups cannot used reserved system: prefix",
  },
  {
    name: 'claim validation rule with expression fails',
    claimValidationRules: [
      { expression: 'claims.hd == "example.com"', message: 'hd claim must be example.com' },
    ],
    claims: base({ username: 'jane' }),
    wantErr:
      'oidc: error evaluating claim validation expression: expression \'claims.hd == "example.com"\' resulted in error: no such key: hd',
  },
  {
    name: 'claim validation rule with expression',
    claimValidationRules: [
      { expression: 'claims.hd == "example.com"', message: 'hd claim must be example.com' },
    ],
    claims: base({ username: 'jane', hd: 'example.com' }),
    want: { name: 'jane' },
  },
  {
    name: 'claim validation rule with expression and nested claims',
    claimValidationRules: [
      { expression: 'claims.foo.bar == "baz"', message: 'foo.bar claim must be baz' },
    ],
    claims: base({ username: 'jane', hd: 'example.com', foo: { bar: 'baz' } }),
    want: { name: 'jane' },
  },
  {
    name: 'claim validation rule with mix of expression and claim',
    claimValidationRules: [
      { expression: 'claims.foo.bar == "baz"', message: 'foo.bar claim must be baz' },
      { claim: 'hd', requiredValue: 'example.com' },
    ],
    claims: base({ username: 'jane', hd: 'example.com', foo: { bar: 'baz' } }),
    want: { name: 'jane' },
  },
  {
    name: 'username claim mapping with expression',
    claimMappings: { username: byExpr('claims.username') },
    claims: base({ username: 'jane' }),
    want: { name: 'jane' },
  },
  {
    name: 'username claim mapping with expression and nested claim',
    claimMappings: { username: byExpr('claims.foo.username') },
    claims: base({ username: 'jane', foo: { username: 'jane' } }),
    want: { name: 'jane' },
  },
  {
    name: 'claim mappings with expressions and deeply nested claim - success',
    claimValidationRules: TURTLE_RULES,
    claimMappings: turtleMappings('claims.turtle.foo.bar.baz.panda'),
    userValidationRules: TURTLE_USER_RULES,
    claims: base({ turtle: TURTLE }),
    want: {
      name: 'snorlax',
      uid: '007',
      groups: ['snorlax', '007', 'santa', 'claus'],
      extra: TURTLE_EXTRA_WANT,
    },
  },
  {
    name: 'claim mappings with expressions and deeply nested claim - success via optional',
    claimValidationRules: TURTLE_RULES,
    claimMappings: turtleMappings("claims.turtle.foo.bar.baz.?a.b.c.d.orValue([ 'claus' ])"),
    userValidationRules: TURTLE_USER_RULES,
    claims: base({ turtle: TURTLE }),
    want: { name: 'snorlax', uid: '007', groups: ['claus'], extra: TURTLE_EXTRA_WANT },
  },
  {
    name: 'claim mappings with expressions and deeply nested claim - failure without optional',
    claimValidationRules: TURTLE_RULES,
    claimMappings: turtleMappings('claims.turtle.foo.bar.baz.a.b.c.d'),
    userValidationRules: TURTLE_USER_RULES,
    claims: base({ turtle: TURTLE }),
    wantErr:
      "oidc: error evaluating group claim expression: expression 'claims.turtle.foo.bar.baz.a.b.c.d' resulted in error: no such key: a",
  },
  {
    name: 'claim mappings with expressions and deeply nested claim - success - service account payload',
    issuer: {
      url: 'https://kubernetes.default.svc',
      audiences: ['https://kubernetes.default.svc'],
    },
    claimValidationRules: [
      {
        expression:
          'claims.sub == ("system:serviceaccount:" + claims.kubernetes__dot__io.namespace + ":" + claims.kubernetes__dot__io.serviceaccount.name)',
      },
      { expression: 'has(claims.kubernetes__dot__io.pod.uid)' },
      { expression: 'claims["kubernetes.io"]["node"]["uid"] != ""' },
      { expression: 'claims[?"kubernetes.io"]["node"]["ip"].orValue(true)' },
    ],
    claimMappings: {
      username: byExpr(
        '"system:serviceaccount:" + claims.kubernetes__dot__io.namespace + ":" + claims.kubernetes__dot__io.serviceaccount.name',
      ),
      uid: byExpr('claims.kubernetes__dot__io.serviceaccount.uid'),
      groups: byExpr(
        '[ "system:serviceaccounts", "system:serviceaccounts:" + claims.kubernetes__dot__io.namespace ]',
      ),
      extra: [
        {
          key: 'authentication.x-kubernetes.io/pod-name',
          valueExpression: 'claims.kubernetes__dot__io.pod.name',
        },
        {
          key: 'authentication.x-kubernetes.io/pod-uid',
          valueExpression: 'claims.kubernetes__dot__io.pod.uid',
        },
        {
          key: 'authentication.x-kubernetes.io/node-name',
          valueExpression: 'claims.kubernetes__dot__io.node.name',
        },
        {
          key: 'authentication.x-kubernetes.io/node-uid',
          valueExpression: 'claims.kubernetes__dot__io.node.uid',
        },
        {
          key: 'authentication.x-kubernetes.io/credential-id',
          valueExpression: '"JTI=" + claims.jti',
        },
        {
          key: 'test.x-kubernetes.io/warnafter',
          valueExpression: 'string(int(claims.kubernetes__dot__io.warnafter))',
        },
        {
          key: 'test.x-kubernetes.io/namespace',
          valueExpression: 'claims.kubernetes__dot__io.namespace',
        },
      ],
    },
    userValidationRules: [
      {
        expression:
          'user.username.startsWith("system:serviceaccount:" + user.extra["test.x-kubernetes.io/namespace"][0] + ":")',
      },
      { expression: 'user.uid != ""' },
      { expression: '"system:serviceaccounts" in user.groups && user.groups.size() == 2' },
      {
        expression:
          'user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__node__dash__name[0] == "127.0.0.1"',
      },
      {
        expression:
          'user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__credential__dash__id[0] == user.extra.authentication__dot__kubernetes__dot__io__slash__credential__dash__id[0]',
      },
      { expression: 'user.extra["test.x-kubernetes.io/warnafter"][0] == "1700081020"' },
      {
        expression:
          'has(user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__pod__dash__name)',
      },
      { expression: 'user.extra[?"test.x-kubernetes.io/missing"].orValue([]) == []' },
    ],
    claims: {
      aud: ['https://kubernetes.default.svc'],
      exp: VALID,
      iat: 1700077413,
      iss: 'https://kubernetes.default.svc',
      jti: 'ea28ed49-2e11-4280-9ec5-bc3d1d84661a',
      'kubernetes.io': {
        namespace: 'kube-system',
        node: { name: '127.0.0.1', uid: '58456cb0-dd00-45ed-b797-5578fdceaced' },
        pod: { name: 'coredns-69cbfb9798-jv9gn', uid: '778a530c-b3f4-47c0-9cd5-ab018fb64f33' },
        serviceaccount: { name: 'coredns', uid: 'a087d5a0-e1dd-43ec-93ac-f13d89cd13af' },
        warnafter: 1700081020,
      },
      nbf: NOW,
      sub: 'system:serviceaccount:kube-system:coredns',
    },
    want: {
      name: 'system:serviceaccount:kube-system:coredns',
      uid: 'a087d5a0-e1dd-43ec-93ac-f13d89cd13af',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
      extra: {
        'authentication.x-kubernetes.io/pod-name': ['coredns-69cbfb9798-jv9gn'],
        'authentication.x-kubernetes.io/pod-uid': ['778a530c-b3f4-47c0-9cd5-ab018fb64f33'],
        'authentication.x-kubernetes.io/node-name': ['127.0.0.1'],
        'authentication.x-kubernetes.io/node-uid': ['58456cb0-dd00-45ed-b797-5578fdceaced'],
        'authentication.kubernetes.io/credential-id': ['JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a'],
        'authentication.x-kubernetes.io/credential-id': [
          'JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a',
        ],
        'test.x-kubernetes.io/warnafter': ['1700081020'],
        'test.x-kubernetes.io/namespace': ['kube-system'],
      },
    },
  },
  {
    name: 'claim mappings with expressions and deeply nested claim - success - claims payload with deep use of __dot__',
    claimValidationRules: [
      { expression: 'has(claims.turtle.foo.bar.baz.username__dot__io)' },
      { expression: 'has(claims.turtle.foo.bar.baz.link[0].uid__dot__io)' },
      { expression: 'has(claims.data[0].groups__dot__io)' },
      { expression: 'claims.turtle.foo.bar.bee.username__dot__io.company__dot__io == "fun-corp"' },
    ],
    claimMappings: {
      username: byExpr('claims.turtle.foo.bar.baz.username__dot__io'),
      uid: byExpr('claims.turtle.foo.bar.baz.link[0].uid__dot__io'),
      groups: byExpr('claims.data[0].groups__dot__io'),
    },
    claims: base({
      data: [{ 'groups.io': 'gen1' }],
      turtle: {
        foo: {
          '1': 'a',
          '2': 'b',
          other1: { bit1: true, bit2: false, bit3: 1 },
          bar: {
            '3': 'c',
            '4': 'd',
            other1: { bit1: true, bit2: false, bit3: 1 },
            bee: { 'username.io': { 'company.io': 'fun-corp' } },
            baz: {
              '5': 'e',
              '6': 'f',
              panda: ['snorlax', '007', 'santa', 'claus'],
              other1: { bit1: true, bit2: false, bit3: 1 },
              'username.io': 'snorlax.io',
              link: [{ 'uid.io': '143' }],
            },
          },
        },
      },
    }),
    want: { name: 'snorlax.io', uid: '143', groups: ['gen1'] },
  },
  {
    name: 'groups claim mapping with expression',
    claimMappings: { username: byExpr('claims.username'), groups: byExpr('claims.groups') },
    claims: base({ username: 'jane', groups: ['team1', 'team2'] }),
    want: { name: 'jane', groups: ['team1', 'team2'] },
  },
  {
    name: 'groups claim with expression',
    claimMappings: {
      username: byClaim('username', 'oidc:'),
      groups: byExpr(
        '(claims.roles.split(",") + claims.other_roles.split(",")).map(role, "groups:" + role)',
      ),
    },
    claims: base({ username: 'jane', roles: 'foo,bar', other_roles: 'baz,qux' }),
    want: { name: 'oidc:jane', groups: ['groups:foo', 'groups:bar', 'groups:baz', 'groups:qux'] },
  },
  {
    name: 'uid claim mapping with expression',
    claimMappings: EXPR_MAPPINGS,
    claims: base({ username: 'jane', groups: ['team1', 'team2'], uid: '1234' }),
    want: { name: 'jane', groups: ['team1', 'team2'], uid: '1234' },
  },
  {
    name: 'uid claim mapping with claim',
    claimMappings: { ...EXPR_MAPPINGS, uid: { claim: 'uid' } },
    claims: base({ username: 'jane', groups: ['team1', 'team2'], uid: '1234' }),
    want: { name: 'jane', groups: ['team1', 'team2'], uid: '1234' },
  },
  {
    name: 'extra claim mapping with expression',
    claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
    claims: base({
      username: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    }),
    want: {
      name: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      extra: { 'example.org/foo': ['bar'], 'example.org/bar': ['baz', 'qux'] },
    },
  },
  {
    name: 'extra claim mapping, value derived from claim value',
    claimMappings: {
      username: byExpr('claims.username'),
      extra: [
        {
          key: 'example.org/admin',
          valueExpression: '(has(claims.is_admin) && claims.is_admin) ? "true":""',
        },
        {
          key: 'example.org/admin_1',
          valueExpression: 'claims.?is_admin.orValue(false) == true ? "true":""',
        },
        {
          key: 'example.org/non_existent',
          valueExpression: 'claims.?non_existent.orValue("default") == "default" ? "true":""',
        },
      ],
    },
    claims: base({ username: 'jane', is_admin: true }),
    want: {
      name: 'jane',
      extra: {
        'example.org/admin': ['true'],
        'example.org/admin_1': ['true'],
        'example.org/non_existent': ['true'],
      },
    },
  },
  {
    name: 'hardcoded extra claim mapping',
    claimMappings: {
      username: byExpr('claims.username'),
      extra: [{ key: 'example.org/admin', valueExpression: '"true"' }],
    },
    claims: base({ username: 'jane', is_admin: true }),
    want: { name: 'jane', extra: { 'example.org/admin': ['true'] } },
  },
  {
    name: 'extra claim mapping, multiple expressions for same key',
    claimMappings: {
      ...EXPR_MAPPINGS,
      extra: [...FOO_BAR_EXTRA, { key: 'example.org/foo', valueExpression: 'claims.bar' }],
    },
    claims: base({
      username: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    }),
    wantInitErr: 'claimMappings.extra[2].key: Duplicate value: "example.org/foo"',
  },
  {
    name: 'disallowed issuer via configured value',
    claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
    claims: base({
      username: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    }),
    wantInitErr:
      'issuer.url: Invalid value: "https://auth.example.com": URL must not overlap with disallowed issuers: [https://auth.example.com]',
    disallowedIssuers: ['https://auth.example.com'],
  },
  {
    name: 'extra claim mapping, empty string value for key',
    claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
    claims: base({
      username: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      foo: '',
      bar: ['baz', 'qux'],
    }),
    want: {
      name: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      extra: { 'example.org/bar': ['baz', 'qux'] },
    },
  },
  {
    name: 'extra claim mapping with user validation rule succeeds',
    claimMappings: {
      ...EXPR_MAPPINGS,
      extra: [
        { key: 'example.org/foo', valueExpression: "'bar'" },
        { key: 'example.org/baz', valueExpression: 'claims.baz' },
      ],
    },
    userValidationRules: [
      {
        expression:
          "'bar' in user.extra['example.org/foo'] && 'qux' in user.extra['example.org/baz']",
        message: 'example.org/foo must be bar and example.org/baz must be qux',
      },
    ],
    claims: base({ username: 'jane', groups: ['team1', 'team2'], uid: '1234', baz: 'qux' }),
    want: {
      name: 'jane',
      groups: ['team1', 'team2'],
      uid: '1234',
      extra: { 'example.org/foo': ['bar'], 'example.org/baz': ['qux'] },
    },
  },
  {
    name: 'groups expression returns null',
    claimMappings: { username: byExpr('claims.username'), groups: byExpr('claims.groups') },
    claims: base({ username: 'jane', groups: null, uid: '1234', baz: 'qux' }),
    want: { name: 'jane' },
  },
  {
    // omitempty fields left out of the user are still set and readable in CEL.
    name: "test user validation rule doesn't fail when user info is empty except username",
    claimMappings: { username: byExpr('claims.username'), groups: byExpr('claims.groups') },
    userValidationRules: EMPTY_USER_RULES(' ', 'username must be single space'),
    claims: base({ username: ' ', groups: null, baz: 'qux' }),
    want: { name: ' ' },
  },
  {
    name: 'empty username is allowed via claim',
    claimMappings: { username: USERNAME, groups: byExpr('claims.groups') },
    userValidationRules: EMPTY_USER_RULES('', 'username must be empty string'),
    claims: base({ username: '', groups: null, baz: 'qux' }),
    want: { name: '' },
  },
  {
    // The minimum valid payload: iss, aud, exp and what the username mapping needs.
    name: 'minimum valid jwt payload',
    claimMappings: { username: byExpr('claims.user') },
    claims: base({ user: 'jane' }),
    want: { name: 'jane' },
  },
  discoveryCase('discovery-url', AUTH, ''),
  discoveryCase('discovery url, issuer has a path', 'https://auth.example.com/a/b/foo', ''),
  discoveryCase('discovery url has a path, issuer url has no path', AUTH, '/c/d/bar'),
  discoveryCase(
    'discovery url and issuer url have paths',
    'https://auth.example.com/a/b/foo',
    '/c/d/bar',
  ),
  discoveryCase(
    'discovery url and issuer url have paths, issuer url has trailing slash',
    'https://auth.example.com/a/b/foo/',
    '/c/d/bar',
  ),
  {
    name: 'credential id set in extra even when no extra claim mappings are defined',
    claimMappings: { username: byExpr('claims.username') },
    claims: base({ username: 'jane', jti: '1234' }),
    want: { name: 'jane', extra: { 'authentication.kubernetes.io/credential-id': ['JTI=1234'] } },
  },
  {
    name: 'credential id set in extra when extra claim mappings are defined',
    claimMappings: { username: byExpr('claims.username'), extra: FOO_BAR_EXTRA },
    claims: base({ username: 'jane', jti: '1234', foo: 'bar', bar: ['baz', 'qux'] }),
    want: {
      name: 'jane',
      extra: {
        'authentication.kubernetes.io/credential-id': ['JTI=1234'],
        'example.org/foo': ['bar'],
        'example.org/bar': ['baz', 'qux'],
      },
    },
  },
  {
    name: 'non-string jti claim does not set credential id in extra or error',
    claimMappings: { username: byExpr('claims.username') },
    claims: base({ username: 'jane', jti: 1234 }),
    want: { name: 'jane' },
  },
  {
    name: 'missing jti claim does not set credential id in extra or error',
    claimMappings: { username: byExpr('claims.username') },
    claims: base({ username: 'jane' }),
    want: { name: 'jane' },
  },
  // Added upstream after the transcription above (k8s.io/apiserver f2b320dc5, 2025-05-01),
  // up to Kubernetes 1.37 (k8s.io/apiserver v0.37.0-beta.0, c19df515, whose TestToken is
  // unchanged at the 1.37 branch point).
  {
    name: 'invalid egress type',
    issuer: { egressSelectorType: 'etcd' },
    claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
    claims: EGRESS_CLAIMS,
    wantInitErr:
      'issuer.egressSelectorType: Invalid value: "etcd": egress selector must be either controlplane or cluster',
  },
  egressLookupCase(
    'valid egress type with error',
    'cluster',
    'oidc: egress lookup for "cluster" failed: always fail, saw type "cluster"',
  ),
  egressLookupCase(
    'valid egress type with error - again',
    'controlplane',
    'oidc: egress lookup for "controlplane" failed: always fail, saw type "controlplane"',
  ),
  egressLookupCase(
    'valid egress type with no egress config',
    'controlplane',
    'oidc: egress lookup required with egress selector type "controlplane"',
  ),
  egressLookupCase(
    'valid egress type with no egress config for the given type',
    'controlplane',
    'oidc: egress lookup for "controlplane" is not configured',
  ),
  {
    name: 'valid egress type with broken dialer',
    issuer: { egressSelectorType: 'controlplane' },
    claimMappings: { ...EXPR_MAPPINGS, extra: FOO_BAR_EXTRA },
    unportable:
      'its EgressLookup hands back a dialer that always fails (a Go seam); here the field has no effect and issuers are dialled directly',
  },
  {
    name: 'valid egress type with working dialer',
    issuer: {
      url: AUTH,
      discoveryURL: `${URL}/.well-known/openid-configuration`,
      egressSelectorType: 'cluster',
    },
    claims: base({ username: 'jane' }),
    openIDConfig: { issuer: AUTH, jwks_uri: `${URL}/.testing/keys` },
    want: { name: 'jane' },
  },
  {
    name: 'using credential id and user validation rule to simulate revocation',
    claimMappings: { username: byExpr('claims.username') },
    userValidationRules: [
      {
        expression: `!(user.extra[?'authentication.kubernetes.io/credential-id'][0].orValue('') in ["JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a"])`,
        message: 'credential is revoked',
      },
    ],
    claims: base({ username: 'jane', jti: 'ea28ed49-2e11-4280-9ec5-bc3d1d84661a' }),
    wantErr: `oidc: error evaluating user info validation rule: validation expression '!(user.extra[?'authentication.kubernetes.io/credential-id'][0].orValue('') in ["JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a"])' failed: credential is revoked`,
  },
]
