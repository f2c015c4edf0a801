/**
 * client-go's cert.NewPoolFromBytes / ParseCertsPEM as kube-apiserver applies it
 * to `issuer.certificateAuthority`: every `CERTIFICATE` PEM block without headers
 * must parse, and at least one must be present.
 */
import { X509Certificate } from 'node:crypto'

/** Returns `undefined` when the bundle is usable, else Go's error text. */
export function checkCertificateAuthority(pem: string): string | undefined {
  let found = false
  for (const block of pemBlocks(pem)) {
    if (block.type !== 'CERTIFICATE' || block.hasHeaders) continue
    try {
      new X509Certificate(block.der)
    } catch {
      // Go's x509 parser names the exact defect; node's does not, so the generic text stands in.
      return 'x509: malformed certificate'
    }
    found = true
  }
  return found ? undefined : 'data does not contain any valid RSA or ECDSA certificates'
}

interface PemBlock {
  type: string
  hasHeaders: boolean
  der: Buffer
}

// Go's encoding/pem.Decode: a BEGIN line at a line start, optional headers, base64 body, matching END.
const BLOCK = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g

function* pemBlocks(text: string): Generator<PemBlock> {
  for (const match of text.matchAll(BLOCK)) {
    const type = match[1] ?? ''
    const lines = (match[2] ?? '').split(/\r?\n/)
    let hasHeaders = false
    let i = 0
    while (i < lines.length && (lines[i] ?? '').includes(':')) {
      hasHeaders = true
      i++
    }
    if (hasHeaders && (lines[i] ?? '').trim() === '') i++
    const body = lines
      .slice(i)
      .join('')
      .replace(/[ \t\r]/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) continue
    yield { type, hasHeaders, der: Buffer.from(body, 'base64') }
  }
}
