/**
 * cel-go's homogeneous aggregate literal validator (cel/validator.go
 * `homogeneousAggregateLiteralValidator`, on in Kubernetes through
 * `cel.HomogeneousAggregateLiterals()`): every element of a list literal, and every key
 * and every value of a map literal, must have the checked type of the first one. The
 * comparison is type equivalence, so `dyn` and `any` match only themselves:
 * `[claims.a, 'x']`, `[dyn(1), 'x']` and `[claims.a, dyn(1)]` are all refused.
 */
import type { CheckIssue, Inference } from './infer.js'
import type { GoType } from './go-type.js'
import { formatType, sameType, unwrapOptional } from './go-type.js'
import { goOffset } from './offset.js'

export function homogeneousLiteralIssues(inference: Inference): CheckIssue[] {
  const issues: CheckIssue[] = []
  for (const literal of inference.literals) {
    for (const column of literal.columns) {
      let expected: GoType | undefined
      for (const element of column) {
        let t = inference.typeOf(element.node)
        if (element.optional) t = unwrapOptional(t)[0]
        if (expected === undefined) {
          expected = t
          continue
        }
        if (!sameType(expected, t, false)) {
          issues.push({
            message: `expected type '${formatType(expected)}' but found '${formatType(t)}'`,
            at: goOffset(element.node),
          })
          if (literal.stopAtFirst) break
        }
      }
    }
  }
  return issues
}
