/**
 * CEL regular expressions against Go's RE2 (regexp, regexp/syntax), as kube-apiserver
 * runs them: cel-go `matches` (regexp.MatchString, literals checked by
 * ValidateRegexLiterals, constant patterns compiled with the program), and Kubernetes'
 * regex library `find`/`findAll` (apiserver/pkg/cel/library/regex.go: FindString,
 * FindAllString). Expected values follow Go's documented semantics
 * (pkg.go.dev/regexp/syntax, regexp `allMatches`).
 */
import { describe, expect, it } from '@jest/globals'
import { toClaimsActivation } from '../../src/cel/activation.js'
import { compileClaimsExpression } from '../../src/cel/compile.js'
import { compileLiteralRegex, compileRegex } from '../../src/cel/library/regex.js'
import { compileClaimsField } from '../../src/config/compile-expression.js'

const claims = {
  s: 'Hello World',
  bad: '(',
  kelvin: '\u212a', // KELVIN SIGN, which Go's (?i) folds with k
  arabicDigits: '\u0661\u0662\u0663',
  emoji: 'x\u{1F600}y',
}
const activation = toClaimsActivation(claims)

function run(expr: string, on = activation): unknown {
  const compiled = compileClaimsExpression(expr)
  if (!compiled.ok) return { compileError: compiled.message, stage: compiled.stage ?? 'compile' }
  try {
    return compiled.compiled.evaluate(on)
  } catch (err) {
    return { error: (err as Error).message }
  }
}

describe('RE2-only syntax works as in Go', () => {
  it.each([
    { name: 'POSIX class', expr: String.raw`'Hello'.matches('^[[:alpha:]]+$')`, want: true },
    {
      name: 'POSIX class refuses a digit',
      expr: String.raw`'Hello1'.matches('^[[:alpha:]]+$')`,
      want: false,
    },
    { name: 'negated POSIX class', expr: String.raw`'ab1'.find('[[:^alpha:]]')`, want: '1' },
    {
      name: 'case-insensitive flag group',
      expr: String.raw`'xABCx'.matches('(?i)abc')`,
      want: true,
    },
    { name: 'flag group in the middle', expr: String.raw`'ABc'.matches('^AB(?i)C$')`, want: true },
    { name: 'scoped flag group', expr: String.raw`'aBC'.matches('^a(?i:b)C$')`, want: true },
    { name: 'scoped flag group ends', expr: String.raw`'aBc'.matches('^a(?i:b)C$')`, want: false },
    {
      name: '(?i) folds the Kelvin sign like Go',
      expr: String.raw`claims.kelvin.matches('(?i)^k$')`,
      want: true,
    },
    { name: 'ungreedy flag', expr: String.raw`'aaa'.find('(?U)a+')`, want: 'a' },
    {
      name: 'ungreedy flag inverts a lazy quantifier',
      expr: String.raw`'aaa'.find('(?U)a+?')`,
      want: 'aaa',
    },
    { name: 'greedy by default', expr: String.raw`'aaa'.find('a+')`, want: 'aaa' },
    {
      name: 'one-letter Unicode class \\pL',
      expr: String.raw`'héllo'.matches('^\\pL+$')`,
      want: true,
    },
    {
      name: 'Unicode class \\pN on Arabic-Indic digits',
      expr: String.raw`claims.arabicDigits.matches('^\\pN+$')`,
      want: true,
    },
    {
      name: '\\d stays ASCII as in Go',
      expr: String.raw`claims.arabicDigits.matches('\\d')`,
      want: false,
    },
    { name: 'Unicode script', expr: String.raw`'αβγ'.matches('^\\p{Greek}+$')`, want: true },
    { name: 'negated Unicode class', expr: String.raw`'abc1'.find('\\PL')`, want: '1' },
    { name: 'Perl named group', expr: String.raw`'xyz'.find('(?P<first>x)y')`, want: 'xy' },
    { name: 'Go 1.22 named group', expr: String.raw`'xyz'.find('(?<first>x)y')`, want: 'xy' },
    { name: '\\z at the very end', expr: String.raw`'ab'.matches('b\\z')`, want: true },
    {
      name: '\\z not before a final newline',
      expr: String.raw`'ab\n'.matches('b\\z')`,
      want: false,
    },
    {
      name: '$ without (?m) is end of text only',
      expr: String.raw`'ab\n'.matches('b$')`,
      want: false,
    },
    { name: '(?m)$ at a line end', expr: String.raw`'ab\nc'.matches('(?m)b$')`, want: true },
    { name: '\\A at the start', expr: String.raw`'ab'.matches('\\Aa')`, want: true },
    {
      name: '\\A only at the start, even with (?m)',
      expr: String.raw`'b\na'.matches('(?m)\\Aa')`,
      want: false,
    },
    {
      name: 'quoted literal \\Q...\\E',
      expr: String.raw`'a.b'.matches('^\\Qa.b\\E$')`,
      want: true,
    },
    {
      name: 'quoted literal is not a pattern',
      expr: String.raw`'axb'.matches('^\\Qa.b\\E$')`,
      want: false,
    },
    { name: 'dot skips newline', expr: String.raw`'a\nb'.matches('a.b')`, want: false },
    { name: '(?s) dot matches newline', expr: String.raw`'a\nb'.matches('(?s)a.b')`, want: true },
    {
      name: 'hex code point escape',
      expr: String.raw`claims.emoji.matches('\\x{1F600}')`,
      want: true,
    },
    {
      name: 'dot matches one code point',
      expr: String.raw`claims.emoji.find('x.y')`,
      want: 'x\u{1F600}y',
    },
    { name: 'repeat count up to 1000', expr: String.raw`'aa'.matches('^a{1,1000}$')`, want: true },
    {
      name: 'matches is an unanchored search',
      expr: String.raw`claims.s.matches('o W')`,
      want: true,
    },
    { name: 'global form', expr: String.raw`matches(claims.s, 'World$')`, want: true },
  ])('$name', ({ expr, want }) => {
    expect(run(expr)).toEqual(want)
  })
})

