/**
 * `jwt[i].claimMappings`: validation.go validateClaimMappings and
 * validatePrefixClaimOrExpression, including the email_verified rule, which is
 * reported last (after username, groups, uid and extra).
 */
import type {
  CompiledJWTAuthenticator,
  CompiledPrefixedMapping,
  CompiledUIDMapping,
} from './compiled.js'
import type { CompiledExtraMapping } from './compiled.js'
import { compileClaimsField } from './compile-expression.js'
import { EMAIL_VERIFIED_DETAIL } from './email-claim-state.js'
import type { EmailClaimState } from './email-claim-state.js'
import { duplicate, invalid, required } from './field-error.js'
import type { FieldError } from './field-error.js'
import { validateExtraKey } from './validate-extra-key.js'
import type { ClaimMappings, PrefixedClaimOrExpression } from './types.js'

type CompiledClaimMappings = CompiledJWTAuthenticator['claimMappings']

export function validateClaimMappings(
  mappings: ClaimMappings,
  path: string,
  state: EmailClaimState,
): { errors: FieldError[]; compiled?: CompiledClaimMappings } {
  const errors: FieldError[] = []

  const username = validatePrefixed(mappings.username ?? {}, `${path}.username`, true)
  errors.push(...username.errors)
  // Upstream only looks at the username AST when the whole username mapping is error-free.
  if (username.errors.length === 0 && username.compiled?.kind === 'expression') {
    state.usesEmailClaim ||= username.compiled.expression.usesClaimsEmail
    state.usesEmailVerifiedClaim ||= username.compiled.expression.usesClaimsEmailVerified
  }

  const groups = validatePrefixed(mappings.groups ?? {}, `${path}.groups`, false)
  errors.push(...groups.errors)

  let uid: CompiledUIDMapping | undefined
  const uidClaim = mappings.uid?.claim ?? ''
  const uidExpression = mappings.uid?.expression ?? ''
  if (uidClaim !== '' && uidExpression !== '') {
    errors.push(invalid(`${path}.uid`, '', "claim and expression can't both be set"))
  } else if (uidExpression !== '') {
    const result = compileClaimsField(uidExpression, `${path}.uid.expression`, false)
    if (result.ok) uid = { kind: 'expression', expression: result.compiled }
    else errors.push(result.error)
  } else if (uidClaim !== '') {
    uid = { kind: 'claim', claim: uidClaim }
  }

  const extra: CompiledExtraMapping[] = []
  const seenKeys = new Set<string>()
  ;(mappings.extra ?? []).forEach((mapping, i) => {
    const itemPath = `${path}.extra[${i}]`
    const key = mapping.key ?? ''
    errors.push(...validateExtraKey(`${itemPath}.key`, key))
    if (seenKeys.has(key)) {
      errors.push(duplicate(`${itemPath}.key`, key))
      return
    }
    seenKeys.add(key)
    const valueExpression = mapping.valueExpression ?? ''
    if (valueExpression === '') {
      errors.push(required(`${itemPath}.valueExpression`))
      return
    }
    const result = compileClaimsField(valueExpression, `${itemPath}.valueExpression`, false)
    if (!result.ok) {
      errors.push(result.error)
      return
    }
    state.usesEmailVerifiedClaim ||= result.compiled.usesClaimsEmailVerified
    extra.push({ key, valueExpression: result.compiled })
  })

  if (state.usesEmailClaim && !state.usesEmailVerifiedClaim) {
    errors.push(
      invalid(
        `${path}.username.expression`,
        mappings.username?.expression ?? '',
        EMAIL_VERIFIED_DETAIL,
      ),
    )
  }

  if (errors.length > 0 || username.compiled === undefined) return { errors }
  return {
    errors,
    compiled: {
      username: username.compiled,
      ...(groups.compiled ? { groups: groups.compiled } : {}),
      ...(uid ? { uid } : {}),
      extra,
    },
  }
}

function validatePrefixed(
  mapping: PrefixedClaimOrExpression,
  path: string,
  claimOrExpressionRequired: boolean,
): { errors: FieldError[]; compiled?: CompiledPrefixedMapping } {
  const claim = mapping.claim ?? ''
  const expression = mapping.expression ?? ''
  if (claim !== '' && expression !== '') {
    return { errors: [invalid(path, '', "claim and expression can't both be set")] }
  }
  if (claim === '' && expression === '') {
    // `groups: {prefix: x}` alone is accepted and means nothing.
    return {
      errors: claimOrExpressionRequired ? [required(path, 'claim or expression is required')] : [],
    }
  }
  const errors: FieldError[] = []
  if (expression !== '') {
    if (mapping.prefix !== undefined) {
      errors.push(
        invalid(`${path}.prefix`, mapping.prefix, 'may not be specified when expression is set'),
      )
    }
    const result = compileClaimsField(expression, `${path}.expression`, false)
    if (!result.ok) return { errors: [...errors, result.error] }
    return { errors, compiled: { kind: 'expression', expression: result.compiled } }
  }
  if (mapping.prefix === undefined) {
    return {
      errors: [
        required(
          `${path}.prefix`,
          'prefix is required when claim is set. It can be set to an empty string to disable prefixing',
        ),
      ],
    }
  }
  return { errors, compiled: { kind: 'claim', claim, prefix: mapping.prefix } }
}
