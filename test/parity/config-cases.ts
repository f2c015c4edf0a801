/**
 * Kubernetes' own validation test tables for AuthenticationConfiguration,
 * transcribed as data: kubernetes/kubernetes
 * staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_test.go
 * (TestValidateAuthenticationConfiguration, TestValidateIssuerURL,
 * TestValidateIssuerDiscoveryURL, TestValidateAudiences,
 * TestValidateCertificateAuthority, TestValidateClaimValidationRules,
 * TestValidateClaimMappings, TestValidateUserValidationRules).
 *
 * Every case keeps its upstream name. `want` is the upstream aggregate split into
 * its lines, written with the table's own field path (the unit tables use
 * `issuer.…` roots); the runner rewrites the root to where the case sits in our
 * file (`jwt[0].…`). `adjusted` says where the input or `want` had to differ
 * from upstream's, `skip` marks cases that cannot apply here.
 *
 * Transcribed from Kubernetes 1.37: k8s.io/apiserver v0.37.0-beta.0 (commit
 * c19df515293eb2c814ee3cca7c46e5c2748e789f), whose validation_test.go is
 * unchanged at the 1.37 branch point. The cases of the feature gates that 1.37
 * removed are gone from it, as from here.
 */
import type {
  ClaimMappings,
  ClaimValidationRule,
  Issuer,
  JWTAuthenticator,
  UserValidationRule,
} from '../../src/config/types.js'

export interface ConfigCase {
  /** The upstream `name`. */
  readonly name: string
  /** `jwt` of the rendered file; `undefined` renders a file without `jwt`. */
  readonly jwt?: readonly JWTAuthenticator[]
  /** Expected error lines in the table's field paths; empty = valid. */
  readonly want: readonly string[]
  /** cel-go compile texts differ from ours: compare up to `compilation failed: ` only. */
  readonly celCompileError?: true
  /** Why `want` or the input differs from the indexed upstream text. */
  readonly adjusted?: string
  /** Why the case does not run here. */
  readonly skip?: string
  /** Top-level `anonymous` of the rendered file. */
  readonly anonymous?: unknown
  /** Upstream's `disallowedIssuers` argument: this webhook's --service-account-issuer values. */
  readonly disallowedIssuers?: readonly string[]
}

export interface UpstreamTable {
  /** The upstream Go test function. */
  readonly test: string
  /** Upstream field-path root and where it sits in our rendered file. */
  readonly root?: readonly [upstream: string, ours: string]
  readonly cases: readonly ConfigCase[]
}

/** Stands for a freshly generated CA certificate (upstream makes one per run too). */
export const GENERATED_CA = '<generated-ca-pem>'

const BASE_ISSUER: Issuer = { url: 'https://issuer-url', audiences: ['audience'] }
const BASE_MAPPINGS: ClaimMappings = { username: { claim: 'sub', prefix: 'prefix' } }
const FOO_BAR_RULE: ClaimValidationRule = { claim: 'foo', requiredValue: 'bar' }
const CLAIM_PREFIX = { claim: 'claim', prefix: 'prefix' }

const EMAIL_VERIFIED =
  'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression'
const FOO_BAR_CEL = `compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`
const EGRESS_GATE_SKIP =
  'turns the StructuredAuthenticationConfigurationEgressSelector gate off; Kubernetes 1.37 has it on by default and this webhook has no gates'

/** One `jwt[0]` entry: the upstream valid configuration with `parts` put over it. */
function entry(parts: Partial<JWTAuthenticator>): JWTAuthenticator[] {
  return [{ issuer: BASE_ISSUER, claimMappings: BASE_MAPPINGS, ...parts }]
}
const withIssuer = (issuer: Issuer) => entry({ issuer: { ...BASE_ISSUER, ...issuer } })
const withClaimRules = (claimValidationRules: ClaimValidationRule[]) =>
  entry({ claimValidationRules })
const withMappings = (claimMappings: ClaimMappings) => entry({ claimMappings })
const withUserRules = (userValidationRules: UserValidationRule[]) => entry({ userValidationRules })
/** TestValidateAuthenticationConfiguration's usual entry: foo=bar rule, `claimMappings` as given. */
const configEntry = (
  claimMappings: ClaimMappings,
  extra: Partial<JWTAuthenticator> = {},
): JWTAuthenticator => ({
  issuer: BASE_ISSUER,
  claimValidationRules: [FOO_BAR_RULE],
  claimMappings,
  ...extra,
})
/** TestValidateClaimMappings' reserved-domain cases: username and groups by expression, extra keys. */
const reservedKeyMappings = (keys: readonly string[]): ClaimMappings => ({
  username: { expression: 'claims.username' },
  groups: { expression: 'claims.groups' },
  extra: keys.map((key) => ({ key, valueExpression: 'claims.extra' })),
})
const usernameExpression = (expression: string) => [configEntry({ username: { expression } })]

