/**
 * Throwaway X.509 material for the `dev` command and for tests: a CA, serving
 * certificates with SANs (Go's TLS client ignores the CN) and client
 * certificates for mTLS. ECDSA P-256 keys: fast to make and accepted everywhere.
 */
import 'reflect-metadata'
import { webcrypto, randomBytes } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 24 * 60 * 60 * 1000

export interface CertificateAuthority {
  /** PEM of the CA certificate. */
  readonly certPem: string
  /** PEM (PKCS#8) of the CA key. */
  readonly keyPem: string
  readonly cert: x509.X509Certificate
  readonly keys: webcrypto.CryptoKeyPair
}

export interface IssuedCertificate {
  readonly certPem: string
  readonly keyPem: string
}

export interface CertificateOptions {
  /** Subject common name. */
  commonName: string
  /** Validity in days from now (default 365). */
  days?: number
  /** Start of validity (default: one minute ago, to tolerate small clock steps). */
  notBefore?: Date
  /** Key of the issued certificate (default ECDSA P-256; RSA for tests of RSA-only TLS suites). */
  keyType?: 'ecdsa-p256' | 'rsa-2048'
}

export interface ServerCertificateOptions extends CertificateOptions {
  /** DNS names and IP addresses for the subjectAltName extension. */
  dnsNames?: string[]
  ipAddresses?: string[]
}

function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f // positive
  return bytes.toString('hex')
}

function validity(opts: CertificateOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000)
  return { notBefore, notAfter: new Date(notBefore.getTime() + (opts.days ?? 365) * DAY_MS) }
}

async function keyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const

async function generateKeys(
  keyType: CertificateOptions['keyType'] = 'ecdsa-p256',
): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(
    keyType === 'rsa-2048' ? RSA_ALGORITHM : ALGORITHM,
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair
}

/** Makes a self-signed CA certificate and key. */
export async function createCertificateAuthority(
  opts: CertificateOptions = { commonName: 'kube-oidc-webhook CA' },
): Promise<CertificateAuthority> {
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${opts.commonName}`,
    ...validity(opts),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys), cert, keys }
}

async function issue(
  ca: CertificateAuthority,
  opts: CertificateOptions,
  extensions: x509.Extension[],
): Promise<IssuedCertificate> {
  const keys = await generateKeys(opts.keyType)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${opts.commonName}`,
    issuer: ca.cert.subject,
    ...validity(opts),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...extensions,
    ],
  })
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys) }
}

/** A TLS serving certificate signed by `ca`, valid for the given names (default localhost, 127.0.0.1, ::1). */
export async function createServerCertificate(
  ca: CertificateAuthority,
  opts: ServerCertificateOptions = { commonName: 'localhost' },
): Promise<IssuedCertificate> {
  const dnsNames = opts.dnsNames ?? ['localhost']
  const ipAddresses = opts.ipAddresses ?? ['127.0.0.1', '::1']
  return issue(ca, opts, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([
      ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ]),
  ])
}

/** A TLS client certificate signed by `ca` (what kube-apiserver presents with mTLS). */
export async function createClientCertificate(
  ca: CertificateAuthority,
  opts: CertificateOptions = { commonName: 'kube-apiserver' },
): Promise<IssuedCertificate> {
  return issue(ca, opts, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])])
}
