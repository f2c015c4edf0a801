/**
 * cel-go's numeric and bool conversions (common/types/{int,uint,double,string}.go
 * `ConvertToType`, overflow.go), registered under internal names (rename.ts): Go's
 * strconv parsing rules, its checked narrowing (`int(1e20)` is `integer overflow`), and
 * its error texts. `int(timestamp)` and `int(duration)` come from the time library.
 */
import type { Environment } from '@marcbachmann/cel-js'
import type { Duration } from '@marcbachmann/cel-js/evaluator'
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator'
import { INTERNAL_PREFIX } from '../rename.js'
import { durationToInt, timestampToInt } from './time.js'

const MAX_INT64 = (1n << 63n) - 1n
const MIN_INT64 = -(1n << 63n)
const MAX_UINT64 = (1n << 64n) - 1n
const TWO_TO_63 = 2 ** 63
const TWO_TO_64 = 2 ** 64

class ConversionError extends Error {}

function conversionError(from: string, to: string): ConversionError {
  return new ConversionError(`type conversion error from '${from}' to '${to}'`)
}

const INTEGER_OVERFLOW = 'integer overflow'
const UNSIGNED_OVERFLOW = 'unsigned integer overflow'

/** Go's `strconv.ParseInt(s, 10, 64)`. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const v = BigInt(s)
  return v > MAX_INT64 || v < MIN_INT64 ? undefined : v
}

/** Go's `strconv.ParseUint(s, 10, 64)`: digits only, no sign. */
function parseUint64(s: string): bigint | undefined {
  if (!/^\d+$/.test(s)) return undefined
  const v = BigInt(s)
  return v > MAX_UINT64 ? undefined : v
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/

function hexFloat(m: RegExpExecArray): number | undefined {
  const [, sign, whole = '', fraction = '', exponent = '0'] = m
  if (whole === '' && fraction === '') return undefined
  const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16)
  const v = mantissa * 2 ** (Number(exponent) - 4 * fraction.length)
  return sign === '-' ? -v : v
}

/** Go's `strconv.ParseFloat(s, 64)`; `undefined` where Go returns an error (including out of range). */
function parseFloat64(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s)
  if (special !== null) return special[1] === '-' ? -Infinity : Infinity
  if (/^nan$/i.test(s)) return NaN
  let v: number | undefined
  if (DECIMAL_FLOAT.test(s)) v = Number(s)
  else {
    const hex = HEX_FLOAT.exec(s)
    v = hex === null ? undefined : hexFloat(hex)
  }
  return v === undefined || !Number.isFinite(v) ? undefined : v
}

const GO_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((s): [string, boolean] => [s, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((s): [string, boolean] => [s, false]),
])

function doubleToInt(v: number): bigint {
  if (!Number.isFinite(v) || v <= -TWO_TO_63 || v >= TWO_TO_63) {
    throw new ConversionError(INTEGER_OVERFLOW)
  }
  return BigInt(Math.trunc(v))
}

function doubleToUint(v: number): UnsignedInt {
  if (!Number.isFinite(v) || v < 0 || v >= TWO_TO_64) throw new ConversionError(UNSIGNED_OVERFLOW)
  return new UnsignedInt(BigInt(Math.trunc(v)))
}

function stringToInt(s: string): bigint {
  const v = parseInt64(s)
  if (v === undefined) throw conversionError('string', 'int')
  return v
}

function stringToUint(s: string): UnsignedInt {
  const v = parseUint64(s)
  if (v === undefined) throw conversionError('string', 'uint')
  return new UnsignedInt(v)
}

function stringToDouble(s: string): number {
  const v = parseFloat64(s)
  if (v === undefined) throw conversionError('string', 'double')
  return v
}

function stringToBool(s: string): boolean {
  const v = GO_BOOLS.get(s)
  if (v === undefined) throw conversionError('string', 'bool')
  return v
}

export function registerConversions(env: Environment): void {
  const p = INTERNAL_PREFIX
  const TS = 'google.protobuf.Timestamp'
  const DUR = 'google.protobuf.Duration'
  env
    .registerFunction(`${p}int(int): int`, (v: bigint) => v)
    .registerFunction(`${p}int(uint): int`, (v: UnsignedInt) => {
      if (v.valueOf() > MAX_INT64) throw new ConversionError(INTEGER_OVERFLOW)
      return v.valueOf()
    })
    .registerFunction(`${p}int(double): int`, doubleToInt)
    .registerFunction(`${p}int(string): int`, stringToInt)
    .registerFunction(`${p}int(${TS}): int`, timestampToInt)
    .registerFunction(`${p}int(${DUR}): int`, (d: Duration) => durationToInt(d))
    .registerFunction(`${p}uint(uint): uint`, (v: UnsignedInt) => v)
    .registerFunction(`${p}uint(int): uint`, (v: bigint) => {
      if (v < 0n) throw new ConversionError(UNSIGNED_OVERFLOW)
      return new UnsignedInt(v)
    })
    .registerFunction(`${p}uint(double): uint`, doubleToUint)
    .registerFunction(`${p}uint(string): uint`, stringToUint)
    .registerFunction(`${p}double(double): double`, (v: number) => v)
    .registerFunction(`${p}double(int): double`, (v: bigint) => Number(v))
    .registerFunction(`${p}double(uint): double`, (v: UnsignedInt) => Number(v.valueOf()))
    .registerFunction(`${p}double(string): double`, stringToDouble)
    .registerFunction(`${p}bool(bool): bool`, (v: boolean) => v)
    .registerFunction(`${p}bool(string): bool`, stringToBool)
}
