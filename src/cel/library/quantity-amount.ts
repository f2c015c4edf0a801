/**
 * k8s.io/apimachinery `resource.Quantity` as the CEL quantity library observes it:
 * `ParseQuantity` (accepted forms, errors, and the internal representation it picks),
 * `Add`, `Sub`, `Cmp`, `Sign`, `AsInt64` and `AsApproximateFloat64`.
 *
 * The representation matters, not only the value: a quantity is either an int64 with a
 * decimal exponent (`int64Amount`) or an arbitrary-precision decimal (`inf.Dec`), and
 * `AsInt64` (CEL `isInteger`/`asInteger`) fails for the latter whatever its value, so
 * `quantity("1.0").isInteger()` is false and `quantity("1Ki").isInteger()` true. Which
 * form each operation produces follows apimachinery's code path by path, including its
 * int32 scale arithmetic and int64 wrap-arounds.
 *
 * Deliberate difference: apimachinery materialises `10^n` for any exponent it meets, so
 * a quantity such as `1e-2000000000` makes it compute a number of billions of digits.
 * Here any step that would need more than MAX_DIGITS digits fails instead.
 */

/** apimachinery's parse errors, verbatim. */
export const ERR_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
export const ERR_NUMERIC = 'unable to parse numeric part of quantity'
export const ERR_SUFFIX = "unable to parse quantity's suffix"

/** The largest number of decimal digits a value or a rescaling may take here. */
export const MAX_DIGITS = 10_000
export const ERR_TOO_LARGE = `quantity needs more than ${MAX_DIGITS} decimal digits`

/** Thrown when a value would exceed MAX_DIGITS (apimachinery would compute it, slowly). */
export class QuantityRangeError extends Error {
  constructor() {
    super(ERR_TOO_LARGE)
  }
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
/** resource.Quantity's MaxInt64 limit for binary-SI values (`maxAllowed`). */
const MAX_ALLOWED: Dec = { unscaled: INT64_MAX, scale: 0 }
/** resource.Nano as an inf.Dec scale: parsed decimals are rounded up to nanos. */
const NANO_SCALE = 9

/** `value * 10^scale`, value an int64 (resource's `int64Amount`). */
interface Int64Amount {
  readonly value: bigint
  readonly scale: number
}

/** `unscaled * 10^-scale` (gopkg.in/inf.v0 `Dec`; its scale runs the other way). */
interface Dec {
  readonly unscaled: bigint
  readonly scale: number
}

function fitsInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX
}

/** Go's int32 arithmetic wraps; scales are int32. */
function int32(n: number): number {
  return n | 0
}

function pow10(n: number): bigint {
  if (n > MAX_DIGITS) throw new QuantityRangeError()
  return 10n ** BigInt(n)
}

function digitCount(v: bigint): number {
  return (v < 0n ? -v : v).toString().length
}

/** math.go positiveScaleInt64: `base * 10^scale` if it fits in an int64 (scale <= 0 leaves it). */
function positiveScale(base: bigint, scale: number): bigint | undefined {
  if (scale <= 0 || base === 0n) return base
  if (scale > 19) return undefined
  const result = base * 10n ** BigInt(scale)
  return fitsInt64(result) ? result : undefined
}

/** amount.go `int64Amount.Add`: the sum, or undefined where apimachinery falls back to inf.Dec. */
function addInt64(a: Int64Amount, b: Int64Amount): Int64Amount | undefined {
  if (b.value === 0n) return a
  if (a.value === 0n) return b
  if (a.scale === b.scale) {
    const sum = a.value + b.value
    return fitsInt64(sum) ? { value: sum, scale: a.scale } : undefined
  }
  if (a.scale > b.scale) {
    const scaled = positiveScale(a.value, int32(a.scale - b.scale))
    if (scaled === undefined) return undefined
    const sum = scaled + b.value
    return fitsInt64(sum) ? { value: sum, scale: b.scale } : undefined
  }
  const scaled = positiveScale(b.value, int32(b.scale - a.scale))
  if (scaled === undefined) return undefined
  const sum = a.value + scaled
  return fitsInt64(sum) ? { value: sum, scale: a.scale } : undefined
}

function int64AsDec(a: Int64Amount): Dec {
  return { unscaled: a.value, scale: int32(-a.scale) }
}

function rescale(d: Dec, scale: number): bigint {
  return d.unscaled * pow10(scale - d.scale)
}

