/**
 * Cases transcribed (facts only) from Kubernetes' CEL tests and library docs:
 * k8s.io/apiserver pkg/authentication/cel/compile_test.go, pkg/cel/library/ip_test.go,
 * cidr_test.go, and the examples documented in urls.go and lists.go; cel-go
 * ext/comprehensions (two-variable macros) and ext/lists (sortBy) documented examples.
 * `want` is the plain-JS result; `error` a runtime error text; `compileError` the
 * expected compile message (the part after `compilation failed: `).
 */

export interface LibraryCase {
  readonly name: string
  readonly expr: string
  readonly want?: unknown
  readonly error?: string
  readonly compileError?: string
}

/** compile_test.go TestCompileClaimsExpressionError / TestCompileUserExpressionError. */
export interface CompileCase {
  readonly name: string
  readonly kind: 'claims-mapping' | 'claims-validation' | 'user-validation'
  readonly expr: string
  /** Substring the field error must contain (as upstream asserts with strings.Contains); undefined: compiles. */
  readonly wantErr?: string
}

export const compileCases: readonly CompileCase[] = [
  { name: 'valid ClaimMappingCondition', kind: 'claims-mapping', expr: 'claims.foo' },
  {
    name: 'valid ClaimValidationCondition',
    kind: 'claims-validation',
    expr: "claims.foo == 'bar'",
  },
  { name: 'valid ExtraMapppingCondition', kind: 'claims-mapping', expr: 'claims.foo' },
  {
    name: 'valid UserValidationCondition',
    kind: 'user-validation',
    expr: "user.username == 'bar'",
  },
  {
    name: 'invalid ClaimValidationCondition',
    kind: 'claims-validation',
    expr: 'claims.foo',
    wantErr: 'must evaluate to bool',
  },
  {
    name: 'UserValidationCondition with wrong env',
    kind: 'claims-validation',
    expr: "user.username == 'foo'",
    wantErr:
      "compilation failed: ERROR: <input>:1:1: undeclared reference to 'user' (in container '')",
  },
  {
    name: 'invalid ClaimMappingCondition',
    kind: 'claims-mapping',
    expr: 'claims + 1',
    wantErr:
      "compilation failed: ERROR: <input>:1:8: found no matching overload for '_+_' applied to '(map(string, any), int)'",
  },
  {
    name: 'invalid UserValidationCondition',
    kind: 'user-validation',
    expr: 'user.username',
    wantErr: 'must evaluate to bool',
  },
  {
    name: 'ClamMappingCondition with wrong env',
    kind: 'user-validation',
    expr: 'claims.foo',
    wantErr:
      "compilation failed: ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')",
  },
  {
    name: 'ClaimValidationCondition with wrong env',
    kind: 'user-validation',
    expr: "claims.foo == 'bar'",
    wantErr:
      "compilation failed: ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')",
  },
  {
    name: 'UserValidationCondition expression with unknown field',
    kind: 'user-validation',
    expr: "user.unknown == 'foo'",
    wantErr: "compilation failed: ERROR: <input>:1:5: undefined field 'unknown'",
  },
]

