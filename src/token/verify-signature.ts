/**
 * One signature check with an already-imported key: RSA PKCS#1 v1.5, RSA-PSS
 * (any salt length, as go-jose's `rsa.VerifyPSS(..., nil)`), ECDSA with raw r||s.
 * The algorithm must fit the key: an RS256 header never verifies with an EC key,
 * an ES384 header never with a P-256 key.
 *
 * With `offload`, the check runs on libuv's threadpool (node's `crypto.verify`
 * with a callback) rather than on the event loop: public-key arithmetic is
 * the largest single cost of an uncached review, and off the main thread it
 * overlaps with the TLS, HTTP and JSON work of the other reviews in flight
 * and uses the machine's other cores, as kube-apiserver's authenticator does
 * from its goroutines. The hand-off costs CPU and a few wake-ups of its own,
 * so it only pays when the loop is busy (docs/performance.md).
 */
import { constants, verify, type KeyObject } from 'node:crypto'
import type { ImportedKey } from '../issuer/jwk-import.js'
import { ALGORITHM_SPECS, type SigningAlgorithm } from './algorithms.js'

// Answers settled without a job: a key that cannot fit, or a check made on the loop.
const NO_MATCH: Promise<boolean> = Promise.resolve(false)
const VERIFIED: Promise<boolean> = Promise.resolve(true)

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
  offload: boolean,
): Promise<boolean> {
  const spec = ALGORITHM_SPECS[alg]
  if (spec.keyType !== key.keyType) return NO_MATCH
  let options: KeyObject | RsaVerifyKey | EcVerifyKey
  if (spec.keyType === 'ec') {
    if (key.curve !== spec.curve || signature.length !== spec.signatureBytes) return NO_MATCH
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
  if (!offload) {
    try {
      return verify(spec.hash, input, options, signature) ? VERIFIED : NO_MATCH
    } catch {
      return NO_MATCH
    }
  }
  return new Promise((resolve) => {
    try {
      verify(spec.hash, input, options, signature, (err, ok) => resolve(err === null && ok))
    } catch {
      // Node refuses some inputs before queuing the job: an invalid signature, never an error.
      resolve(false)
    }
  })
}
