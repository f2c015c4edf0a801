import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  createCertificateAuthority,
  createServerCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../../src/dev/certificates.js'
import { decodePemBlocks } from '../../../src/http/pem.js'
import { clientCaProblem, servingPairProblem } from '../../../src/http/tls-material.js'

const NAME = 'client-ca-bundle::/etc/ca.crt'
const PAIR = 'serving-cert::/etc/tls.crt::/etc/tls.key'
const GARBAGE = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
const NO_CERTS = `error loading CA bundle for "${NAME}": data does not contain any valid RSA or ECDSA certificates`

let ca: CertificateAuthority
let pair: IssuedCertificate
let other: IssuedCertificate
beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'material CA' })
  pair = await createServerCertificate(ca)
  other = await createServerCertificate(ca)
})

describe('decodePemBlocks (Go encoding/pem)', () => {
  it.each([
    { name: 'no PEM', text: 'hello', want: [] },
    { name: 'bad base64 is skipped', text: '-----BEGIN X-----\n!!!!\n-----END X-----\n', want: [] },
    {
      name: 'headers are noticed and skipped',
      text: '-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END X-----\n',
      want: [{ type: 'X', hasHeaders: true, bytes: Buffer.from([0, 0, 0]) }],
    },
    {
      name: 'text around blocks and CRLF line ends',
      text: 'subject=x\r\n-----BEGIN A-----\r\nAQ==\r\n-----END A-----\r\nbetween\n-----BEGIN B-----\nAg==\n-----END B-----',
      want: [
        { type: 'A', hasHeaders: false, bytes: Buffer.from([1]) },
        { type: 'B', hasHeaders: false, bytes: Buffer.from([2]) },
      ],
    },
    { name: 'END of another type', text: '-----BEGIN A-----\nAQ==\n-----END B-----\n', want: [] },
  ])('$name', ({ text, want }) => {
    expect(decodePemBlocks(text)).toEqual(want)
  })
})

describe('clientCaProblem (client-go NewPoolFromBytes)', () => {
  it.each([
    { name: 'empty', content: () => '', want: `missing content for CA bundle "${NAME}"` },
    { name: 'whitespace only', content: () => '\n', want: NO_CERTS },
    { name: 'a key only', content: () => pair.keyPem, want: NO_CERTS },
    {
      name: 'one good certificate and one that does not parse',
      content: () => `${ca.certPem}\n${GARBAGE}`,
      want: `error loading CA bundle for "${NAME}": x509: malformed certificate`,
    },
    {
      name: 'a certificate block with headers does not count',
      content: () =>
        ca.certPem.replace(
          '-----BEGIN CERTIFICATE-----\n',
          '-----BEGIN CERTIFICATE-----\nA: b\n\n',
        ),
      want: NO_CERTS,
    },
    { name: 'a CA certificate', content: () => ca.certPem, want: undefined },
    {
      name: 'a certificate next to a key and text',
      content: () => `issuer: me\n${pair.keyPem}\n${ca.certPem}`,
      want: undefined,
    },
  ])('$name', ({ content, want }) => {
    expect(clientCaProblem(Buffer.from(content()), NAME)).toBe(want)
  })
})

describe("servingPairProblem (Go's tls.X509KeyPair)", () => {
  it.each([
    {
      name: 'empty certificate',
      cert: () => '',
      key: () => pair.keyPem,
      want: `missing content for serving cert "${PAIR}"`,
    },
    {
      name: 'empty key',
      cert: () => pair.certPem,
      key: () => '',
      want: `missing content for serving cert "${PAIR}"`,
    },
    {
      name: 'no PEM in the certificate',
      cert: () => 'x',
      key: () => pair.keyPem,
      want: 'tls: failed to find any PEM data in certificate input',
    },
    {
      name: 'no PEM in the key',
      cert: () => pair.certPem,
      key: () => 'x',
      want: 'tls: failed to find any PEM data in key input',
    },
    {
      name: 'a certificate where the key belongs',
      cert: () => pair.certPem,
      key: () => pair.certPem,
      want: 'tls: found a certificate rather than a key in the PEM for the private key',
    },
    {
      name: 'a certificate that does not parse',
      cert: () => GARBAGE,
      key: () => pair.keyPem,
      want: 'x509: malformed certificate',
    },
    {
      name: 'a key that does not match',
      cert: () => pair.certPem,
      key: () => other.keyPem,
      want: 'tls: private key does not match public key',
    },
    {
      name: 'a key block that does not parse',
      cert: () => pair.certPem,
      key: () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      want: 'tls: failed to parse private key',
    },
    { name: 'a matching pair', cert: () => pair.certPem, key: () => pair.keyPem, want: undefined },
    {
      name: 'a matching pair with its chain',
      cert: () => `${pair.certPem}\n${ca.certPem}`,
      key: () => pair.keyPem,
      want: undefined,
    },
  ])('$name', ({ cert, key, want }) => {
    expect(servingPairProblem(Buffer.from(cert()), Buffer.from(key()), PAIR)).toBe(want)
  })
})
