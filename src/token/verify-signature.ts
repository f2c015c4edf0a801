/**
 * One signature check with an already-imported key: RSA PKCS#1 v1.5, RSA-PSS
 * (any salt length, as go-jose's `rsa.VerifyPSS(..., nil)`), ECDSA with raw r||s.
 * The algorithm must fit the key: an RS256 header never verifies with an EC key,
 * an ES384 header never with a P-256 key.
 *
 * The check runs on libuv's threadpool (node's `crypto.verify` with a
 * callback), not on the event loop: public-key arithmetic is the largest
 * single cost of an uncached review, and off the main thread it overlaps with
 * the TLS, HTTP and JSON work of the other reviews in flight and uses the
 * machine's other cores, as kube-apiserver's authenticator does from its
 * goroutines. The hand-off costs the main thread less than the check itself
 * (docs/performance.md).
 */
import { constants, verify, type KeyObject } from 'node:crypto'
import type { ImportedKey } from '../issuer/jwk-import.js'
import { ALGORITHM_SPECS, type SigningAlgorithm } from './algorithms.js'

/** The answer for a key that cannot fit the algorithm, settled without a job. */
const NO_MATCH: Promise<boolean> = Promise.resolve(false)

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
  return new Promise((resolve) => {
    try {
      verify(spec.hash, input, options, signature, (err, ok) => resolve(err === null && ok))
    } catch {
      // Node refuses some inputs before queuing the job: an invalid signature, never an error.
      resolve(false)
    }
  })
}
