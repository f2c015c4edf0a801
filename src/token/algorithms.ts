/**
 * The nine JWS algorithms kube-apiserver's structured authenticator accepts
 * (oidc.go `allowedSigningAlgs`; the structured config always allows all of
 * them) and how each maps onto node:crypto. `none`, HS* and EdDSA are refused.
 */
import { constants } from 'node:crypto'

export const ALLOWED_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number]

const ALLOWED = new Set<string>(ALLOWED_ALGORITHMS)

export function isAllowedAlgorithm(alg: string): alg is SigningAlgorithm {
  return ALLOWED.has(alg)
}

export interface AlgorithmSpec {
  readonly keyType: 'rsa' | 'ec'
  readonly hash: 'sha256' | 'sha384' | 'sha512'
  /** RSA padding. */
  readonly padding?: number
  /** PSS salt length: go-jose verifies with `rsa.PSSSaltLengthAuto`, so any salt length is accepted. */
  readonly saltLength?: number
  /** EC curve (node's name) and the raw r||s signature length. */
  readonly curve?: 'prime256v1' | 'secp384r1' | 'secp521r1'
  readonly signatureBytes?: number
}

export const ALGORITHM_SPECS: Readonly<Record<SigningAlgorithm, AlgorithmSpec>> = {
  RS256: { keyType: 'rsa', hash: 'sha256', padding: constants.RSA_PKCS1_PADDING },
  RS384: { keyType: 'rsa', hash: 'sha384', padding: constants.RSA_PKCS1_PADDING },
  RS512: { keyType: 'rsa', hash: 'sha512', padding: constants.RSA_PKCS1_PADDING },
  PS256: {
    keyType: 'rsa',
    hash: 'sha256',
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_AUTO,
  },
  PS384: {
    keyType: 'rsa',
    hash: 'sha384',
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_AUTO,
  },
  PS512: {
    keyType: 'rsa',
    hash: 'sha512',
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_AUTO,
  },
  ES256: { keyType: 'ec', hash: 'sha256', curve: 'prime256v1', signatureBytes: 64 },
  ES384: { keyType: 'ec', hash: 'sha384', curve: 'secp384r1', signatureBytes: 96 },
  ES512: { keyType: 'ec', hash: 'sha512', curve: 'secp521r1', signatureBytes: 132 },
}