/** inf.Dec `Cmp`, exact, without building numbers larger than the operands. */
function compareDec(a: Dec, b: Dec): number {
  const sa = a.unscaled === 0n ? 0 : a.unscaled < 0n ? -1 : 1
  const sb = b.unscaled === 0n ? 0 : b.unscaled < 0n ? -1 : 1
  if (sa !== sb) return sa < sb ? -1 : 1
  if (sa === 0) return 0
  // Same sign: compare the positions of the leading digits first.
  const ea = digitCount(a.unscaled) - a.scale
  const eb = digitCount(b.unscaled) - b.scale
  if (ea !== eb) return ea > eb ? sa : -sa
  const scale = Math.max(a.scale, b.scale)
  const x = rescale(a, scale)
  const y = rescale(b, scale)
  return x === y ? 0 : x > y ? 1 : -1
}

/** inf.Dec `Add` (exact; the result keeps the larger scale). */
function addDec(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale)
  return { unscaled: rescale(a, scale) + rescale(b, scale), scale }
}

/** inf.Dec `Round(x, 9, RoundUp)` for a positive x: to nanos, away from zero. */
function roundUpToNanos(d: Dec): Dec {
  if (d.scale <= NANO_SCALE) return { unscaled: rescale(d, NANO_SCALE), scale: NANO_SCALE }
  const shift = d.scale - NANO_SCALE
  if (digitCount(d.unscaled) <= shift) return { unscaled: 1n, scale: NANO_SCALE }
  const divisor = pow10(shift)
  const quotient = d.unscaled / divisor
  const rounded = d.unscaled % divisor === 0n ? quotient : quotient + 1n
  return { unscaled: rounded, scale: NANO_SCALE }
}

/** A resource.Quantity. Mutable like Go's (see `compareTo`). */
export class Quantity {
  constructor(
    private i: Int64Amount,
    private d: Dec | undefined,
  ) {}

  /** Quantity.DeepCopy. */
  copy(): Quantity {
    return new Quantity(this.i, this.d)
  }

  private asDec(): Dec {
    return this.d ?? int64AsDec(this.i)
  }

  /** Quantity.ToDec: switches this quantity to the inf.Dec form for good. */
  private toDec(): Dec {
    this.d ??= int64AsDec(this.i)
    this.i = { value: 0n, scale: 0 }
    return this.d
  }

  /** Quantity.Sign. */
  sign(): number {
    const v = this.d?.unscaled ?? this.i.value
    return v === 0n ? 0 : v < 0n ? -1 : 1
  }

  /**
   * Quantity.Cmp on the receiver: unless both are int64 amounts, Go converts the
   * receiver to inf.Dec in place (`q.AsDec()`), which later `isInteger` calls see.
   */
  compareTo(other: Quantity): number {
    if (this.d === undefined && other.d === undefined) return this.compareWith(other)
    return compareDec(this.toDec(), other.asDec())
  }

  /** Quantity.Equal: Cmp on a copy, so neither side changes form. */
  equals(other: Quantity): boolean {
    return this.compareWith(other) === 0
  }

  private compareWith(other: Quantity): number {
    return compareDec(this.asDec(), other.asDec())
  }

  /** Quantity.Add, in place. */
  add(other: Quantity): void {
    if (this.d === undefined && other.d === undefined) {
      const sum = addInt64(this.i, other.i)
      if (sum !== undefined) {
        this.i = sum
        return
      }
    }
    this.d = addDec(this.toDec(), other.asDec())
  }

  /** Quantity.Sub, in place; the int64 path negates with Go's wrap-around, as upstream does. */
  sub(other: Quantity): void {
    if (this.d === undefined && other.d === undefined) {
      const negated = { value: BigInt.asIntN(64, -other.i.value), scale: other.i.scale }
      const difference = addInt64(this.i, negated)
      if (difference !== undefined) {
        this.i = difference
        return
      }
    }
    const y = other.asDec()
    this.d = addDec(this.toDec(), { unscaled: -y.unscaled, scale: y.scale })
  }

  /** Quantity.AsInt64: undefined for an inf.Dec, a fraction, or an int64 overflow. */
  asInt64(): bigint | undefined {
    if (this.d !== undefined) return undefined
    const { value, scale } = this.i
    if (scale === 0) return value
    if (scale < 0) return undefined
    return positiveScale(value, scale)
  }

  /** Quantity.AsApproximateFloat64: float64(unscaled) * math.Pow10(exponent). */
  asApproximateFloat64(): number {
    const base = Number(this.d?.unscaled ?? this.i.value)
    const exponent = this.d === undefined ? this.i.scale : int32(-this.d.scale)
    if (exponent === 0) return base
    return base * goPow10(exponent)
  }
}

/** A quantity made from an int64 (`resource.NewQuantity(v, DecimalExponent)`). */
export function quantityFromInt64(value: bigint): Quantity {
  return new Quantity({ value, scale: 0 }, undefined)
}

// Go's math.Pow10 tables; multiplying table entries reproduces its rounding exactly.
const POW10_TAB = Array.from({ length: 32 }, (_, i) => Number(`1e${i}`))
const POW10_POS_TAB32 = Array.from({ length: 10 }, (_, i) => Number(`1e${i * 32}`))
const POW10_NEG_TAB32 = Array.from({ length: 11 }, (_, i) => Number(`1e-${i * 32}`))

