/**
 * Optional persistence of each issuer's last good discovery document and JWKS,
 * so a restart during an IdP outage can still verify (`--key-cache-dir`).
 * One JSON file per issuer, named by the issuer hash, written atomically.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface CachedIssuerKeys {
  readonly issuerURL: string
  readonly discoveryURL: string
  readonly discovery: string
  readonly jwks: string
  readonly savedAt: string
}

function fileFor(dir: string, issuerHash: string): string {
  return join(dir, `${issuerHash.replace(/^sha256:/, '')}.json`)
}

export async function loadCachedKeys(
  dir: string,
  issuerHash: string,
): Promise<CachedIssuerKeys | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(fileFor(dir, issuerHash), 'utf8'))
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const r = parsed as Record<string, unknown>
    if (
      typeof r.issuerURL !== 'string' ||
      typeof r.discoveryURL !== 'string' ||
      typeof r.discovery !== 'string' ||
      typeof r.jwks !== 'string' ||
      typeof r.savedAt !== 'string'
    ) {
      return undefined
    }
    return {
      issuerURL: r.issuerURL,
      discoveryURL: r.discoveryURL,
      discovery: r.discovery,
      jwks: r.jwks,
      savedAt: r.savedAt,
    }
  } catch {
    return undefined
  }
}

export async function saveCachedKeys(
  dir: string,
  issuerHash: string,
  entry: CachedIssuerKeys,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const target = fileFor(dir, issuerHash)
  const temp = `${target}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(entry), { mode: 0o600 })
  await rename(temp, target)
}
