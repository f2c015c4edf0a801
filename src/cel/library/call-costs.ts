/**
 * kube-apiserver's runtime cost figures (k8s.io/apiserver/pkg/cel/library/cost.go
 * `CallCost`) for the quantity, semver and format libraries, where they are not the
 * nominal 1 this service charges any call on small values anyway. String sizes are
 * code points, as cel-go's `Size()` counts them.
 */
import { OPTIONAL_ELEMENT, OPTIONAL_ENTRY } from '../optional-elements.js'
import { CelNamedFormat } from './format.js'

/** common.StringTraversalCostFactor and common.RegexStringLengthCostFactor. */
const STRING_TRAVERSAL = 0.1
const REGEX_LENGTH = 0.25

function codePoints(v: unknown): number {
  if (typeof v !== 'string') return 1
  let n = v.length
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = v.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

/** Parsing a string: one traversal. */
const parseCost = (values: readonly unknown[]): number =>
  Math.ceil(codePoints(values[0]) * STRING_TRAVERSAL)

/** `<Format>.validate(s)`: priced as a regex of the format's estimated size over `s`. */
function validateCost(values: readonly unknown[]): number {
  const [format, s] = values
  if (!(format instanceof CelNamedFormat)) return 1
  const strCost = Math.ceil((1 + codePoints(s)) * STRING_TRAVERSAL)
  return strCost * Math.ceil(format.format.maxRegexSize * REGEX_LENGTH)
}

/**
 * The cost of one call by function name (`values`: the receiver first, then the
 * arguments), or undefined for the default accounting.
 */
export const LIBRARY_CALL_COSTS: ReadonlyMap<string, (values: readonly unknown[]) => number> =
  new Map([
    ['quantity', parseCost],
    ['isQuantity', parseCost],
    ['semver', parseCost],
    ['isSemver', parseCost],
    ['validate', validateCost],
    ['named', () => 1],
    // The literal's own construction is what cel-go charges; unwrapping is free.
    [OPTIONAL_ELEMENT, () => 0],
    [OPTIONAL_ENTRY, () => 0],
  ])
