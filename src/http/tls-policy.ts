/**
 * The TLS policy of the secure port, the same on every path that builds a
 * secure context (start and every certificate reload), shaped after a Go 1.22+
 * crypto/tls server, which is what kube-apiserver's own ports are:
 *
 * - TLS 1.2 and 1.3 only.
 * - For TLS 1.2, forward-secret ECDHE key exchange with an AEAD cipher only.
 *   Go 1.22 dropped the static-RSA `TLS_RSA_*` suites from its defaults (the
 *   key exchange has no forward secrecy and is the target of Bleichenbacher-
 *   style attacks); we also leave out the ECDHE-CBC-SHA1 suites Go still
 *   offers, keeping exactly the six suites Go ranks first.
 * - TLS 1.3: the three suites Go offers.
 * - No renegotiation: a Go server never renegotiates and refuses a client's
 *   attempt; OpenSSL (and so node) otherwise lets a client renegotiate a
 *   TLS 1.2 session, a cheap way to make the server do handshake work.
 */
import { constants } from 'node:crypto'
import type { SecureContextOptions } from 'node:tls'

/** TLS 1.2 suites, OpenSSL names with their IANA names. */
export const TLS12_CIPHER_SUITES = [
  ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
] as const

/** TLS 1.3 suites (their OpenSSL and IANA names are the same). */
export const TLS13_CIPHER_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
] as const

/** Options every secure context of the secure port is built with. */
export const TLS_POLICY: Readonly<
  Required<Pick<SecureContextOptions, 'minVersion' | 'ciphers' | 'secureOptions'>>
> = Object.freeze({
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_CIPHER_SUITES, ...TLS12_CIPHER_SUITES.map(([openssl]) => openssl)].join(':'),
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
})
