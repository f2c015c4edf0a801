/** Files for an e2e `serve`: CA, serving and client certificates, a config. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createCertificateAuthority,
  createClientCertificate,
  createServerCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../src/dev/certificates.js'

export interface ServeFiles {
  readonly dir: string
  readonly ca: CertificateAuthority
  readonly client: IssuedCertificate
  readonly foreignClient: IssuedCertificate
  readonly certFile: string
  readonly keyFile: string
  readonly clientCaFile: string
  readonly configFile: string
}

/** An issuer nobody serves: the webhook still starts and answers every review. */
export const UNREACHABLE_ISSUER_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://127.0.0.1:1/unreachable
    audiences: [kubernetes]
  claimMappings:
    username: {claim: sub, prefix: "oidc:"}
`

export async function serveFiles(config = UNREACHABLE_ISSUER_CONFIG): Promise<ServeFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-serve-'))
  const ca = await createCertificateAuthority({ commonName: 'e2e CA' })
  const serving = await createServerCertificate(ca)
  const clientCa = await createCertificateAuthority({ commonName: 'e2e client CA' })
  const client = await createClientCertificate(clientCa)
  const foreignClient = await createClientCertificate(
    await createCertificateAuthority({ commonName: 'foreign' }),
  )
  const files = {
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    clientCaFile: join(dir, 'client-ca.crt'),
    configFile: join(dir, 'authentication-config.yaml'),
  }
  await Promise.all([
    writeFile(files.certFile, serving.certPem),
    writeFile(files.keyFile, serving.keyPem, { mode: 0o600 }),
    writeFile(files.clientCaFile, clientCa.certPem),
    writeFile(files.configFile, config),
  ])
  return { dir, ca, client, foreignClient, ...files }
}
