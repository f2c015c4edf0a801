/**
 * What TLS file content may be put in force, by kube-apiserver's rules
 * (k8s.io/apiserver/pkg/server/dynamiccertificates): at start and on every
 * reload, a client CA bundle must be non-empty and hold at least one
 * certificate, each of which parses (client-go cert.NewPoolFromBytes); a
 * serving pair must be non-empty, hold a certificate, and a private key that
 * matches it (Go's tls.X509KeyPair). Content that fails is never applied:
 * an empty CA bundle handed to node would make it trust its default roots
 * for client certificates.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import { decodePemBlocks, type PemBlock } from './pem.js'

/** kube-apiserver's name for the client CA provider, `client-ca-bundle::<file>`. */
export function clientCaName(file: string): string {
  return `client-ca-bundle::${file}`
}

/** kube-apiserver's name for the serving pair provider, `serving-cert::<cert>::<key>`. */
export function servingCertName(certFile: string, keyFile: string): string {
  return `serving-cert::${certFile}::${keyFile}`
}

/** Why a client CA bundle cannot be used, or undefined when it can. */
export function clientCaProblem(content: Buffer, name: string): string | undefined {
  if (content.length === 0) return `missing content for CA bundle "${name}"`
  let found = false
  for (const block of decodePemBlocks(content.toString('latin1'))) {
    // client-go ParseCertsPEM: only CERTIFICATE blocks without headers count.
    if (block.type !== 'CERTIFICATE' || block.hasHeaders) continue
    if (!parses(block)) return `error loading CA bundle for "${name}": x509: malformed certificate`
    found = true
  }
  if (!found)
    return `error loading CA bundle for "${name}": data does not contain any valid RSA or ECDSA certificates`
  return undefined
}

/** Why a serving certificate and key cannot be used together, or undefined when they can. */
export function servingPairProblem(cert: Buffer, key: Buffer, name: string): string | undefined {
  if (cert.length === 0 || key.length === 0) return `missing content for serving cert "${name}"`
  const certBlocks = decodePemBlocks(cert.toString('latin1'))
  const chain = certBlocks.filter((b) => b.type === 'CERTIFICATE')
  const leafBlock = chain[0]
  if (leafBlock === undefined) return missingCertificate(certBlocks)
  const keyBlocks = decodePemBlocks(key.toString('latin1'))
  const keyBlock = keyBlocks.find(
    (b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'),
  )
  if (keyBlock === undefined) return missingKey(keyBlocks)
  let leaf: X509Certificate
  try {
    leaf = new X509Certificate(leafBlock.bytes)
  } catch {
    return 'x509: malformed certificate'
  }
  const privateKey = parsePrivateKey(keyBlock.bytes)
  if (privateKey === undefined) return 'tls: failed to parse private key'
  if (!leaf.checkPrivateKey(privateKey)) return 'tls: private key does not match public key'
  try {
    createSecureContext({ cert: cert.toString('latin1'), key: key.toString('latin1') })
  } catch (err) {
    return `tls: ${(err as Error).message}`
  }
  return undefined
}

function parses(block: PemBlock): boolean {
  try {
    new X509Certificate(block.bytes)
    return true
  } catch {
    return false
  }
}

/** Go's tls parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1, whatever the block type says. */
function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type })
    } catch {
      // try the next encoding
    }
  }
  return undefined
}

// Go's tls.X509KeyPair wording for each way the inputs can miss their block.
function missingCertificate(blocks: readonly PemBlock[]): string {
  if (blocks.length === 0) return 'tls: failed to find any PEM data in certificate input'
  if (blocks.some((b) => b.type.endsWith('PRIVATE KEY')))
    return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched'
  return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${blocks.map((b) => b.type).join(' ')}]`
}

function missingKey(blocks: readonly PemBlock[]): string {
  if (blocks.length === 0) return 'tls: failed to find any PEM data in key input'
  if (blocks.some((b) => b.type === 'CERTIFICATE'))
    return 'tls: found a certificate rather than a key in the PEM for the private key'
  return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${blocks.map((b) => b.type).join(' ')}]`
}