/** ip_test.go TestIP. Parse errors leave the input out (as url() does here), otherwise Go's reason. */
export const ipCases: readonly LibraryCase[] = [
  { name: 'parse ipv4', expr: 'string(ip("192.168.0.1"))', want: '192.168.0.1' },
  {
    name: 'parse invalid ipv4',
    expr: 'ip("192.168.0.1.0")',
    error: 'IP Address parse error during conversion from string: ParseAddr: IPv4 address too long',
  },
  { name: 'isIP valid ipv4', expr: 'isIP("192.168.0.1")', want: true },
  { name: 'isIP invalid ipv4', expr: 'isIP("192.168.0.1.0")', want: false },
  { name: 'ip.isCanonical valid ipv4', expr: 'ip.isCanonical("127.0.0.1")', want: true },
  {
    name: 'ip.isCanonical invalid ipv4',
    expr: 'ip.isCanonical("127.0.0.1.0")',
    error: 'IP Address parse error during conversion from string: ParseAddr: IPv4 address too long',
  },
  { name: 'ipv4 family', expr: 'ip("192.168.0.1").family()', want: 4n },
  { name: 'ipv4 isUnspecified true', expr: 'ip("0.0.0.0").isUnspecified()', want: true },
  { name: 'ipv4 isUnspecified false', expr: 'ip("127.0.0.1").isUnspecified()', want: false },
  { name: 'ipv4 isLoopback true', expr: 'ip("127.0.0.1").isLoopback()', want: true },
  { name: 'ipv4 isLoopback false', expr: 'ip("1.2.3.4").isLoopback()', want: false },
  {
    name: 'ipv4 isLinkLocalMulticast true',
    expr: 'ip("224.0.0.1").isLinkLocalMulticast()',
    want: true,
  },
  {
    name: 'ipv4 isLinkLocalMulticast false',
    expr: 'ip("224.0.1.1").isLinkLocalMulticast()',
    want: false,
  },
  {
    name: 'ipv4 isLinkLocalUnicast true',
    expr: 'ip("169.254.169.254").isLinkLocalUnicast()',
    want: true,
  },
  {
    name: 'ipv4 isLinkLocalUnicast false',
    expr: 'ip("192.168.0.1").isLinkLocalUnicast()',
    want: false,
  },
  { name: 'ipv4 isGlobalUnicast true', expr: 'ip("192.168.0.1").isGlobalUnicast()', want: true },
  {
    name: 'ipv4 isGlobalUnicast false',
    expr: 'ip("255.255.255.255").isGlobalUnicast()',
    want: false,
  },
  { name: 'parse ipv6', expr: 'string(ip("2001:db8::68"))', want: '2001:db8::68' },
  {
    name: 'parse invalid ipv6',
    expr: 'ip("2001:db8:::68")',
    error:
      'IP Address parse error during conversion from string: ParseAddr: each colon-separated field must have at least one digit',
  },
  { name: 'isIP valid ipv6', expr: 'isIP("2001:db8::68")', want: true },
  { name: 'isIP invalid ipv6', expr: 'isIP("2001:db8:::68")', want: false },
  { name: 'ip.isCanonical valid ipv6', expr: 'ip.isCanonical("2001:db8::68")', want: true },
  {
    name: 'ip.isCanonical non-canonical ipv6',
    expr: 'ip.isCanonical("2001:DB8::68")',
    want: false,
  },
  {
    name: 'ip.isCanonical invalid ipv6',
    expr: 'ip.isCanonical("2001:db8:::68")',
    error:
      'IP Address parse error during conversion from string: ParseAddr: each colon-separated field must have at least one digit',
  },
  { name: 'ipv6 family', expr: 'ip("2001:db8::68").family()', want: 6n },
  { name: 'ipv6 isUnspecified true', expr: 'ip("::").isUnspecified()', want: true },
  { name: 'ipv6 isUnspecified false', expr: 'ip("::1").isUnspecified()', want: false },
  { name: 'ipv6 isLoopback true', expr: 'ip("::1").isLoopback()', want: true },
  { name: 'ipv6 isLoopback false', expr: 'ip("2001:db8::abcd").isLoopback()', want: false },
  {
    name: 'ipv6 isLinkLocalMulticast true',
    expr: 'ip("ff02::1").isLinkLocalMulticast()',
    want: true,
  },
  {
    name: 'ipv6 isLinkLocalMulticast false',
    expr: 'ip("fd00::1").isLinkLocalMulticast()',
    want: false,
  },
  { name: 'ipv6 isLinkLocalUnicast true', expr: 'ip("fe80::1").isLinkLocalUnicast()', want: true },
  {
    name: 'ipv6 isLinkLocalUnicast false',
    expr: 'ip("fd80::1").isLinkLocalUnicast()',
    want: false,
  },
  { name: 'ipv6 isGlobalUnicast true', expr: 'ip("2001:db8::abcd").isGlobalUnicast()', want: true },
  { name: 'ipv6 isGlobalUnicast false', expr: 'ip("ff00::1").isGlobalUnicast()', want: false },
  {
    name: 'passing cidr into isIP returns compile error',
    expr: 'isIP(cidr("192.168.0.0/24"))',
    compileError:
      "ERROR: <input>:1:5: found no matching overload for 'isIP' applied to '(net.CIDR)'",
  },
  {
    name: 'converting an IP address to a string',
    expr: 'string(ip("192.168.0.1"))',
    want: '192.168.0.1',
  },
  { name: 'type of IP is net.IP', expr: 'type(ip("192.168.0.1")) == net.IP', want: true },
  // ip.go parseIPAddr: zones and IPv4-mapped IPv6 are refused.
  {
    name: 'zone refused',
    expr: 'ip("fe80::1%eth0")',
    error: 'IP address with zone value is not allowed',
  },
  { name: 'ipv4-mapped ipv6 refused', expr: 'isIP("::ffff:1.2.3.4")', want: false },
  { name: 'leading zero refused', expr: 'isIP("192.168.01.1")', want: false },
  // Go Addr.String(): first longest run of 2+ zero groups becomes `::`; lone zeros stay.
  {
    name: 'canonical: first of equal zero runs',
    expr: 'string(ip("2001:0db8:0:0:1:0:0:1"))',
    want: '2001:db8::1:0:0:1',
  },
  {
    name: 'canonical: lone zeros kept',
    expr: 'string(ip("1:0:2:0:3:0:4:0"))',
    want: '1:0:2:0:3:0:4:0',
  },
  {
    name: 'canonical: embedded ipv4 printed as hex',
    expr: 'string(ip("::1.2.3.4"))',
    want: '::102:304',
  },
  { name: 'ip equality', expr: 'ip("2001:db8::1") == ip("2001:DB8:0::1")', want: true },
]