export const TABLES: readonly UpstreamTable[] = [
  {
    test: 'TestValidateAuthenticationConfiguration',
    cases: [
      { name: 'jwt authenticator is empty', want: [] },
      {
        name: 'duplicate issuer across jwt authenticators',
        jwt: [configEntry(BASE_MAPPINGS), configEntry(BASE_MAPPINGS)],
        want: ['jwt[1].issuer.url: Duplicate value: "https://issuer-url"'],
      },
      {
        name: 'duplicate discoveryURL across jwt authenticators',
        jwt: [
          configEntry(BASE_MAPPINGS, {
            issuer: {
              ...BASE_ISSUER,
              discoveryURL: 'https://discovery-url/.well-known/openid-configuration',
            },
          }),
          configEntry(BASE_MAPPINGS, {
            issuer: {
              url: 'https://different-issuer-url',
              discoveryURL: 'https://discovery-url/.well-known/openid-configuration',
              audiences: ['audience'],
            },
          }),
        ],
        want: [
          'jwt[1].issuer.discoveryURL: Duplicate value: "https://discovery-url/.well-known/openid-configuration"',
        ],
      },
      {
        name: 'failed issuer validation',
        jwt: [
          {
            issuer: { url: 'invalid-url', audiences: ['audience'] },
            claimMappings: { username: CLAIM_PREFIX },
          },
        ],
        want: ['jwt[0].issuer.url: Invalid value: "invalid-url": URL scheme must be https'],
      },
      {
        name: 'failed claimValidationRule validation',
        jwt: [
          configEntry(
            { username: CLAIM_PREFIX },
            { claimValidationRules: [FOO_BAR_RULE, { claim: 'foo', requiredValue: 'baz' }] },
          ),
        ],
        want: ['jwt[0].claimValidationRules[1].claim: Duplicate value: "foo"'],
      },
      {
        name: 'failed claimMapping validation',
        jwt: [configEntry({ username: { prefix: 'prefix' } })],
        want: ['jwt[0].claimMappings.username: Required value: claim or expression is required'],
      },
      {
        name: 'failed userValidationRule validation',
        jwt: [
          configEntry(BASE_MAPPINGS, {
            userValidationRules: [
              { expression: "user.username == 'foo'" },
              { expression: "user.username == 'foo'" },
            ],
          }),
        ],
        want: [
          `jwt[0].userValidationRules[1].expression: Duplicate value: "user.username == 'foo'"`,
        ],
      },
      {
        name: 'valid authentication configuration with disallowed issuer',
        jwt: [configEntry(BASE_MAPPINGS)],
        want: [
          'jwt[0].issuer.url: Invalid value: "https://issuer-url": URL must not overlap with disallowed issuers: [a b c https://issuer-url]',
        ],
        disallowedIssuers: ['a', 'b', 'c', 'https://issuer-url'],
      },
      {
        name: 'valid authentication configuration that uses unverified email',
        jwt: usernameExpression('claims.email'),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that almost uses unverified email',
        jwt: usernameExpression('claims.email_'),
        want: [],
      },
      {
        name: 'valid authentication configuration that uses unverified email join',
        jwt: usernameExpression("['yay', string(claims.email), 'panda'].join(' ')"),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "['yay', string(claims.email), 'panda'].join(' ')": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that uses unverified optional email',
        jwt: usernameExpression('claims.?email'),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "claims.?email": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that uses unverified optional map email key',
        jwt: usernameExpression('{claims.?email: "panda"}'),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "{claims.?email: \\"panda\\"}": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that uses unverified optional map email value',
        jwt: usernameExpression('{"fancy": claims.?email}'),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "{\\"fancy\\": claims.?email}": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that uses unverified email value in list iteration',
        jwt: usernameExpression('["a"].map(i, i + claims.email)'),
        want: [
          `jwt[0].claimMappings.username.expression: Invalid value: "[\\"a\\"].map(i, i + claims.email)": ${EMAIL_VERIFIED}`,
        ],
      },
      {
        name: 'valid authentication configuration that uses verified email join via rule',
        jwt: [
          {
            issuer: BASE_ISSUER,
            claimValidationRules: [{ expression: 'string(claims.email_verified) == "panda"' }],
            claimMappings: {
              username: { expression: "['yay', string(claims.email), 'panda'].join(' ')" },
            },
          },
        ],
        want: [],
      },
      {
        name: 'valid authentication configuration that uses verified email join via extra',
        jwt: [
          configEntry({
            username: { expression: "['yay', string(claims.email), 'panda'].join(' ')" },
            extra: [{ key: 'panda.io/foo', valueExpression: 'claims.email_verified.upperAscii()' }],
          }),
        ],
        want: [],
      },
      {
        name: 'valid authentication configuration that uses verified email join via extra optional',
        jwt: [
          configEntry({
            username: { expression: "['yay', string(claims.email), 'panda'].join(' ')" },
            extra: [{ key: 'panda.io/foo', valueExpression: 'claims.?email_verified' }],
          }),
        ],
        want: [],
      },
      {
        name: 'valid authentication configuration that uses email and email_verified || true via username',
        jwt: usernameExpression('claims.?email_verified.orValue(true) ? claims.email : claims.sub'),
        want: [],
      },
      {
        name: 'valid authentication configuration that uses email and email_verified || false via username',
        jwt: usernameExpression(
          'claims.?email_verified.orValue(false) ? claims.email : claims.sub',
        ),
        want: [],
      },
      { name: 'valid authentication configuration', jwt: [configEntry(BASE_MAPPINGS)], want: [] },
      // Added upstream after this table was first transcribed (Kubernetes 1.33 and 1.34).
      {
        name: 'valid authentication configuration with invalid egress type',
        jwt: [
          configEntry(BASE_MAPPINGS, { issuer: { ...BASE_ISSUER, egressSelectorType: 'panda' } }),
        ],
        disallowedIssuers: ['a', 'b', 'c'],
        want: [
          'jwt[0].issuer.egressSelectorType: Invalid value: "panda": egress selector must be either controlplane or cluster',
        ],
      },
      {
        name: 'valid authentication configuration with valid egress type with StructuredAuthenticationConfigurationEgressSelector feature disabled',
        jwt: [
          configEntry(BASE_MAPPINGS, {
            issuer: { ...BASE_ISSUER, egressSelectorType: 'controlplane' },
          }),
        ],
        disallowedIssuers: ['a', 'b', 'c'],
        want: [
          'jwt[0].issuer.egressSelectorType: Invalid value: "controlplane": egress selector is not supported when StructuredAuthenticationConfigurationEgressSelector feature gate is disabled',
        ],
        skip: EGRESS_GATE_SKIP,
      },
      {
        name: 'valid authentication configuration with valid egress type with GA features only',
        jwt: [
          configEntry(BASE_MAPPINGS, {
            issuer: { ...BASE_ISSUER, egressSelectorType: 'controlplane' },
          }),
        ],
        disallowedIssuers: ['a', 'b', 'c'],
        want: [
          'jwt[0].issuer.egressSelectorType: Invalid value: "controlplane": egress selector is not supported when StructuredAuthenticationConfigurationEgressSelector feature gate is disabled',
        ],
        skip: EGRESS_GATE_SKIP,
      },
      {
        name: 'valid authentication configuration with valid egress type',
        jwt: [
          configEntry(BASE_MAPPINGS, { issuer: { ...BASE_ISSUER, egressSelectorType: 'cluster' } }),
        ],
        disallowedIssuers: ['a', 'b', 'c'],
        want: [],
      },
      {
        name: 'valid authentication configuration that uses verified email via claim validation rule',
        jwt: entry({
          claimValidationRules: [{ expression: 'claims.?email_verified.orValue(true) == true' }],
          claimMappings: { username: { expression: '{claims.?email: "panda"}' } },
        }),
        want: [],
      },
      {
        name: 'valid authentication configuration that uses verified email via claim validation rule incorrectly',
        jwt: entry({
          claimValidationRules: [{ expression: 'claims.?email_verified.orValue(true)' }],
          claimMappings: { username: { expression: '{claims.?email: "panda"}' } },
        }),
        want: [
          'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.?email_verified.orValue(true)": must evaluate to bool',
          `jwt[0].claimMappings.username.expression: Invalid value: "{claims.?email: \\"panda\\"}": ${EMAIL_VERIFIED}`,
        ],
      },
    ],
  },
  {
    test: 'TestValidateIssuerURL',
    root: ['issuer.url', 'jwt[0].issuer.url'],
    cases: [
      {
        name: 'url is empty',
        jwt: withIssuer({ url: '' }),
        want: ['issuer.url: Required value'],
      },
      {
        name: 'url parse error',
        jwt: withIssuer({ url: 'https://issuer-url:invalid-port' }),
        want: [
          'issuer.url: Invalid value: "https://issuer-url:invalid-port": parse "https://issuer-url:invalid-port": invalid port ":invalid-port" after host',
        ],
      },
      {
        name: 'url is not https',
        jwt: withIssuer({ url: 'http://issuer-url' }),
        want: ['issuer.url: Invalid value: "http://issuer-url": URL scheme must be https'],
      },
      {
        name: 'url user info is not allowed',
        // Deliberate difference: the password is shown as *** (kube-apiserver prints it).
        jwt: withIssuer({ url: 'https://user:pass@issuer-url' }),
        want: [
          'issuer.url: Invalid value: "https://user:***@issuer-url": URL must not contain a username or password',
        ],
      },
      {
        name: 'url raw query is not allowed',
        jwt: withIssuer({ url: 'https://issuer-url?query' }),
        want: [
          'issuer.url: Invalid value: "https://issuer-url?query": URL must not contain a query',
        ],
      },
      {
        name: 'url fragment is not allowed',
        jwt: withIssuer({ url: 'https://issuer-url#fragment' }),
        want: [
          'issuer.url: Invalid value: "https://issuer-url#fragment": URL must not contain a fragment',
        ],
      },
      {
        name: 'valid url that is disallowed',
        jwt: withIssuer({ url: 'https://issuer-url' }),
        want: [
          'issuer.url: Invalid value: "https://issuer-url": URL must not overlap with disallowed issuers: [https://issuer-url]',
        ],
        disallowedIssuers: ['https://issuer-url'],
      },
      { name: 'valid url', jwt: withIssuer({ url: 'https://issuer-url' }), want: [] },
    ],
  },
  {
    test: 'TestValidateIssuerDiscoveryURL',
    root: ['issuer.discoveryURL', 'jwt[0].issuer.discoveryURL'],
    // Upstream checks discoveryURL alone (issuer url ""); a file needs a url, and
    // https://issuer-url differs from every discoveryURL of those cases.
    cases: [
      { name: 'url is empty', jwt: withIssuer({ discoveryURL: '' }), want: [] },
      {
        name: 'url parse error',
        jwt: withIssuer({ discoveryURL: 'https://oidc.oidc-namespace.svc:invalid-port' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc:invalid-port": parse "https://oidc.oidc-namespace.svc:invalid-port": invalid port ":invalid-port" after host',
        ],
      },
      {
        name: 'url is not https',
        jwt: withIssuer({ discoveryURL: 'http://oidc.oidc-namespace.svc' }),
        want: [
          'issuer.discoveryURL: Invalid value: "http://oidc.oidc-namespace.svc": URL scheme must be https',
        ],
      },
      {
        name: 'url user info is not allowed',
        jwt: withIssuer({ discoveryURL: 'https://user:pass@oidc.oidc-namespace.svc' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://user:***@oidc.oidc-namespace.svc": URL must not contain a username or password',
        ],
      },
      {
        name: 'url raw query is not allowed',
        jwt: withIssuer({ discoveryURL: 'https://oidc.oidc-namespace.svc?query' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc?query": URL must not contain a query',
        ],
      },
      {
        name: 'url fragment is not allowed',
        jwt: withIssuer({ discoveryURL: 'https://oidc.oidc-namespace.svc#fragment' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc#fragment": URL must not contain a fragment',
        ],
      },
      {
        name: 'valid url',
        jwt: withIssuer({ discoveryURL: 'https://oidc.oidc-namespace.svc' }),
        want: [],
      },
      {
        name: 'valid url with path',
        jwt: withIssuer({ discoveryURL: 'https://oidc.oidc-namespace.svc/path' }),
        want: [],
      },
      {
        name: 'discovery url same as issuer url',
        jwt: withIssuer({ url: 'https://issuer-url', discoveryURL: 'https://issuer-url' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://issuer-url": discoveryURL must be different from URL',
        ],
      },
      {
        name: 'discovery url same as issuer url, with trailing slash',
        jwt: withIssuer({ url: 'https://issuer-url', discoveryURL: 'https://issuer-url/' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://issuer-url/": discoveryURL must be different from URL',
        ],
      },
      {
        name: 'discovery url same as issuer url, with multiple trailing slashes',
        jwt: withIssuer({ url: 'https://issuer-url', discoveryURL: 'https://issuer-url///' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://issuer-url///": discoveryURL must be different from URL',
        ],
      },
      {
        name: 'discovery url same as issuer url, issuer url with trailing slash',
        jwt: withIssuer({ url: 'https://issuer-url/', discoveryURL: 'https://issuer-url' }),
        want: [
          'issuer.discoveryURL: Invalid value: "https://issuer-url": discoveryURL must be different from URL',
        ],
      },
    ],
  },
  {
    test: 'TestValidateAudiences',
    root: ['issuer.', 'jwt[0].issuer.'],
    cases: [
      {
        name: 'audiences is empty',
        jwt: withIssuer({ audiences: [] }),
        want: ['issuer.audiences: Required value: at least one issuer.audiences is required'],
      },
      {
        name: 'audience is empty',
        jwt: withIssuer({ audiences: [''] }),
        want: ['issuer.audiences[0]: Required value'],
      },
      {
        name: 'invalid match policy with single audience',
        jwt: withIssuer({ audiences: ['audience'], audienceMatchPolicy: 'MatchExact' }),
        want: [
          'issuer.audienceMatchPolicy: Invalid value: "MatchExact": audienceMatchPolicy must be empty or MatchAny for single audience',
        ],
      },
      { name: 'valid audience', jwt: withIssuer({ audiences: ['audience'] }), want: [] },
      {
        name: 'valid audience with MatchAny policy',
        jwt: withIssuer({ audiences: ['audience'], audienceMatchPolicy: 'MatchAny' }),
        want: [],
      },
      {
        name: 'duplicate audience',
        jwt: withIssuer({ audiences: ['audience', 'audience'], audienceMatchPolicy: 'MatchAny' }),
        want: ['issuer.audiences[1]: Duplicate value: "audience"'],
      },
      {
        name: 'match policy not set with multiple audiences',
        jwt: withIssuer({ audiences: ['audience1', 'audience2'] }),
        want: [
          'issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
        ],
      },
      {
        name: 'valid multiple audiences',
        jwt: withIssuer({ audiences: ['audience1', 'audience2'], audienceMatchPolicy: 'MatchAny' }),
        want: [],
      },
    ],
  },
  {
    test: 'TestValidateCertificateAuthority',
    root: ['issuer.certificateAuthority', 'jwt[0].issuer.certificateAuthority'],
    cases: [
      {
        name: 'invalid certificate authority',
        jwt: withIssuer({ certificateAuthority: 'invalid' }),
        want: [
          'issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates',
        ],
      },
      {
        name: 'certificate authority is empty',
        jwt: withIssuer({ certificateAuthority: '' }),
        want: [],
      },
      {
        name: 'valid certificate authority',
        jwt: withIssuer({ certificateAuthority: GENERATED_CA }),
        want: [],
      },
    ],
  },
  {
    test: 'TestValidateClaimValidationRules',
    root: ['issuer.claimValidationRules', 'jwt[0].claimValidationRules'],
    cases: [
      {
        name: 'claim and expression are empty, structured authn feature enabled',
        jwt: withClaimRules([{}]),
        want: ['issuer.claimValidationRules[0]: Required value: claim or expression is required'],
      },
      {
        name: 'claim and expression are set',
        jwt: withClaimRules([{ claim: 'claim', expression: 'expression' }]),
        want: [
          `issuer.claimValidationRules[0]: Invalid value: "claim": claim and expression can't both be set`,
        ],
      },
      {
        name: 'message set when claim is set',
        jwt: withClaimRules([{ claim: 'claim', message: 'message' }]),
        want: [
          'issuer.claimValidationRules[0].message: Invalid value: "message": may not be specified when claim is set',
        ],
      },
      {
        name: 'requiredValue set when expression is set',
        jwt: withClaimRules([{ expression: "claims.foo == 'bar'", requiredValue: 'value' }]),
        want: [
          'issuer.claimValidationRules[0].requiredValue: Invalid value: "value": may not be specified when expression is set',
        ],
      },
      {
        name: 'duplicate claim',
        jwt: withClaimRules([{ claim: 'claim' }, { claim: 'claim' }]),
        want: ['issuer.claimValidationRules[1].claim: Duplicate value: "claim"'],
      },
      {
        name: 'duplicate expression',
        jwt: withClaimRules([
          { expression: "claims.foo == 'bar'" },
          { expression: "claims.foo == 'bar'" },
        ]),
        want: [`issuer.claimValidationRules[1].expression: Duplicate value: "claims.foo == 'bar'"`],
      },
      {
        name: 'CEL expression compilation error',
        jwt: withClaimRules([{ expression: 'foo.bar' }]),
        want: [
          `issuer.claimValidationRules[0].expression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`,
        ],
        celCompileError: true,
      },
      {
        name: 'expression does not evaluate to bool',
        jwt: withClaimRules([{ expression: 'claims.foo' }]),
        want: [
          'issuer.claimValidationRules[0].expression: Invalid value: "claims.foo": must evaluate to bool',
        ],
      },
      {
        name: 'valid claim validation rule with expression',
        jwt: withClaimRules([{ expression: "claims.foo == 'bar'" }]),
        want: [],
      },
      {
        name: 'valid claim validation rule with multiple rules and email_verified check',
        jwt: withClaimRules([
          { claim: 'claim1', requiredValue: 'value1' },
          { claim: 'claim2', requiredValue: 'value2' },
          { expression: 'has(claims.email_verified)' },
        ]),
        want: [],
      },
      {
        name: 'valid claim validation rule with multiple rules and almost email_verified check',
        jwt: withClaimRules([
          { claim: 'claim1', requiredValue: 'value1' },
          { claim: 'claim2', requiredValue: 'value2' },
          { expression: 'has(claims.email_verified_)' },
        ]),
        want: [],
      },
      {
        name: 'valid claim validation rule with multiple rules',
        jwt: withClaimRules([
          { claim: 'claim1', requiredValue: 'value1' },
          { claim: 'claim2', requiredValue: 'claims.email_verified' },
        ]),
        want: [],
      },
    ],
  },
  {
    test: 'TestValidateClaimMappings',
    root: ['issuer.claimMappings', 'jwt[0].claimMappings'],
    cases: [
      {
        name: 'username expression and claim are set',
        jwt: withMappings({ username: { claim: 'claim', expression: 'claims.username' } }),
        want: [
          `issuer.claimMappings.username: Invalid value: "": claim and expression can't both be set`,
        ],
      },
      {
        name: 'username expression and claim are empty',
        jwt: withMappings({ username: {} }),
        want: ['issuer.claimMappings.username: Required value: claim or expression is required'],
      },
      {
        name: 'username prefix set when expression is set',
        jwt: withMappings({ username: { expression: 'claims.username', prefix: 'prefix' } }),
        want: [
          'issuer.claimMappings.username.prefix: Invalid value: "prefix": may not be specified when expression is set',
        ],
      },
      {
        name: 'username prefix is nil when claim is set',
        jwt: withMappings({ username: { claim: 'claim' } }),
        want: [
          'issuer.claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
        ],
      },
      {
        name: 'username expression is invalid',
        jwt: withMappings({ username: { expression: 'foo.bar' } }),
        want: [
          `issuer.claimMappings.username.expression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`,
        ],
        celCompileError: true,
      },
      {
        name: 'groups expression and claim are set',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          groups: { claim: 'claim', expression: 'claims.groups' },
        }),
        want: [
          `issuer.claimMappings.groups: Invalid value: "": claim and expression can't both be set`,
        ],
      },
      {
        name: 'groups prefix set when expression is set',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          groups: { expression: 'claims.groups', prefix: 'prefix' },
        }),
        want: [
          'issuer.claimMappings.groups.prefix: Invalid value: "prefix": may not be specified when expression is set',
        ],
      },
      {
        name: 'groups prefix is nil when claim is set',
        jwt: withMappings({ username: CLAIM_PREFIX, groups: { claim: 'claim' } }),
        want: [
          'issuer.claimMappings.groups.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
        ],
      },
      {
        name: 'groups expression is invalid',
        jwt: withMappings({ username: CLAIM_PREFIX, groups: { expression: 'foo.bar' } }),
        want: [`issuer.claimMappings.groups.expression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`],
        celCompileError: true,
      },
      {
        name: 'uid claim and expression are set',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          uid: { claim: 'claim', expression: 'claims.uid' },
        }),
        want: [
          `issuer.claimMappings.uid: Invalid value: "": claim and expression can't both be set`,
        ],
      },
      {
        name: 'uid expression is invalid',
        jwt: withMappings({ username: CLAIM_PREFIX, uid: { expression: 'foo.bar' } }),
        want: [`issuer.claimMappings.uid.expression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`],
        celCompileError: true,
      },
      {
        name: 'extra mapping key is empty',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          extra: [{ key: '', valueExpression: 'claims.extra' }],
        }),
        want: ['issuer.claimMappings.extra[0].key: Required value'],
      },
      {
        name: 'extra mapping value expression is empty',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          extra: [{ key: 'example.org/foo', valueExpression: '' }],
        }),
        want: ['issuer.claimMappings.extra[0].valueExpression: Required value'],
      },
      {
        name: 'extra mapping value expression is invalid',
        jwt: withMappings({
          username: CLAIM_PREFIX,
          extra: [{ key: 'example.org/foo', valueExpression: 'foo.bar' }],
        }),
        want: [
          `issuer.claimMappings.extra[0].valueExpression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`,
        ],
        celCompileError: true,
      },
      {
        name: 'duplicate extra mapping key',
        jwt: withMappings({
          username: { expression: 'claims.username' },
          groups: { expression: 'claims.groups' },
          extra: [
            { key: 'example.org/foo', valueExpression: 'claims.extra' },
            { key: 'example.org/foo', valueExpression: 'claims.extras' },
          ],
        }),
        want: ['issuer.claimMappings.extra[1].key: Duplicate value: "example.org/foo"'],
      },
      {
        name: 'extra mapping key is not domain prefix path',
        jwt: withMappings({
          username: { expression: 'claims.username' },
          groups: { expression: 'claims.groups' },
          extra: [{ key: 'foo', valueExpression: 'claims.extra' }],
        }),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")',
        ],
      },
      {
        name: 'extra mapping key is not lower case',
        jwt: withMappings({
          username: { expression: 'claims.username' },
          groups: { expression: 'claims.groups' },
          extra: [{ key: 'example.org/Foo', valueExpression: 'claims.extra' }],
        }),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "example.org/Foo": must be lowercase',
        ],
      },
      {
        name: 'extra mapping key prefix is k8.io',
        jwt: withMappings(reservedKeyMappings(['k8s.io/foo'])),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "k8s.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        ],
      },
      {
        name: 'extra mapping key prefix contains k8.io',
        jwt: withMappings(reservedKeyMappings(['example.k8s.io/foo'])),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "example.k8s.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        ],
      },
      {
        name: 'extra mapping key prefix is kubernetes.io',
        jwt: withMappings(reservedKeyMappings(['kubernetes.io/foo'])),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "kubernetes.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        ],
      },
      {
        name: 'extra mapping key prefix contains kubernetes.io',
        jwt: withMappings(reservedKeyMappings(['example.kubernetes.io/foo'])),
        want: [
          'issuer.claimMappings.extra[0].key: Invalid value: "example.kubernetes.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
        ],
      },
      {
        name: 'extra mapping key prefix with ak8s.io, *.ak8s.io, bkubernetes.io, *.bkubernetes.io are still valid',
        jwt: withMappings(
          reservedKeyMappings([
            'ak8s.io/foo',
            'example.ak8s.io/foo',
            'bkubernetes.io/foo',
            'example.bkubernetes.io/foo',
          ]),
        ),
        want: [],
      },
      ...emailMappingCases(),
      {
        name: 'valid claim mappings',
        jwt: withMappings({
          username: { expression: 'claims.username' },
          groups: { expression: 'claims.groups' },
          uid: { expression: 'claims.uid' },
          extra: [{ key: 'example.org/foo', valueExpression: 'claims.extra' }],
        }),
        want: [],
      },
    ],
  },
  {
    test: 'TestValidateUserValidationRules',
    root: ['issuer.userValidationRules', 'jwt[0].userValidationRules'],
    cases: [
      {
        name: 'user info validation rule, expression is empty',
        jwt: withUserRules([{}]),
        want: ['issuer.userValidationRules[0].expression: Required value'],
      },
      {
        name: 'duplicate expression',
        jwt: withUserRules([
          { expression: "user.username == 'foo'" },
          { expression: "user.username == 'foo'" },
        ]),
        want: [
          `issuer.userValidationRules[1].expression: Duplicate value: "user.username == 'foo'"`,
        ],
      },
      {
        name: 'expression is invalid',
        jwt: withUserRules([{ expression: 'foo.bar' }]),
        want: [
          `issuer.userValidationRules[0].expression: Invalid value: "foo.bar": ${FOO_BAR_CEL}`,
        ],
        celCompileError: true,
      },
      {
        name: 'expression does not return bool',
        jwt: withUserRules([{ expression: 'user.username' }]),
        want: [
          'issuer.userValidationRules[0].expression: Invalid value: "user.username": must evaluate to bool',
        ],
      },
      {
        name: 'valid user info validation rule',
        jwt: withUserRules([
          { expression: "user.username == 'foo'" },
          {
            expression: "!user.username.startsWith('system:')",
            message: 'username cannot used reserved system: prefix',
          },
        ]),
        want: [],
      },
    ],
  },
]

