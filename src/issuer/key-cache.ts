/**
 * Optional persistence of each issuer's last good discovery document and JWKS,
 * so a restart during an IdP outage can still verify (`--key-cache-dir`).
 * One JSON file per issuer, named by the issuer hash.
 *
 * The files are a trust anchor: whoever can write one chooses the keys an
 * issuer's tokens verify with after a restart. So, as OpenSSH's StrictModes
 * treats `~/.ssh`, the directory and every file read from it must belong to
 * this process's user and be writable by nobody else; anything else is
 * refused, never read. New files are written under an unpredictable temporary
 * name, created exclusively without following symlinks, then renamed into
 * place, so no other user can pre-place or redirect them.
 */
import { randomBytes } from 'node:crypto'
import { constants, type Stats } from 'node:fs'
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'

export interface CachedIssuerKeys {
  readonly issuerURL: string
  readonly discoveryURL: string
  readonly discovery: string
  readonly jwks: string
  readonly savedAt: string
}

/** A key cache directory or file that another user could have written. */
export class KeyCacheRefused extends Error {
  override readonly name = 'KeyCacheRefused'
  readonly code = 'ERR_KEY_CACHE_UNSAFE'
}

/** Bound on one cache file: a discovery document and a JWKS, each fetched under 1 MiB. */
const MAX_FILE_BYTES = 4 * 1024 * 1024

function fileFor(dir: string, issuerHash: string): string {
  return join(dir, `${issuerHash.replace(/^sha256:/, '')}.json`)
}

function mode(st: Stats): string {
  return (st.mode & 0o7777).toString(8).padStart(4, '0')
}

/** Why `st` may not be trusted, or undefined. */
function unsafe(path: string, st: Stats): string | undefined {
  const uid = process.getuid?.()
  if (uid !== undefined && st.uid !== uid)
    return `${path} is owned by uid ${st.uid}, not by the user of this process (uid ${uid})`
  if ((st.mode & 0o022) !== 0)
    return `${path} is writable by group or others (mode ${mode(st)}); allow only its owner to write (chmod go-w ${path})`
  return undefined
}

/**
 * Checks the directory (creating it, mode 0700, when missing): a directory
 * owned by this user that nobody else can write. Throws KeyCacheRefused
 * otherwise, and the error of mkdir when it cannot be created.
 */
export async function checkKeyCacheDir(dir: string): Promise<void> {
  let st: Stats
  try {
    st = await stat(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    await mkdir(dir, { recursive: true, mode: 0o700 })
    st = await stat(dir)
  }
  if (!st.isDirectory()) throw new KeyCacheRefused(`${dir} is not a directory`)
  const problem = unsafe(dir, st)
  if (problem !== undefined) throw new KeyCacheRefused(problem)
}

/**
 * The cached entry of an issuer; undefined when there is none or it does not
 * parse. Throws KeyCacheRefused for a directory or file another user could
 * have written (or a symlink in place of the file).
 */
export async function loadCachedKeys(
  dir: string,
  issuerHash: string,
): Promise<CachedIssuerKeys | undefined> {
  await checkKeyCacheDir(dir)
  const path = fileFor(dir, issuerHash)
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ELOOP') throw new KeyCacheRefused(`${path} is a symbolic link`)
    throw err
  }
  let text: string
  try {
    const st = await handle.stat()
    if (!st.isFile()) throw new KeyCacheRefused(`${path} is not a regular file`)
    const problem = unsafe(path, st)
    if (problem !== undefined) throw new KeyCacheRefused(problem)
    if (st.size > MAX_FILE_BYTES) return undefined
    text = (await handle.readFile()).toString('utf8')
  } finally {
    await handle.close()
  }
  return parseEntry(text)
}

function parseEntry(text: string): CachedIssuerKeys | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
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
}

/** Writes an issuer's entry: unpredictable temporary name, exclusive create, no symlinks, rename. */
export async function saveCachedKeys(
  dir: string,
  issuerHash: string,
  entry: CachedIssuerKeys,
): Promise<void> {
  await checkKeyCacheDir(dir)
  const target = fileFor(dir, issuerHash)
  const temp = join(dir, `.${randomBytes(16).toString('hex')}.tmp`)
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  )
  try {
    try {
      await handle.writeFile(JSON.stringify(entry))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
}

/** The start-up check of `--key-cache-dir`: undefined when usable, else the line to print. */
export async function keyCacheDirError(dir: string): Promise<string | undefined> {
  try {
    await checkKeyCacheDir(dir)
    return undefined
  } catch (err) {
    return `--key-cache-dir: ${(err as Error).message}`
  }
}