/** cidr_test.go TestCIDR. */
export const cidrCases: readonly LibraryCase[] = [
  {
    name: 'compilation error for cidr(int)',
    expr: 'cidr(192168)',
    compileError: "ERROR: <input>:1:5: found no matching overload for 'cidr' applied to '(int)'",
  },
  { name: 'parse ipv4', expr: 'string(cidr(dyn("192.168.0.0/24")))', want: '192.168.0.0/24' },
  {
    name: 'parse invalid ipv4',
    expr: 'cidr("192.168.0.0/")',
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix: bad bits after slash',
  },
  {
    name: 'contains IP ipv4 (IP)',
    expr: 'cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))',
    want: true,
  },
  {
    name: 'does not contain IP ipv4 (IP)',
    expr: 'cidr("192.168.0.0/24").containsIP(ip("192.168.1.1"))',
    want: false,
  },
  {
    name: 'contains IP ipv4 (string)',
    expr: 'cidr("192.168.0.0/24").containsIP("192.168.0.1")',
    want: true,
  },
  {
    name: 'does not contain IP ipv4 (string)',
    expr: 'cidr("192.168.0.0/24").containsIP("192.168.1.1")',
    want: false,
  },
  {
    name: 'contains CIDR ipv4 (CIDR)',
    expr: 'cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25"))',
    want: true,
  },
  {
    name: 'does not contain IP ipv4 (CIDR)',
    expr: 'cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23"))',
    want: false,
  },
  {
    name: 'contains CIDR ipv4 (string)',
    expr: 'cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")',
    want: true,
  },
  {
    name: 'does not contain CIDR ipv4 (string)',
    expr: 'cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")',
    want: false,
  },
  { name: 'returns IP ipv4', expr: 'cidr("192.168.0.0/24").ip() == ip("192.168.0.0")', want: true },
  {
    name: 'masks masked ipv4',
    expr: 'string(cidr("192.168.0.0/24").masked())',
    want: '192.168.0.0/24',
  },
  {
    name: 'masks unmasked ipv4',
    expr: 'string(cidr("192.168.0.1/24").masked())',
    want: '192.168.0.0/24',
  },
  { name: 'returns prefix length ipv4', expr: 'cidr("192.168.0.0/24").prefixLength()', want: 24n },
  { name: 'parse ipv6', expr: 'string(cidr("2001:db8::/32"))', want: '2001:db8::/32' },
  {
    name: 'parse invalid ipv6',
    expr: 'cidr("2001:db8::/")',
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix: bad bits after slash',
  },
  {
    name: 'contains IP ipv6 (IP)',
    expr: 'cidr("2001:db8::/32").containsIP(ip("2001:db8::1"))',
    want: true,
  },
  {
    name: 'does not contain IP ipv6 (IP)',
    expr: 'cidr("2001:db8::/32").containsIP(ip("2001:dc8::1"))',
    want: false,
  },
  {
    name: 'contains IP ipv6 (string)',
    expr: 'cidr("2001:db8::/32").containsIP("2001:db8::1")',
    want: true,
  },
  {
    name: 'does not contain IP ipv6 (string)',
    expr: 'cidr("2001:db8::/32").containsIP("2001:dc8::1")',
    want: false,
  },
  {
    name: 'contains CIDR ipv6 (CIDR)',
    expr: 'cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33"))',
    want: true,
  },
  {
    name: 'does not contain IP ipv6 (CIDR)',
    expr: 'cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/31"))',
    want: false,
  },
  {
    name: 'contains CIDR ipv6 (string)',
    expr: 'cidr("2001:db8::/32").containsCIDR("2001:db8::/33")',
    want: true,
  },
  {
    name: 'does not contain CIDR ipv6 (string)',
    expr: 'cidr("2001:db8::/32").containsCIDR("2001:db8::/31")',
    want: false,
  },
  { name: 'returns IP ipv6', expr: 'string(cidr("2001:db8::/32").ip())', want: '2001:db8::' },
  {
    name: 'masks masked ipv6',
    expr: 'string(cidr("2001:db8::/32").masked())',
    want: '2001:db8::/32',
  },
  {
    name: 'masks unmasked ipv6',
    expr: 'string(cidr("2001:db8:1::/32").masked())',
    want: '2001:db8::/32',
  },
  { name: 'returns prefix length ipv6', expr: 'cidr("2001:db8::/32").prefixLength()', want: 32n },
  {
    name: 'converting a CIDR to a string',
    expr: 'string(cidr("192.168.0.0/24"))',
    want: '192.168.0.0/24',
  },
  {
    name: 'type of CIDR is net.CIDR',
    expr: 'type(cidr("192.168.0.0/24")) == net.CIDR',
    want: true,
  },
  // cidr.go doc examples.
  { name: 'isCIDR ipv4', expr: 'isCIDR("192.168.0.0/16")', want: true },
  { name: 'isCIDR ipv6', expr: 'isCIDR("::1/128")', want: true },
  { name: 'isCIDR prefix too long ipv4', expr: 'isCIDR("192.168.0.0/33")', want: false },
  { name: 'isCIDR prefix too long ipv6', expr: 'isCIDR("::1/129")', want: false },
  {
    name: 'ip of unmasked cidr keeps host bits',
    expr: 'cidr("192.168.0.1/24").ip().family()',
    want: 4n,
  },
  {
    name: 'already canonical',
    expr: 'cidr("192.168.0.0/24") == cidr("192.168.0.0/24").masked()',
    want: true,
  },
  {
    name: 'not canonical',
    expr: 'cidr("192.168.0.1/24") == cidr("192.168.0.1/24").masked()',
    want: false,
  },
  // cidrContainsCIDR compares Masked() with PrefixFrom(other.Addr(), bits): the other address must be the network address.
  {
    name: 'containsCIDR needs equal network address',
    expr: 'cidr("192.168.0.0/16").containsCIDR("192.168.10.0/24")',
    want: false,
  },
]

