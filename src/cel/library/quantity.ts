/**
 * Kubernetes quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go): `quantity()`,
 * `isQuantity()`, the global `sign()`, and the `kubernetes.Quantity` members `isGreaterThan`,
 * `isLessThan`, `compareTo`, `asApproximateFloat`, `asInteger`, `isInteger`, `add` and `sub`
 * (a quantity or an int). Values follow apimachinery's resource.Quantity (quantity-amount.ts).
 */
import type { Environment } from '@marcbachmann/cel-js'
import { parseQuantity, Quantity, quantityFromInt64 } from './quantity-amount.js'

/** The runtime value of a CEL `kubernetes.Quantity`. */
export class CelQuantity {
  constructor(
    readonly quantity: Quantity,
    /**
     * `add` and `sub` return a pointer (`*apiservercel.Quantity`) where `quantity()` returns a
     * value, and upstream's `Equal` only accepts a value on its right: `x == q.add(y)` is
     * `no such overload` there (and `!=` is then true). Kept so results match.
     */
    readonly fromArithmetic = false,
  ) {}
}

function toQuantity(s: string): CelQuantity {
  const parsed = parseQuantity(s)
  if (typeof parsed === 'string') throw new Error(parsed)
  return new CelQuantity(parsed)
}

function isQuantity(s: string): boolean {
  return typeof parseQuantity(s) !== 'string'
}

function asInteger(q: CelQuantity): bigint {
  const value = q.quantity.asInt64()
  if (value === undefined) throw new Error('cannot convert value to integer')
  return value
}

function arithmetic(
  q: CelQuantity,
  other: Quantity,
  op: (copy: Quantity, other: Quantity) => void,
): CelQuantity {
  const copy = q.quantity.copy()
  op(copy, other)
  return new CelQuantity(copy, true)
}

const add = (copy: Quantity, other: Quantity): void => copy.add(other)
const sub = (copy: Quantity, other: Quantity): void => copy.sub(other)

/**
 * `==`; cel-js derives `!=` as its negation and passes the `!=` node, for which upstream's
 * failed `Equal` makes the result true (`types.Bool(Equal(l, r) != types.True)`).
 */
function equal(a: CelQuantity, b: CelQuantity, node?: { op?: unknown }): boolean {
  if (b.fromArithmetic) {
    if (node?.op === '!=') return false
    throw new Error('no such overload')
  }
  return a.quantity.equals(b.quantity)
}

/** Registers the quantity library and the `kubernetes.Quantity` type. */
export function registerQuantity(env: Environment): void {
  const Q = 'kubernetes.Quantity'
  env
    .registerType(Q, CelQuantity)
    .registerFunction(`quantity(string): ${Q}`, toQuantity)
    .registerFunction('isQuantity(string): bool', isQuantity)
    .registerFunction(`sign(${Q}): int`, (q: CelQuantity) => BigInt(q.quantity.sign()))
    .registerFunction(
      `${Q}.isGreaterThan(${Q}): bool`,
      (q: CelQuantity, o: CelQuantity) => q.quantity.compareTo(o.quantity) === 1,
    )
    .registerFunction(
      `${Q}.isLessThan(${Q}): bool`,
      (q: CelQuantity, o: CelQuantity) => q.quantity.compareTo(o.quantity) === -1,
    )
    .registerFunction(`${Q}.compareTo(${Q}): int`, (q: CelQuantity, o: CelQuantity) =>
      BigInt(q.quantity.compareTo(o.quantity)),
    )
    .registerFunction(`${Q}.asApproximateFloat(): double`, (q: CelQuantity) =>
      q.quantity.asApproximateFloat64(),
    )
    .registerFunction(`${Q}.asInteger(): int`, asInteger)
    .registerFunction(
      `${Q}.isInteger(): bool`,
      (q: CelQuantity) => q.quantity.asInt64() !== undefined,
    )
    .registerFunction(`${Q}.add(${Q}): ${Q}`, (q: CelQuantity, o: CelQuantity) =>
      arithmetic(q, o.quantity, add),
    )
    .registerFunction(`${Q}.add(int): ${Q}`, (q: CelQuantity, n: bigint) =>
      arithmetic(q, quantityFromInt64(n), add),
    )
    .registerFunction(`${Q}.sub(${Q}): ${Q}`, (q: CelQuantity, o: CelQuantity) =>
      arithmetic(q, o.quantity, sub),
    )
    .registerFunction(`${Q}.sub(int): ${Q}`, (q: CelQuantity, n: bigint) =>
      arithmetic(q, quantityFromInt64(n), sub),
    )
    .registerOperator(`${Q} == ${Q}`, equal)
}
