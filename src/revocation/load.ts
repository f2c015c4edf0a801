/**
 * Reading `--revocation-file` at start (`serve`, `check`, `validate`); reloads
 * go through the watcher and {@link parseRevocationList}.
 */
import { readBounded, readErrorMessage, TooLargeError } from '../config/load.js'
import { MAX_REVOCATION_BYTES, parseRevocationList, tooLarge } from './parse.js'
import type { RevocationList } from './revocation-list.js'

export type RevocationLoadResult =
  /** `bytes`: the content the list came from (reload compares against it). */
  { ok: true; list: RevocationList; bytes: Buffer } | { ok: false; errors: readonly string[] }

/** Reads, decodes and validates the list at `path`; never throws for a bad file. */
export async function loadRevocationList(path: string): Promise<RevocationLoadResult> {
  let bytes: Buffer
  try {
    bytes = await readBounded(path, MAX_REVOCATION_BYTES)
  } catch (err) {
    if (err instanceof TooLargeError) return tooLarge(err.size)
    return { ok: false, errors: [readErrorMessage(path, err)] }
  }
  const parsed = parseRevocationList(bytes)
  return parsed.ok ? { ...parsed, bytes } : parsed
}

/** How the commands print a list's errors: each line says which file it is about. */
export function revocationErrorLines(errors: readonly string[]): string[] {
  return errors.map((line) => `revocation list: ${line}`)
}