/** urls.go documented examples. */
export const urlCases: readonly LibraryCase[] = [
  {
    name: 'isURL absolute',
    expr: "isURL('https://user:pass@example.com:80/path?query=val#fragment')",
    want: true,
  },
  { name: 'isURL absolute path', expr: "isURL('/absolute-path')", want: true },
  { name: 'isURL bad host', expr: "isURL('https://a:b:c/')", want: false },
  { name: 'isURL relative', expr: "isURL('../relative-path')", want: false },
  { name: 'scheme absent', expr: "url('/path').getScheme()", want: '' },
  { name: 'scheme', expr: "url('https://example.com/').getScheme()", want: 'https' },
  {
    name: 'host with port',
    expr: "url('https://example.com:80/').getHost()",
    want: 'example.com:80',
  },
  { name: 'host', expr: "url('https://example.com/').getHost()", want: 'example.com' },
  { name: 'ipv6 host with port', expr: "url('https://[::1]:80/').getHost()", want: '[::1]:80' },
  { name: 'ipv6 host', expr: "url('https://[::1]/').getHost()", want: '[::1]' },
  { name: 'host absent', expr: "url('/path').getHost()", want: '' },
  { name: 'hostname', expr: "url('https://example.com:80/').getHostname()", want: 'example.com' },
  { name: 'ipv4 hostname', expr: "url('https://127.0.0.1:80/').getHostname()", want: '127.0.0.1' },
  { name: 'ipv6 hostname', expr: "url('https://[::1]:80/').getHostname()", want: '::1' },
  { name: 'hostname absent', expr: "url('/path').getHostname()", want: '' },
  { name: 'port', expr: "url('https://example.com:80/').getPort()", want: '80' },
  { name: 'port absent', expr: "url('https://example.com/').getPort()", want: '' },
  { name: 'port absent in path', expr: "url('/path').getPort()", want: '' },
  { name: 'escaped path', expr: "url('https://example.com/path').getEscapedPath()", want: '/path' },
  { name: 'escaped path empty', expr: "url('https://example.com').getEscapedPath()", want: '' },
  {
    name: 'query',
    expr: "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()",
    want: { k1: ['a'], k2: ['b', 'c'] },
  },
  { name: 'query empty', expr: "url('https://example.com/path?').getQuery()", want: {} },
  { name: 'query absent', expr: "url('https://example.com/path').getQuery()", want: {} },
  {
    name: 'url of relative path fails',
    expr: "url('../relative-path')",
    error: 'URL parse error during conversion from string: invalid URI for request',
  },
]