/** TestValidateClaimMappings' email_verified cases: username, groups, uid and one extra by expression. */
function emailMappingCases(): ConfigCase[] {
  const mappings = (username: string, extraValue: string): ClaimMappings => ({
    username: { expression: username },
    groups: { expression: 'claims.groups' },
    uid: { expression: 'claims.uid' },
    extra: [{ key: 'example.org/foo', valueExpression: extraValue }],
  })
  const refused = (username: string) => [
    `issuer.claimMappings.username.expression: Invalid value: ${JSON.stringify(username)}: ${EMAIL_VERIFIED}`,
  ]
  return [
    {
      name: 'valid claim mappings but uses email without verification',
      jwt: withMappings(mappings('claims.email', 'claims.extra')),
      want: refused('claims.email'),
    },
    {
      name: 'valid claim mappings but uses email in complex CEL expression without verification',
      jwt: withMappings(mappings('has(claims.email) ? claims.email : claims.sub', 'claims.extra')),
      want: refused('has(claims.email) ? claims.email : claims.sub'),
    },
    {
      name: 'valid claim mappings but uses email in CEL expression function without verification',
      jwt: withMappings(mappings('claims.email.trim()', 'claims.extra')),
      want: refused('claims.email.trim()'),
    },
    {
      name: 'valid claim mappings and uses email with verification via extra',
      jwt: withMappings(mappings('claims.email', 'claims.email_verified')),
      want: [],
    },
    {
      name: 'valid claim mappings and uses email with verification via extra optional',
      jwt: withMappings(
        mappings(
          'claims.email',
          'has(claims.email_verified) ? string(claims.email_verified) : "false"',
        ),
      ),
      want: [],
    },
    {
      name: 'valid claim mappings and almost uses email with verification via extra optional',
      jwt: withMappings(
        mappings(
          'claims.email',
          'has(claims.email_verified_) ? string(claims.email_verified_) : "false"',
        ),
      ),
      want: refused('claims.email'),
    },
    {
      name: 'valid claim mappings and uses email with verification via hasVerifiedEmail',
      jwt: entry({
        claimValidationRules: [{ expression: 'claims.email_verified == true' }],
        claimMappings: mappings('claims.email', 'claims.extra'),
      }),
      want: [],
      adjusted:
        'upstream presets validationState.usesEmailVerifiedClaim; in a file that flag comes from a claim validation rule, so one using claims.email_verified is added',
    },
    {
      name: 'valid claim mappings that almost use claims.email',
      jwt: withMappings(mappings('claims.email_', 'claims.extra')),
      want: [],
    },
    {
      name: 'valid claim mappings that almost use claims.email via nesting',
      jwt: withMappings(mappings('claims.other.claims.email', 'claims.extra')),
      want: [],
    },
  ]
}

