/**
 * One signature check with an already-imported key: RSA PKCS#1 v1.5, RSA-PSS
 * (any salt length, as go-jose's `rsa.VerifyPSS(..., nil)`), ECDSA with raw r||s.
 * The algorithm must fit the key: an RS256 header never verifies with an EC key,
 * an ES384 header never with a P-256 key.
 */
import { constants, verify, type KeyObject } from 'node:crypto'
import type { ImportedKey } from '../issuer/jwk-import.js'
import { ALGORITHM_SPECS, type SigningAlgorithm } from './algorithms.js'

interface RsaVerifyKey {
  key: KeyObject
  padding: number
  saltLength?: number
}
interface EcVerifyKey {
  key: KeyObject
  dsaEncoding: 'ieee-p1363'
}

export function verifyWithKey(
  alg: SigningAlgorithm,
  input: Buffer,
  signature: Buffer,
  key: ImportedKey,
): boolean {
  const spec = ALGORITHM_SPECS[alg]
  if (spec.keyType !== key.keyType) return false
  let options: KeyObject | RsaVerifyKey | EcVerifyKey
  if (spec.keyType === 'ec') {
    if (key.curve !== spec.curve || signature.length !== spec.signatureBytes) return false
    options = { key: key.key, dsaEncoding: 'ieee-p1363' }
  } else if (spec.padding === constants.RSA_PKCS1_PADDING) {
    // PKCS#1 v1.5 is node's default for an RSA key: the key object alone, no options to read.
    options = key.key
  } else {
    options =
      spec.saltLength === undefined
        ? { key: key.key, padding: spec.padding ?? 0 }
        : { key: key.key, padding: spec.padding ?? 0, saltLength: spec.saltLength }
  }
  try {
    return verify(spec.hash, input, options, signature)
  } catch {
    return false
  }
}