describe('find and findAll follow Go FindString / FindAllString', () => {
  it.each([
    { name: 'first match', expr: String.raw`'abc 123'.find('[0-9]+')`, want: '123' },
    // Go FindString returns the leftmost match even when it is empty.
    { name: 'leftmost empty match wins', expr: String.raw`'abc 123'.find('[0-9]*')`, want: '' },
    { name: 'no match', expr: String.raw`'abc 123'.find('xyz')`, want: '' },
    { name: 'leftmost-first alternation', expr: String.raw`'abcd'.find('ab|abcd')`, want: 'ab' },
    {
      name: 'all matches',
      expr: String.raw`'123 abc 456'.findAll('[0-9]+')`,
      want: ['123', '456'],
    },
    { name: 'limit 1', expr: String.raw`'123 abc 456'.findAll('[0-9]+', 1)`, want: ['123'] },
    { name: 'limit 0', expr: String.raw`'123 abc 456'.findAll('[0-9]+', 0)`, want: [] },
    {
      name: 'negative limit means all',
      expr: String.raw`'123 abc 456'.findAll('[0-9]+', -1)`,
      want: ['123', '456'],
    },
    {
      name: 'limit above the count',
      expr: String.raw`'a1b2'.findAll('[0-9]', 99)`,
      want: ['1', '2'],
    },
    { name: 'no matches', expr: String.raw`'123 abc 456'.findAll('xyz')`, want: [] },
    // An empty match right after a match is dropped (regexp.go allMatches).
    {
      name: 'empty match after a match is skipped',
      expr: String.raw`'baaab'.findAll('a*')`,
      want: ['', 'aaa', ''],
    },
    {
      name: 'empty matches between non-empty ones',
      expr: String.raw`'123 abc 456'.findAll('[0-9]*')`,
      want: ['123', '', '', '', '', '456'],
    },
    {
      name: 'empty pattern matches at every code point',
      expr: String.raw`claims.emoji.findAll('')`,
      want: ['', '', '', ''],
    },
    {
      name: 'dot steps over a surrogate pair',
      expr: String.raw`claims.emoji.findAll('.')`,
      want: ['x', '\u{1F600}', 'y'],
    },
    { name: 'word boundary', expr: String.raw`'ab cd'.findAll('\\b')`, want: ['', '', '', ''] },
    { name: '^ without (?m) only once', expr: String.raw`'a\na'.findAll('^a')`, want: ['a'] },
    {
      name: '(?m)^ at each line',
      expr: String.raw`'a\na\na'.findAll('(?m)^a')`,
      want: ['a', 'a', 'a'],
    },
    { name: 'ungreedy findAll', expr: String.raw`'aaa'.findAll('(?U)a+')`, want: ['a', 'a', 'a'] },
  ])('$name', ({ expr, want }) => {
    expect(run(expr)).toEqual(want)
  })
})