const OPAQUE_MAPPINGS = (key: string): JWTAuthenticator[] =>
  withMappings({
    username: { expression: 'claims.username' },
    extra: [{ key, valueExpression: 'claims.extra' }],
  })
const DNS1123 =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

/**
 * Not transcribed: rules of current validation.go (ValidateAuthenticationConfiguration,
 * validateClaimMappings, isKubernetesDomainPrefix) that newer upstream tables test
 * but the indexed validation_test.go predates, plus whole-file aggregates. Written
 * from the rules, in our paths (no `root`).
 */
export const CURRENT_RULES: UpstreamTable = {
  test: 'validation.go rules without an indexed upstream case',
  cases: [
    {
      name: 'more than 64 authenticators: only the count is reported',
      jwt: Array.from({ length: 65 }, () => ({})),
      want: ['jwt: Too many: 65: must have at most 64 items'],
    },
    {
      name: 'exactly 64 authenticators are allowed',
      jwt: Array.from({ length: 64 }, (_, i) => ({
        issuer: { url: `https://issuer-${i}`, audiences: ['audience'] },
        claimMappings: BASE_MAPPINGS,
      })),
      want: [],
    },
    {
      name: 'empty entries: every required field, then the duplicate empty url',
      jwt: [{}, {}],
      want: [
        'jwt[0].issuer.url: Required value',
        'jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required',
        'jwt[0].claimMappings.username: Required value: claim or expression is required',
        'jwt[1].issuer.url: Required value',
        'jwt[1].issuer.audiences: Required value: at least one jwt[1].issuer.audiences is required',
        'jwt[1].claimMappings.username: Required value: claim or expression is required',
        'jwt[1].issuer.url: Duplicate value: ""',
      ],
    },
    {
      name: 'every URL rule at once, in validateURL order',
      jwt: withIssuer({ url: 'http://user@issuer-url?q#f' }),
      want: [
        'jwt[0].issuer.url: Invalid value: "http://user@issuer-url?q#f": URL scheme must be https',
        'jwt[0].issuer.url: Invalid value: "http://user@issuer-url?q#f": URL must not contain a username or password',
        'jwt[0].issuer.url: Invalid value: "http://user@issuer-url?q#f": URL must not contain a query',
        'jwt[0].issuer.url: Invalid value: "http://user@issuer-url?q#f": URL must not contain a fragment',
      ],
    },
    {
      name: 'discoveryURL equal to url and not https: both reported, equality first',
      jwt: withIssuer({ url: 'http://issuer-url', discoveryURL: 'http://issuer-url/' }),
      want: [
        'jwt[0].issuer.url: Invalid value: "http://issuer-url": URL scheme must be https',
        'jwt[0].issuer.discoveryURL: Invalid value: "http://issuer-url/": discoveryURL must be different from URL',
        'jwt[0].issuer.discoveryURL: Invalid value: "http://issuer-url/": URL scheme must be https',
      ],
    },
    {
      name: 'empty and repeated audiences with no policy',
      jwt: withIssuer({ audiences: ['', ''] }),
      want: [
        'jwt[0].issuer.audiences[0]: Required value',
        'jwt[0].issuer.audiences[1]: Required value',
        'jwt[0].issuer.audiences[1]: Duplicate value: ""',
        'jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
      ],
    },
    {
      name: 'extra mapping key with an upper-case reserved domain: every rule reports',
      jwt: OPAQUE_MAPPINGS('K8S.io/Foo'),
      want: [
        `jwt[0].claimMappings.extra[0].key: Invalid value: "K8S.io": ${DNS1123}`,
        'jwt[0].claimMappings.extra[0].key: Invalid value: "K8S.io/Foo": must be lowercase',
      ],
    },
    {
      name: 'extra mapping key path with a space',
      jwt: OPAQUE_MAPPINGS('example.org/a b'),
      want: [
        `jwt[0].claimMappings.extra[0].key: Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
      ],
    },
    {
      name: 'repeated invalid extra key: errors again, then duplicate, value not checked',
      jwt: withMappings({
        username: { expression: 'claims.username' },
        extra: [
          { key: 'foo', valueExpression: 'claims.extra' },
          { key: 'foo', valueExpression: '' },
        ],
      }),
      want: [
        'jwt[0].claimMappings.extra[0].key: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")',
        'jwt[0].claimMappings.extra[1].key: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")',
        'jwt[0].claimMappings.extra[1].key: Duplicate value: "foo"',
      ],
    },
    {
      name: 'empty prefix with an expression is still a prefix',
      jwt: withMappings({ username: { expression: 'claims.sub', prefix: '' } }),
      want: [
        'jwt[0].claimMappings.username.prefix: Invalid value: "": may not be specified when expression is set',
      ],
    },
    {
      name: 'groups with only a prefix is accepted',
      jwt: withMappings({ username: BASE_MAPPINGS.username ?? {}, groups: { prefix: 'oidc:' } }),
      want: [],
    },
    {
      name: 'email rule: a username mapping with another error does not count',
      jwt: withMappings({ username: { expression: 'claims.email', prefix: 'p' } }),
      want: [
        'jwt[0].claimMappings.username.prefix: Invalid value: "p": may not be specified when expression is set',
      ],
    },
    {
      name: 'email rule: claims.email_verified in a claim rule that is not bool does not count',
      jwt: entry({
        claimValidationRules: [{ expression: 'claims.email_verified' }],
        claimMappings: { username: { expression: 'claims.email' } },
      }),
      want: [
        'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.email_verified": must evaluate to bool',
        `jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_VERIFIED}`,
      ],
    },
    {
      name: 'email rule: has(claims.email_verified) in a claim rule satisfies it',
      jwt: entry({
        claimValidationRules: [{ expression: 'has(claims.email_verified)' }],
        claimMappings: { username: { expression: 'claims.email' } },
      }),
      want: [],
    },
    {
      name: 'email rule: has(claims.email_verified_) in a claim rule does not',
      jwt: entry({
        claimValidationRules: [{ expression: 'has(claims.email_verified_)' }],
        claimMappings: { username: { expression: 'claims.email' } },
      }),
      want: [
        `jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_VERIFIED}`,
      ],
    },
    {
      name: 'email rule: index syntax neither triggers nor satisfies it (hasSelectExp sees selects only)',
      jwt: entry({
        claimValidationRules: [{ expression: 'claims["email_verified"] == true' }],
        claimMappings: {
          username: { expression: 'claims["email"] + claims[?"email"].orValue("")' },
        },
      }),
      want: [],
    },
    {
      name: 'email rule: index syntax does not satisfy it for claims.email',
      jwt: entry({
        claimValidationRules: [{ expression: 'claims[?"email_verified"].orValue(false) == true' }],
        claimMappings: { username: { expression: 'claims.email' } },
      }),
      want: [
        `jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_VERIFIED}`,
      ],
    },
    {
      name: 'email rule: a comprehension variable named claims still counts (the check is syntactic)',
      jwt: withMappings({
        username: { expression: '[{"email": "a"}].map(claims, claims.email)[0]' },
      }),
      want: [
        `jwt[0].claimMappings.username.expression: Invalid value: "[{\\"email\\": \\"a\\"}].map(claims, claims.email)[0]": ${EMAIL_VERIFIED}`,
      ],
    },
    {
      name: 'email rule: claims.email in groups, uid or extra does not trigger it',
      jwt: withMappings({
        username: { expression: 'claims.sub' },
        groups: { expression: '[claims.email]' },
        uid: { expression: 'claims.email' },
        extra: [{ key: 'example.org/email', valueExpression: 'claims.email' }],
      }),
      want: [],
    },
    {
      name: 'email rule: claims.email_verified in a userValidationRule does not satisfy it',
      jwt: entry({
        claimMappings: { username: { expression: 'claims.email' } },
        userValidationRules: [{ expression: "user.username != 'claims.email_verified'" }],
      }),
      want: [
        `jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_VERIFIED}`,
      ],
    },
    {
      name: 'claim rule message and requiredValue are each checked against their own kind',
      jwt: withClaimRules([
        { claim: 'a', requiredValue: 'x', message: 'm' },
        { expression: 'has(claims.b)', requiredValue: 'y', message: 'ok' },
      ]),
      want: [
        'jwt[0].claimValidationRules[0].message: Invalid value: "m": may not be specified when claim is set',
        'jwt[0].claimValidationRules[1].requiredValue: Invalid value: "y": may not be specified when expression is set',
      ],
    },
    {
      name: 'anonymous enabled with conditions is accepted (no effect on reviews)',
      anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }] },
      want: [],
    },
    {
      name: 'anonymous conditions need enabled',
      anonymous: { enabled: false, conditions: [{ path: '/livez' }] },
      want: [
        'anonymous.conditions: Invalid value: [{"Path":"/livez"}]: enabled should be set to true when conditions are defined',
      ],
    },
    {
      name: 'egressSelectorType controlplane is accepted (no effect on reviews)',
      jwt: withIssuer({ egressSelectorType: 'controlplane' }),
      want: [],
    },
    {
      name: 'egressSelectorType outside controlplane and cluster is refused',
      jwt: withIssuer({ egressSelectorType: 'etcd' }),
      want: [
        'jwt[0].issuer.egressSelectorType: Invalid value: "etcd": egress selector must be either controlplane or cluster',
      ],
    },
  ],
}