/** lists.go documented examples (Kubernetes lists library, v1 `includes`). */
export const listCases: readonly LibraryCase[] = [
  { name: 'isSorted ints', expr: '[1, 2, 3].isSorted()', want: true },
  { name: 'isSorted strings', expr: "['a', 'b', 'b', 'c'].isSorted()", want: true },
  { name: 'isSorted doubles', expr: '[2.0, 1.0].isSorted()', want: false },
  { name: 'isSorted one', expr: '[1].isSorted()', want: true },
  { name: 'isSorted empty', expr: '[].isSorted()', want: true },
  { name: 'sum ints', expr: '[1, 3].sum()', want: 4n },
  { name: 'sum doubles', expr: '[1.0, 3.0].sum()', want: 4 },
  { name: 'min', expr: '[1, 3].min()', want: 1n },
  { name: 'max', expr: '[1, 3].max()', want: 3n },
  { name: 'min of empty', expr: '[].min()', error: 'min called on empty list' },
  { name: 'min one', expr: '[1].min()', want: 1n },
  { name: 'indexOf', expr: '[1, 2, 2, 3].indexOf(2)', want: 1n },
  { name: 'lastIndexOf', expr: "['a', 'b', 'b', 'c'].lastIndexOf('b')", want: 2n },
  { name: 'indexOf missing', expr: '[1.0].indexOf(1.1)', want: -1n },
  { name: 'indexOf empty', expr: "[].indexOf('string')", want: -1n },
  { name: 'includes present', expr: '[1, 2, 3].includes(2)', want: true },
  { name: 'includes absent', expr: '[1, 2, 3].includes(4)', want: false },
  { name: 'includes equal scalar', expr: "'model-a'.includes('model-a')", want: true },
  { name: 'includes unequal scalar', expr: "'model-a'.includes('model-b')", want: false },
]