describe('RE2 refuses what JavaScript RegExp would accept', () => {
  // [pattern, Go's regexp.Compile error]
  const refused: Array<[string, string]> = [
    [String.raw`(a)\1`, 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=x)a', 'error parsing regexp: invalid named capture: `(?<=x)a`'],
    ['(?<!x)a', 'error parsing regexp: invalid named capture: `(?<!x)a`'],
    [String.raw`\C`, 'error parsing regexp: invalid escape sequence: `\\C`'],
    ['a++', 'error parsing regexp: invalid nested repetition operator: `++`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(', 'error parsing regexp: missing closing ): `(`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
    [String.raw`\p{Foo}`, 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
    ['(?x)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?x`'],
  ]
  // Escape for a single-quoted CEL string literal.
  const cel = (pattern: string): string => pattern.replace(/\\/g, '\\\\')

  it.each(refused)('matches literal %s is a compile error (ValidateRegexLiterals)', (pattern) => {
    const expr = `claims.s.matches('${cel(pattern)}')`
    expect(run(expr)).toEqual({
      compileError: 'ERROR: <input>:1:18: invalid matches argument',
      stage: 'compile',
    })
    expect(compileClaimsField(expr, 'jwt[0].claimValidationRules[0].expression', true).ok).toBe(
      false,
    )
  })

  it.each(refused)('find literal %s fails program creation with Go message', (pattern, message) => {
    const expr = `claims.s.find('${cel(pattern)}')`
    const result = compileClaimsField(expr, 'jwt[0].claimMappings.username.expression', false)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.toString()).toBe(
      `jwt[0].claimMappings.username.expression: Internal error: program instantiation failed: ${message}`,
    )
  })

  it.each(refused)('a run-time pattern %s is an evaluation error', (pattern, message) => {
    const on = toClaimsActivation({ ...claims, bad: pattern })
    expect(run('claims.s.matches(claims.bad)', on)).toEqual({ error: message })
    expect(run('claims.s.find(claims.bad)', on)).toEqual({ error: `Illegal regex: ${message}` })
    expect(run('claims.s.findAll(claims.bad, 2)', on)).toEqual({
      error: `Illegal regex: ${message}`,
    })
  })
})

describe('where each literal is checked, as in kube-apiserver', () => {
  it.each([
    {
      name: 'method matches: the pattern, at compile time',
      expr: "claims.s.matches('(')",
      want: { compileError: 'ERROR: <input>:1:18: invalid matches argument', stage: 'compile' },
    },
    {
      // cel-go's validator checks argument 0, the string in the global form.
      name: 'global matches: a bad-regex string literal is refused',
      expr: "matches('(', claims.s)",
      want: { compileError: 'ERROR: <input>:1:9: invalid matches argument', stage: 'compile' },
    },
    {
      name: 'global matches: the pattern, when the program is built',
      expr: "matches(claims.s, '(')",
      want: { compileError: 'error parsing regexp: missing closing ): `(`', stage: 'program' },
    },
    {
      name: 'findAll with a limit: the pattern, when the program is built',
      expr: "claims.s.findAll('(', 1)",
      want: { compileError: 'error parsing regexp: missing closing ): `(`', stage: 'program' },
    },
    {
      name: 'type errors come before regex validation',
      expr: "claims.s.matches('(') + 1",
      want: {
        compileError:
          "ERROR: <input>:1:23: found no matching overload for '_+_' applied to '(bool, int)'",
        stage: 'compile',
      },
    },
  ])('$name', ({ expr, want }) => {
    expect(run(expr)).toEqual(want)
  })

  it.each([
    {
      name: 'a non-bool validation rule is refused for its type first',
      expr: "claims.s.find('(')",
      want: 'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.s.find(\'(\')": must evaluate to bool',
    },
    {
      name: 'a bool validation rule with a bad find pattern is an internal error',
      expr: "claims.s.find('(') == ''",
      want: 'jwt[0].claimValidationRules[0].expression: Internal error: program instantiation failed: error parsing regexp: missing closing ): `(`',
    },
    {
      name: 'a bad matches literal reads compilation failed',
      expr: "claims.s.matches('(')",
      want: 'jwt[0].claimValidationRules[0].expression: Invalid value: "claims.s.matches(\'(\')": compilation failed: ERROR: <input>:1:18: invalid matches argument',
    },
  ])('field error: $name', ({ expr, want }) => {
    const result = compileClaimsField(expr, 'jwt[0].claimValidationRules[0].expression', true)
    expect(result.ok ? 'compiled' : result.error.toString()).toBe(want)
  })
})

describe('linear time: no input makes a match backtrack', () => {
  const evil = toClaimsActivation({
    short: `${'a'.repeat(30)}b`,
    long: `${'a'.repeat(100_000)}b`,
    xs: 'x'.repeat(5_000),
  })

  it.each([
    // Exponential for a backtracking engine (2^30 paths on the short input).
    { name: '(a+)+$ on 30 a then b', expr: "claims.short.matches('(a+)+$')" },
    { name: '(a+)+$ on 100k a then b', expr: "claims.long.matches('(a+)+$')" },
    { name: '(a|aa)+$ on 100k a then b', expr: "claims.long.matches('^(a|aa)+$')" },
    { name: '(x+x+)+y on 5k x', expr: "claims.xs.matches('(x+x+)+y')" },
    { name: 'find with nested quantifiers', expr: "claims.long.find('(a+)+c') != ''" },
    { name: 'findAll with nested quantifiers', expr: "claims.long.findAll('(a+)+c').size() > 0" },
  ])('$name returns false within the cost and time bounds', ({ expr }) => {
    // A time-limit or cost error would come back as { error }; only `false` passes.
    expect(run(expr, evil)).toBe(false)
  })

  const huge = toClaimsActivation({ big: 'a'.repeat(1_000_000), medium: 'a'.repeat(100_000) })
  // cel-go runtimecost.go / Kubernetes library cost.go: ceil((1 + |s|) * 0.1) * ceil(|pattern| * 0.25).
  const long = '^(a|b|c|d|e|f|g|h|i|j|k|l|m|n)+$' // 32 characters: ceil(8) = 8
  const longer = '^(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q)+$' // 38 characters: ceil(9.5) = 10

  it('the patterns have the lengths the costs below assume', () => {
    expect([long.length, longer.length]).toEqual([32, 38])
  })

  it.each([
    // 100,001 * 10 = 1,000,010: over the limit before any matching.
    {
      name: '1 MB claim, 38-char pattern: refused by cost',
      expr: `claims.big.matches('${longer}')`,
      on: huge,
    },
    {
      name: '1 MB claim, find: refused by cost',
      expr: `claims.big.find('${longer}') == ''`,
      on: huge,
    },
    {
      name: '1 MB claim, findAll: refused by cost',
      expr: `claims.big.findAll('${longer}').size() == 0`,
      on: huge,
    },
  ])('$name', ({ expr, on }) => {
    expect(run(expr, on)).toEqual({ error: 'operation cancelled: actual cost limit exceeded' })
  })

  it.each([
    // 10,001 * 8 = 80,008: well within the limit.
    {
      name: '100 kB claim, 32-char pattern: within the limit',
      expr: `claims.medium.matches('${long}')`,
      on: huge,
      want: true,
    },
    {
      name: '100 kB claim, findAll: within the limit',
      expr: `claims.medium.findAll('a{1000}').size()`,
      on: huge,
      want: 100n,
    },
  ])('$name', ({ expr, on, want }) => {
    expect(run(expr, on)).toBe(want)
  })

  it('repeated large matches stop at the cost limit or the time guard', () => {
    // 100,001 * 8 = 800,008 per call: the second call exceeds the cost limit at the latest.
    const expr = `claims.big.matches('${long}') && claims.big.matches('${long}')`
    expect(run(expr, huge)).toEqual({
      error: expect.stringMatching(
        /^operation cancelled: (actual cost|evaluation time) limit exceeded$/,
      ),
    })
  })
})

describe('pattern cache', () => {
  it('a literal pattern is compiled once, when the expression compiles', () => {
    const pattern = '^cache-literal-[0-9]+$'
    expect(compileClaimsExpression(`claims.s.matches('${pattern}')`).ok).toBe(true)
    expect(compileRegex(pattern)).toBe(compileLiteralRegex(pattern))
  })

  it('run-time patterns beyond the cache bound still evaluate correctly', () => {
    const compiled = compileClaimsExpression(
      'claims.s.matches(claims.p) && claims.s.find(claims.p) == claims.s',
    )
    if (!compiled.ok) throw new Error(compiled.message)
    for (let i = 0; i < 600; i++) {
      const s = `user-${i % 300}`
      const p = `^user-${i % 300}$`
      expect(compiled.compiled.evaluate(toClaimsActivation({ s, p }))).toBe(true)
    }
  })
})
