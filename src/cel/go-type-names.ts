/**
 * How cel-go names a runtime value in its error texts: `TypeName()` in
 * `no such overload: f(string, list)`, Go's `%T` in `got 'types.String', expected
 * iterable type`, and `%v` of a key in `no such key: 1.5`.
 */
import { Optional } from '@marcbachmann/cel-js'
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator'
import { formatDouble } from '../go/format-double.js'
import { CelUserInfo } from './activation.js'
import { CelCIDR } from './library/cidr.js'
import { CelNamedFormat } from './library/format.js'
import { CelIP } from './library/ip.js'
import { CelQuantity } from './library/quantity.js'
import { CelSemver } from './library/semver.js'
import { CelURL } from './library/url.js'

interface Names {
  /** cel-go `Type().TypeName()`. */
  readonly celName: string
  /** Go's `%T` of the cel-go value. */
  readonly goName: string
}

const OBJECTS: ReadonlyArray<[new (...args: never[]) => unknown, Names]> = [
  [Date, { celName: 'google.protobuf.Timestamp', goName: 'types.Timestamp' }],
  [Duration, { celName: 'google.protobuf.Duration', goName: 'types.Duration' }],
  [UnsignedInt, { celName: 'uint', goName: 'types.Uint' }],
  [Uint8Array, { celName: 'bytes', goName: 'types.Bytes' }],
  [Optional, { celName: 'optional_type', goName: '*types.Optional' }],
  [CelURL, { celName: 'kubernetes.URL', goName: 'cel.URL' }],
  [CelIP, { celName: 'net.IP', goName: 'cel.IP' }],
  [CelCIDR, { celName: 'net.CIDR', goName: 'cel.CIDR' }],
  [CelQuantity, { celName: 'kubernetes.Quantity', goName: 'cel.Quantity' }],
  [CelSemver, { celName: 'kubernetes.Semver', goName: 'cel.Semver' }],
  [CelNamedFormat, { celName: 'kubernetes.NamedFormat', goName: 'cel.Format' }],
  [CelUserInfo, { celName: 'kubernetes.UserInfo', goName: '*lazy.MapValue' }],
]

function names(v: unknown): Names {
  switch (typeof v) {
    case 'string':
      return { celName: 'string', goName: 'types.String' }
    case 'boolean':
      return { celName: 'bool', goName: 'types.Bool' }
    case 'bigint':
      return { celName: 'int', goName: 'types.Int' }
    case 'number':
      return { celName: 'double', goName: 'types.Double' }
    case 'undefined':
      return { celName: 'null_type', goName: 'types.Null' }
    default:
      break
  }
  if (v === null) return { celName: 'null_type', goName: 'types.Null' }
  for (const [ctor, n] of OBJECTS) if (v instanceof ctor) return n
  if (Array.isArray(v) || v instanceof Set) return { celName: 'list', goName: 'types.baseList' }
  return { celName: 'map', goName: 'types.baseMap' }
}

/** cel-go's `TypeName()` of a runtime value (`list`, `map`, `null_type`, `google.protobuf.Timestamp`). */
export function celTypeNameOf(v: unknown): string {
  return names(v).celName
}

/** Go's `%T` of the cel-go value (`types.String`). */
export function goTypeNameOf(v: unknown): string {
  return names(v).goName
}

/**
 * cel-go's `Type()` printed with `%v` (`double`, `map(dyn, dyn)`), as in ext/lists'
 * `no such overload: double.flatten()`.
 */
export function celTypeStringOf(v: unknown): string {
  const name = names(v).celName
  if (name === 'list') return 'list(dyn)'
  if (name === 'map') return 'map(dyn, dyn)'
  return name
}

/** Go's `%v` of a cel-go key or index value. */
export function goValueText(v: unknown): string {
  if (typeof v === 'number') return formatDouble(v)
  if (v instanceof UnsignedInt) return String(v.valueOf())
  if (v === null) return 'NULL_VALUE'
  return String(v)
}
