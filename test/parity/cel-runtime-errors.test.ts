/**
 * Every runtime error a claim expression can raise, with the text cel-go v0.27.0
 * (vendored by Kubernetes 1.37, k8s.io/apiserver v0.37) gives it. Each `error` is
 * transcribed from cel-go's source: common/types/err.go (division by zero, modulus by
 * zero, integer overflow), the types' Add/Compare/ConvertToType (`no such overload`,
 * `type conversion error from 'string' to 'int'`), interpreter/interpretable.go
 * (`no such overload: _+_` when the operand lacks the operator's trait, `got
 * 'types.String', expected iterable type`), common/decls/decls.go (`no such overload:
 * f(double)` from a typed overload's runtime guard), interpreter/attributes.go (`no
 * such key`, `index out of bounds`), common/types/list.go (`unsupported index ...`),
 * ext/strings.go and ext/lists.go. Rows with `value` are inputs where cel-go does not
 * fail (and cel-js did).
 *
 * JSON claim numbers are doubles, as Go's encoding/json decodes them.
 */
import { describe, expect, it } from '@jest/globals'
import { run } from './cel-library-run.js'

const CLAIMS = {
  s: 'abc',
  n: 3,
  f: 1.5,
  neg: -5,
  big: 1e20,
  b: true,
  l: ['a', 'b'],
  m: { k: 'v' },
  nul: null,
  ts: '2024-01-02T03:04:05.5Z',
  many: Array.from({ length: 2000 }, (_, i) => `g${i}`),
  long: 'x'.repeat(100_000),
}

interface Row {
  expr: string
  error?: string
  value?: unknown
}

function table(rows: Row[]): Array<[string, Row]> {
  return rows.map((row) => [row.expr, row])
}

function expectRow(row: Row): void {
  const outcome = run(row.expr, CLAIMS)
  if (row.error !== undefined) expect(outcome).toEqual({ error: row.error })
  else expect(outcome).toEqual({ value: row.value })
}

