/**
 * The key cache on disk: what a save writes, what a load accepts, and the
 * trust-anchor guard that refuses a directory or file another user could have
 * written, or a symbolic link in place of the file.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  checkKeyCacheDir,
  KeyCacheRefused,
  keyCacheDirError,
  loadCachedKeys,
  saveCachedKeys,
  type CachedIssuerKeys,
} from '../../../src/issuer/key-cache.js'

const HASH = `sha256:${'ab'.repeat(32)}`
const FILE = `${'ab'.repeat(32)}.json`
const ENTRY: CachedIssuerKeys = {
  issuerURL: 'https://issuer.example.test',
  discoveryURL: 'https://issuer.example.test/.well-known/openid-configuration',
  discovery:
    '{"issuer":"https://issuer.example.test","jwks_uri":"https://issuer.example.test/jwks"}',
  jwks: '{"keys":[]}',
  savedAt: '2030-01-01T00:00:00.000Z',
}

let root: string
let dir: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'key-cache-unit-'))
  dir = join(root, 'cache')
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('saveCachedKeys and loadCachedKeys', () => {
  it('round-trips an entry through one file per issuer, mode 0600, in a directory made 0700', async () => {
    await saveCachedKeys(dir, HASH, ENTRY)
    expect(await loadCachedKeys(dir, HASH)).toEqual(ENTRY)
    expect(await readdir(dir)).toEqual([FILE])
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, FILE))).mode & 0o777).toBe(0o600)
  })

  it('replaces an older entry in place', async () => {
    await saveCachedKeys(dir, HASH, ENTRY)
    await saveCachedKeys(dir, HASH, { ...ENTRY, savedAt: '2030-01-02T00:00:00.000Z' })
    expect((await loadCachedKeys(dir, HASH))?.savedAt).toBe('2030-01-02T00:00:00.000Z')
    expect(await readdir(dir)).toEqual([FILE])
  })

  it('has nothing for an issuer never saved', async () => {
    await saveCachedKeys(dir, HASH, ENTRY)
    expect(await loadCachedKeys(dir, `sha256:${'cd'.repeat(32)}`)).toBeUndefined()
  })

  it.each([
    ['not JSON', '{nope'],
    ['not an object', '"text"'],
    ['a field missing', JSON.stringify({ ...ENTRY, jwks: undefined })],
    ['a field of the wrong type', JSON.stringify({ ...ENTRY, savedAt: 5 })],
  ])('ignores a file that is %s', async (_name, text) => {
    await mkdir(dir, { mode: 0o700 })
    await writeFile(join(dir, FILE), text, { mode: 0o600 })
    expect(await loadCachedKeys(dir, HASH)).toBeUndefined()
  })

  it('ignores a file over 4 MiB without reading it', async () => {
    await mkdir(dir, { mode: 0o700 })
    await writeFile(join(dir, FILE), 'x'.repeat(4 * 1024 * 1024 + 1), { mode: 0o600 })
    expect(await loadCachedKeys(dir, HASH)).toBeUndefined()
  })
})

describe('the trust-anchor guard', () => {
  it('refuses a directory others can write, and names the fix', async () => {
    await mkdir(dir)
    await chmod(dir, 0o777)
    const refused = loadCachedKeys(dir, HASH)
    await expect(refused).rejects.toThrow(KeyCacheRefused)
    await expect(saveCachedKeys(dir, HASH, ENTRY)).rejects.toThrow(
      `${dir} is writable by group or others (mode 0777); allow only its owner to write (chmod go-w ${dir})`,
    )
  })

  it('refuses a group-writable cache file', async () => {
    await saveCachedKeys(dir, HASH, ENTRY)
    const path = join(dir, FILE)
    await chmod(path, 0o660)
    await expect(loadCachedKeys(dir, HASH)).rejects.toThrow(
      `${path} is writable by group or others (mode 0660); allow only its owner to write (chmod go-w ${path})`,
    )
  })

  it('refuses a symbolic link in place of the cache file', async () => {
    await mkdir(dir, { mode: 0o700 })
    await writeFile(join(root, 'elsewhere.json'), JSON.stringify(ENTRY), { mode: 0o600 })
    await symlink(join(root, 'elsewhere.json'), join(dir, FILE))
    await expect(loadCachedKeys(dir, HASH)).rejects.toThrow(`${join(dir, FILE)} is a symbolic link`)
  })

  it('refuses a path that is not a directory', async () => {
    await writeFile(dir, 'a file')
    await expect(checkKeyCacheDir(dir)).rejects.toThrow(`${dir} is not a directory`)
    expect(await keyCacheDirError(dir)).toBe(`--key-cache-dir: ${dir} is not a directory`)
  })

  it('accepts a missing directory by creating it', async () => {
    expect(await keyCacheDirError(dir)).toBeUndefined()
    expect((await stat(dir)).isDirectory()).toBe(true)
  })
})