/** Go's math.Pow10. */
export function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return (POW10_POS_TAB32[n >> 5] ?? 0) * (POW10_TAB[n & 31] ?? 0)
  if (n < 0 && n >= -323) return (POW10_NEG_TAB32[-n >> 5] ?? 0) / (POW10_TAB[-n & 31] ?? 0)
  return n > 0 ? Infinity : 0
}

interface QuantityParts {
  positive: boolean
  value: string
  num: string
  denom: string
  suffix: string
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const SUFFIX_CHARS = 'eEinumkKMGTP'

/** quantity.go parseQuantityString, step for step (it accepts `+`, `.` and `-` as zero). */
function splitQuantity(str: string): QuantityParts | undefined {
  let positive = true
  let pos = 0
  const end = str.length
  if (str[0] === '-') {
    positive = false
    pos++
  } else if (str[0] === '+') pos++
  while (str[pos] === '0') pos++
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' }
  const numStart = pos
  while (isDigit(str[pos])) pos++
  if (pos >= end) return { positive, value: str, num: str.slice(numStart), denom: '', suffix: '' }
  const num = str.slice(numStart, pos) || '0'
  let denom = ''
  if (str[pos] === '.') {
    pos++
    const denomStart = pos
    while (isDigit(str[pos])) pos++
    denom = str.slice(denomStart, pos)
    if (pos >= end) return { positive, value: str, num, denom, suffix: '' }
  }
  const value = str.slice(0, pos)
  const suffixStart = pos
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++
  if (str[pos] === '-' || str[pos] === '+') pos++
  while (isDigit(str[pos])) pos++
  if (pos < end) return undefined
  return { positive, value, num, denom, suffix: str.slice(suffixStart) }
}

interface SuffixMeaning {
  base: 2 | 10
  exponent: number
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent'
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
}
const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
}

/** suffix.go `interpret`: SI, binary SI, or `e`/`E` and a Go int64 (kept as its int32 wrap). */
function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix]
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' }
  const binary = BINARY_SUFFIXES[suffix]
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' }
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    const digits = suffix.slice(1)
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined
    const parsed = BigInt(digits)
    if (!fitsInt64(parsed)) return undefined
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' }
  }
  return undefined
}

/** inf.Dec SetString on the numeric part: optional sign, digits, at most one point. */
function parseDecimal(value: string): Dec | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value)
  if (m === null) return undefined
  const [, sign = '', whole = '', fraction = ''] = m
  if (whole === '' && fraction === '') return undefined
  if (whole.length + fraction.length > MAX_DIGITS) throw new QuantityRangeError()
  const unscaled = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}` || '0')
  return { unscaled, scale: fraction.length }
}

/** resource.ParseQuantity: a Quantity, or apimachinery's error text. */
export function parseQuantity(str: string): Quantity | string {
  if (str.length === 0) return ERR_FORMAT_WRONG
  if (str === '0') return new Quantity({ value: 0n, scale: 0 }, undefined)
  const parts = splitQuantity(str)
  if (parts === undefined) return ERR_FORMAT_WRONG
  const meaning = interpretSuffix(parts.suffix)
  if (meaning === undefined) return ERR_SUFFIX
  const { positive, value, num, denom } = parts
  const { base, exponent, format } = meaning

  let precision: number
  let scale: number
  let mantissa = 1n
  if (format === 'BinarySI') {
    scale = 0
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent)
      precision = 15 - num.length - (exponent * 3) / 10 - 1
    } else precision = -1
  } else {
    scale = exponent
    precision = 18 - (num.length + denom.length)
  }

  if (precision >= 0) {
    scale = int32(scale - denom.length)
    if (scale >= -9) {
      const shifted = BigInt(num + denom)
      const result = shifted * mantissa
      if (fitsInt64(result))
        return new Quantity({ value: positive ? result : -result, scale }, undefined)
    }
  }

  let amount = parseDecimal(value)
  if (amount === undefined) return ERR_NUMERIC
  if (base === 10)
    amount = { unscaled: amount.unscaled, scale: int32(amount.scale + int32(-exponent)) }
  else amount = { unscaled: amount.unscaled << BigInt(exponent), scale: amount.scale }
  const negative = amount.unscaled < 0n
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale }
  if (amount.unscaled !== 0n) amount = roundUpToNanos(amount)
  if (format === 'BinarySI' && compareDec(amount, MAX_ALLOWED) > 0) amount = MAX_ALLOWED
  if (negative) amount = { unscaled: -amount.unscaled, scale: amount.scale }
  return new Quantity({ value: 0n, scale: 0 }, amount)
}