/** cel-go ext/comprehensions two-variable macros, on literals and claims. */
export const twoVariableCases: readonly LibraryCase[] = [
  { name: 'all over list: index and value', expr: '[1, 2, 3].all(i, v, i < v)', want: true },
  {
    name: 'all over map: key and value',
    expr: "{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)",
    want: false,
  },
  {
    name: 'exists over map',
    expr: "{'hello': 'world', 'taco': 'taco'}.exists(k, v, k == v)",
    want: true,
  },
  { name: 'exists over list', expr: '[1, 2, 3].exists(i, v, i == 1 && v == 2)', want: true },
  { name: 'existsOne', expr: '[5, 6, 7].existsOne(i, v, i > 0 && v < 7)', want: true },
  { name: 'exists_one spelling', expr: '[5, 6, 7].exists_one(i, v, v > 5)', want: false },
  { name: 'transformList', expr: '[1, 2, 3].transformList(i, v, i * v)', want: [0n, 2n, 6n] },
  {
    name: 'transformList with filter',
    expr: '[1, 2, 3].transformList(i, v, i > 0, v * 10)',
    want: [20n, 30n],
  },
  {
    name: 'transformList over map',
    expr: "{'a': 1, 'b': 2}.transformList(k, v, k + string(v))",
    want: ['a1', 'b2'],
  },
  {
    name: 'transformMap over list',
    expr: "['a', 'b'].transformMap(i, v, v + v)",
    want: { 0: 'aa', 1: 'bb' },
  },
  {
    name: 'transformMap over map',
    expr: "{'greeting': 'hello'}.transformMap(k, v, v + '!')",
    want: { greeting: 'hello!' },
  },
  {
    name: 'transformMap with filter',
    expr: "{'a': 1, 'b': 2}.transformMap(k, v, v > 1, v * 2)",
    want: { b: 4n },
  },
  {
    name: 'transformMapEntry swaps',
    expr: "{'greeting': 'hello'}.transformMapEntry(k, v, {v: k})",
    want: { hello: 'greeting' },
  },
  {
    name: 'transformMapEntry with filter',
    expr: "{'a': 'x', 'b': 'y'}.transformMapEntry(k, v, k == 'a', {v: k})",
    want: { x: 'a' },
  },
  {
    name: 'transformMapEntry duplicate key fails',
    expr: "{'a': 'x', 'b': 'x'}.transformMapEntry(k, v, {v: k})",
    error: 'insert failed: key x already exists',
  },
  {
    name: 'all absorbs an error when a pass is false',
    expr: '[0, 1].all(i, v, 1 / v == 1 && false)',
    want: false,
  },
  {
    name: 'all keeps an error otherwise',
    expr: '[0, 1].all(i, v, 1 / v == 1)',
    error: 'division by zero',
  },
  {
    name: 'exists absorbs an error when a pass is true',
    expr: '[0, 1].exists(i, v, 1 / v == 1)',
    want: true,
  },
  {
    name: 'claims: group index and value',
    expr: "dyn(claims.groups).all(i, g, g.startsWith('team-') || i > 0)",
    want: true,
  },
  {
    name: 'claims: nested map entries',
    expr: "dyn(claims.roles).exists(app, rs, app == 'billing' && 'admin' in rs)",
    want: true,
  },
  {
    name: 'claims: flatten map to list',
    expr: "dyn(claims.roles).transformList(app, rs, rs.map(r, app + ':' + r)).flatten()",
    want: ['billing:admin', 'billing:viewer', 'hr:viewer'],
  },
  {
    name: 'duplicate variable name',
    expr: '[1].all(i, i, true)',
    compileError: 'ERROR: <input>:1:12: duplicate variable name: i',
  },
  {
    name: 'variable must be a simple name',
    expr: '[1].all(i, 1, true)',
    compileError: 'ERROR: <input>:1:12: argument must be a simple name',
  },
  {
    name: 'predicate must be bool',
    expr: '[1].all(i, v, v)',
    compileError: "ERROR: <input>:1:15: all predicate must return bool, got 'int'",
  },
]

/** cel-go ext/lists v3 `sortBy`. */
export const sortByCases: readonly LibraryCase[] = [
  { name: 'sortBy identity', expr: '[3, 1, 2].sortBy(x, x)', want: [1n, 2n, 3n] },
  {
    name: 'sortBy descending by negated size',
    expr: "['abc', 'a', 'ab'].sortBy(s, -size(s))",
    want: ['abc', 'ab', 'a'],
  },
  {
    name: 'sortBy claim field, stable on equal keys',
    expr: 'dyn(claims.people).sortBy(p, p.age).map(p, p.name)',
    want: ['c', 'b', 'a'],
  },
  {
    name: 'sortBy claims',
    expr: 'dyn(claims.groups).sortBy(g, g)',
    want: ['platform', 'team-a', 'team-b'],
  },
  {
    name: 'sortBy mixed key kinds fails',
    expr: "[dyn(1), dyn('a')].sortBy(x, x)",
    error: 'list elements must have the same type',
  },
  {
    name: 'sortBy key must be comparable',
    expr: '[[1], [2]].sortBy(x, x)',
    compileError: "ERROR: <input>:1:22: sortBy key of type 'list(int)' is not comparable",
  },
]

/** The claims the `claims.*` cases above read. */
export const libraryClaims: Readonly<Record<string, unknown>> = {
  groups: ['team-b', 'platform', 'team-a'],
  roles: { billing: ['admin', 'viewer'], hr: ['viewer'] },
  people: [
    { name: 'b', age: 2 },
    { name: 'a', age: 2 },
    { name: 'c', age: 1 },
  ],
}