describe('operators: the trait the left operand lacks, or a bare no such overload', () => {
  it.each(
    table([
      // The left operand is an Adder (string, list, number) but not of the right's type.
      { expr: 'claims.s + 1.0', error: 'no such overload' },
      { expr: 'claims.s + 1', error: 'no such overload' },
      { expr: "claims.n + 'x'", error: 'no such overload' },
      { expr: "claims.l + 'x'", error: 'no such overload' },
      // bool, map and null are not Adders: the operator itself has no overload.
      { expr: 'claims.b + 1', error: 'no such overload: _+_' },
      { expr: 'claims.m + claims.m', error: 'no such overload: _+_' },
      { expr: 'claims.nul + 1', error: 'no such overload: _+_' },
      { expr: 'claims.s - 1', error: 'no such overload: _-_' },
      { expr: 'claims.n - claims.s', error: 'no such overload' },
      { expr: 'claims.s * 2', error: 'no such overload: _*_' },
      { expr: 'claims.n * claims.s', error: 'no such overload' },
      { expr: 'claims.s / 2', error: 'no such overload: _/_' },
      { expr: 'claims.n / 0', error: 'no such overload' },
      // A double is not a Modder.
      { expr: 'claims.n % 2', error: 'no such overload: _%_' },
      { expr: 'claims.s < 1', error: 'no such overload' },
      { expr: 'claims.l < claims.l', error: 'no such overload: _<_' },
      { expr: 'claims.m >= claims.m', error: 'no such overload: _>=_' },
      { expr: '-claims.s', error: 'no such overload: -_' },
      { expr: '-claims.b', error: 'no such overload' },
      { expr: '!claims.s', error: 'no such overload' },
      { expr: "'a' in claims.s", error: 'no such overload' },
      { expr: 'claims.s in claims.n', error: 'no such overload' },
      { expr: 'claims.s || false', error: 'no such overload' },
      { expr: 'claims.s && true', error: 'no such overload' },
      { expr: 'claims.s ? 1 : 2', error: 'no such overload' },
      // Not errors in cel-go: an absorbed error and heterogeneous equality.
      { expr: 'claims.s || true', value: true },
      { expr: 'claims.s == 1', value: false },
      { expr: 'claims.s != 1', value: true },
      { expr: 'claims.f / 0.0 > 0.0', value: true },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('integer arithmetic (overflow.go)', () => {
  it.each(
    table([
      { expr: 'int(claims.n) / 0', error: 'division by zero' },
      { expr: 'int(claims.n) % 0', error: 'modulus by zero' },
      { expr: 'uint(claims.n) / 0u', error: 'division by zero' },
      { expr: 'uint(claims.n) % 0u', error: 'modulus by zero' },
      { expr: '9223372036854775807 + int(claims.n)', error: 'integer overflow' },
      { expr: '-9223372036854775807 - int(claims.n)', error: 'integer overflow' },
      { expr: '9223372036854775807 * int(claims.n)', error: 'integer overflow' },
      { expr: '-(int(claims.neg) - 9223372036854775803)', error: 'integer overflow' },
      { expr: '(int(claims.neg) - 9223372036854775803) / -1', error: 'integer overflow' },
      { expr: '(int(claims.neg) - 9223372036854775803) % -1', error: 'integer overflow' },
      { expr: 'uint(claims.n) - 5u', error: 'unsigned integer overflow' },
      { expr: '18446744073709551615u + uint(claims.n)', error: 'unsigned integer overflow' },
      { expr: '9223372036854775807u * uint(claims.n)', error: 'unsigned integer overflow' },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('conversions (ConvertToType)', () => {
  it.each(
    table([
      { expr: 'int(claims.s)', error: "type conversion error from 'string' to 'int'" },
      { expr: "int('9223372036854775808')", error: "type conversion error from 'string' to 'int'" },
      { expr: "int('0x10')", error: "type conversion error from 'string' to 'int'" },
      { expr: "int(' 1')", error: "type conversion error from 'string' to 'int'" },
      { expr: 'int(claims.big)', error: 'integer overflow' },
      { expr: 'int(-9223372036854775808.0)', error: 'integer overflow' },
      { expr: 'uint(claims.neg)', error: 'unsigned integer overflow' },
      { expr: 'uint(int(claims.neg))', error: 'unsigned integer overflow' },
      { expr: "uint('-1')", error: "type conversion error from 'string' to 'uint'" },
      { expr: "uint('+1')", error: "type conversion error from 'string' to 'uint'" },
      { expr: 'int(uint(claims.big / 10.0))', error: 'integer overflow' },
      { expr: 'double(claims.s)', error: "type conversion error from 'string' to 'double'" },
      { expr: "double('')", error: "type conversion error from 'string' to 'double'" },
      { expr: "double('1e400')", error: "type conversion error from 'string' to 'double'" },
      { expr: 'bool(claims.s)', error: "type conversion error from 'string' to 'bool'" },
      { expr: "bool('yes')", error: "type conversion error from 'string' to 'bool'" },
      {
        expr: 'timestamp(claims.s)',
        error: "type conversion error from 'string' to 'google.protobuf.Timestamp'",
      },
      {
        expr: 'duration(claims.s)',
        error: "type conversion error from 'string' to 'google.protobuf.Duration'",
      },
      // Typed overloads chosen at run time: the guard names the function and the types.
      { expr: 'int(claims.b)', error: 'no such overload: int(bool)' },
      { expr: 'double(claims.nul)', error: 'no such overload: double(null_type)' },
      { expr: 'string(claims.l)', error: 'no such overload: string(list)' },
      { expr: 'string(claims.m)', error: 'no such overload: string(map)' },
      { expr: 'bool(claims.n)', error: 'no such overload: bool(double)' },
      { expr: 'timestamp(claims.n)', error: 'no such overload: timestamp(double)' },
      // Go's strconv accepts these; cel-js did not (or differently).
      { expr: "int('-42')", value: -42n },
      { expr: "uint('18446744073709551615')", value: 18446744073709551615n },
      { expr: "bool('T') && bool('1') && !bool('False')", value: true },
      { expr: "double('-Infinity') < 0.0", value: true },
      { expr: 'int(claims.f)', value: 1n },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('selection and indexing (attributes.go, list.go)', () => {
  it.each(
    table([
      { expr: 'claims.x', error: 'no such key: x' },
      { expr: "claims['x']", error: 'no such key: x' },
      { expr: 'claims.m.x', error: 'no such key: x' },
      { expr: "claims.m['x']", error: 'no such key: x' },
      { expr: 'claims.m[1]', error: 'no such key: 1' },
      { expr: 'claims.s.x', error: 'no such key: x' },
      { expr: 'claims.n.x', error: 'no such key: x' },
      { expr: 'claims.nul.x', error: 'no such key: x' },
      { expr: 'claims.s[0]', error: 'no such key: 0' },
      { expr: "{'a': 1}[claims.n]", error: 'no such key: 3' },
      { expr: "{'a': 1}[claims.f]", error: 'no such key: 1.5' },
      { expr: 'claims.l[2]', error: 'index out of bounds: 2' },
      { expr: 'claims.l[-1]', error: 'index out of bounds: -1' },
      { expr: 'claims.l[claims.n]', error: 'index out of bounds: 3' },
      { expr: 'claims.l[claims.f]', error: 'unsupported index value 1.5 in list' },
      { expr: "claims.l['a']", error: "unsupported index type 'string' in list" },
      { expr: 'claims.l[claims.b]', error: "unsupported index type 'bool' in list" },
      { expr: 'claims.l[1u]', value: 'b' },
      { expr: 'claims.l[1.0]', value: 'b' },
      { expr: 'optional.none().value()', error: 'optional.none() dereference' },
      { expr: 'claims.?x.value()', error: 'optional.none() dereference' },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('comprehensions over a non-iterable (interpretable.go evalFold)', () => {
  it.each(
    table([
      {
        expr: 'dyn(claims.s).exists(x, true)',
        error: "got 'types.String', expected iterable type",
      },
      { expr: 'dyn(claims.n).all(x, true)', error: "got 'types.Double', expected iterable type" },
      { expr: 'dyn(claims.b).map(x, x)', error: "got 'types.Bool', expected iterable type" },
      {
        expr: 'dyn(claims.nul).filter(x, true)',
        error: "got 'types.Null', expected iterable type",
      },
      {
        expr: 'dyn(claims.s).exists_one(x, true)',
        error: "got 'types.String', expected iterable type",
      },
      {
        expr: 'dyn(claims.s).all(k, v, true)',
        error: 'unsupported comprehension range type: types.String',
      },
      {
        expr: 'dyn(claims.n).exists(k, v, true)',
        error: 'unsupported comprehension range type: types.Double',
      },
      // Step errors: kept by all/exists unless another element decides the result.
      {
        expr: 'dyn(claims.l).exists(x, int(x) > 0)',
        error: "type conversion error from 'string' to 'int'",
      },
      { expr: 'dyn(claims.l).exists(x, int(x) > 0 || true)', value: true },
      { expr: 'dyn(claims.l).all(x, x.size() > claims.s)', error: 'no such overload' },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('functions', () => {
  it.each(
    table([
      // Singleton bindings guarded by a trait: the function name alone.
      { expr: 'size(claims.n)', error: 'no such overload: size' },
      { expr: 'claims.b.size()', error: 'no such overload: size' },
      { expr: 'claims.s.sort()', error: 'no such overload: sort' },
      { expr: 'claims.n.matches(claims.s)', error: 'no such overload: matches' },
      // A literal pattern is compiled into a call that only checks the string.
      { expr: "claims.n.matches('a')", error: 'no such overload' },
      { expr: 'claims.s.matches(claims.n)', error: 'no such overload' },
      { expr: "claims.n.find('a')", error: 'no such overload' },
      { expr: "claims.n.findAll('a', 2)", error: 'no such overload' },
      { expr: 'claims.n.find(claims.s)', error: 'no such overload: find(double, string)' },
      // Declared with type guards off.
      { expr: "claims.n.contains('a')", error: 'no such overload' },
      { expr: 'claims.s.startsWith(claims.n)', error: 'no such overload' },
      { expr: "claims.n.endsWith('a')", error: 'no such overload' },
      { expr: 'claims.n.flatten()', error: 'no such overload: double.flatten()' },
      // Typed overloads: the runtime guard names the types, receiver first.
      { expr: 'claims.n.lowerAscii()', error: 'no such overload: lowerAscii(double)' },
      { expr: "claims.n.split(',')", error: 'no such overload: split(double, string)' },
      { expr: 'claims.s.indexOf(claims.n)', error: 'no such overload: indexOf(string, double)' },
      { expr: 'claims.l.indexOf(claims.n)', value: -1n },
      { expr: 'claims.n.isSorted()', error: 'no such overload: isSorted(double)' },
      { expr: 'claims.l.sum()', error: 'no such overload: sum(list)' },
      { expr: 'claims.s.getFullYear()', error: 'no such overload: getFullYear(string)' },
      { expr: "[claims.n].join(',')", error: 'no such overload: join(list, string)' },
      { expr: "[dyn('a'), dyn(claims.n)].join(',')", error: 'join: invalid input: 3' },
      { expr: '[dyn(claims.s), dyn(1)].sort()', error: 'list elements must have the same type' },
      { expr: '[claims.m].sort()', error: 'list elements must be comparable' },
      // ext/strings.go bounds, in code points.
      { expr: 'claims.s.substring(10)', error: 'index out of range: 10' },
      { expr: 'claims.s.substring(2, 1)', error: 'invalid substring range. start: 2, end: 1' },
      { expr: 'claims.s.substring(1, 9)', error: 'index out of range: 9' },
      { expr: 'claims.s.charAt(4)', error: 'index out of range: 4' },
      { expr: "claims.s.indexOf('a', -1)", error: 'index out of range: -1' },
      { expr: "claims.s.lastIndexOf('a', -1)", error: 'index out of range: -1' },
      { expr: "claims.s.indexOf('a', 10)", value: -1n },
      { expr: "claims.s.lastIndexOf('a', 10)", value: -1n },
      { expr: 'claims.s.charAt(3)', value: '' },
      { expr: "'h😀llo'.indexOf('l')", value: 2n },
      { expr: "'h😀llo'.substring(1, 3)", value: '😀l' },
      // Go's strings.SplitN: an empty separator splits between code points.
      { expr: "'a😀b'.split('')", value: ['a', '😀', 'b'] },
      { expr: "'a😀b'.split('', 2)", value: ['a', '😀b'] },
      { expr: "'a,b,c'.split(',', 2)", value: ['a', 'b,c'] },
      { expr: "'a,b,c'.split(',', 0)", value: [] },
      { expr: 'dyn(claims.l).filter(x, false).min()', error: 'min called on empty list' },
      { expr: 'claims.l.slice(1, 5)', error: 'cannot slice(1, 5), list is length 2' },
    ]),
  )('%s', (_expr, row) => expectRow(row))
})

describe('the cost limit (interpreter/runtimecost.go)', () => {
  it('a comprehension that would exceed the per-call limit is cancelled', () => {
    expectRow({
      expr: 'size(dyn(claims.many).map(a, claims.long + a)) > 0',
      error: 'operation cancelled: actual cost limit exceeded',
    })
  })
})
