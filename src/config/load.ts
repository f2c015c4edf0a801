/**
 * Reading an AuthenticationConfiguration file into a CompiledConfig: what
 * `serve`, reload, `validate` and `check` all go through, so each accepts and
 * rejects exactly the same files (kube-apiserver: loadAuthenticationConfig, then
 * ValidateAuthenticationConfiguration).
 */
import { open } from 'node:fs/promises'
import type { CompiledConfig } from './compiled.js'
import { compileAuthenticationConfiguration, sha256, type CompileOptions } from './compile.js'
import { goQuote } from '../go/quote.js'
import { decodeAuthenticationConfiguration } from './decode.js'

/**
 * Largest accepted file. kube-apiserver sets no limit; 64 issuers with a few CA
 * certificates each stay far below this, and the bound keeps a wrong path (a log,
 * a device) from being read into memory whole.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024

/**
 * `errors` are printable lines, in kube-apiserver's order: field errors read
 * `<path>: <type>[: <value>][: <detail>]`. `stage` says which step refused the
 * file: reading it, decoding it, or validating the decoded configuration.
 */
export type ConfigResult =
  /** `bytes`: the file content the config came from (reload compares against it). */
  | { ok: true; config: CompiledConfig; bytes: Buffer }
  | { ok: false; errors: readonly string[]; stage: 'read' | 'decode' | 'validate' }

/** {@link parseAuthenticationConfigBytes} of the UTF-8 encoding of `text` (for callers holding text, such as tests). */
export function parseAuthenticationConfig(text: string, options?: CompileOptions): ConfigResult {
  return parseAuthenticationConfigBytes(Buffer.from(text, 'utf8'), options)
}

/**
 * Decodes, validates and compiles file content: the one path
 * from bytes to a compiled config that start-up, reload, `validate` and
 * `check` all take; the hash is over these bytes as read.
 */
export function parseAuthenticationConfigBytes(
  bytes: Buffer,
  options?: CompileOptions,
): ConfigResult {
  if (bytes.length > MAX_CONFIG_BYTES) return tooLarge(bytes.length)
  const result = fromBytes(bytes, sha256(bytes), options)
  return result.ok ? { ...result, bytes } : result
}

/** Reads, decodes, validates and compiles the file at `path`; never throws for a bad file. */
export async function loadAuthenticationConfig(
  path: string,
  options?: CompileOptions,
): Promise<ConfigResult> {
  let bytes: Buffer
  try {
    bytes = await readBounded(path, MAX_CONFIG_BYTES)
  } catch (err) {
    if (err instanceof TooLargeError) return tooLarge(err.size)
    return { ok: false, stage: 'read', errors: [readErrorMessage(path, err)] }
  }
  return parseAuthenticationConfigBytes(bytes, options)
}

/**
 * The list of problems the `validate` command prints, one per line; empty when
 * the file is valid.
 */
export async function validateAuthenticationConfigFile(path: string): Promise<readonly string[]> {
  const result = await loadAuthenticationConfig(path)
  return result.ok ? [] : result.errors
}

/**
 * The lines `validate`, `check` and `serve` print for a refused file: a read or
 * decode error wrapped as kube-apiserver wraps its loader's error
 * (`failed to load authentication configuration from file "<path>": ...`),
 * validation errors one per line with their field paths.
 */
export function configErrorLines(
  path: string,
  result: Extract<ConfigResult, { ok: false }>,
): readonly string[] {
  if (result.stage === 'validate') return result.errors
  return result.errors.map(
    (error) => `failed to load authentication configuration from file ${goQuote(path)}: ${error}`,
  )
}

function fromBytes(
  bytes: Buffer,
  hash: string,
  options: CompileOptions | undefined,
): { ok: true; config: CompiledConfig } | Extract<ConfigResult, { ok: false }> {
  const decoded = decodeAuthenticationConfiguration(bytes)
  if (!decoded.ok) return { ok: false, stage: 'decode', errors: decoded.errors }
  const compiled = compileAuthenticationConfiguration(decoded.config, hash, options)
  if (compiled.ok) return compiled
  // utilerrors.Aggregate prints each distinct message once.
  return { ok: false, stage: 'validate', errors: [...new Set(compiled.errors.map(String))] }
}

function tooLarge(size: number): ConfigResult {
  return {
    ok: false,
    stage: 'read',
    errors: [
      `config data is ${size} bytes, more than the ${MAX_CONFIG_BYTES}-byte limit of this webhook`,
    ],
  }
}

/** Thrown by {@link readBounded} for a file above its limit; `size` is what was seen. */
export class TooLargeError extends Error {
  constructor(readonly size: number) {
    super('config file too large')
  }
}

/** Reads a whole file of at most `maxBytes`; throws {@link TooLargeError} above it. */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const stat = await handle.stat()
    if (stat.isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'read' })
    if (stat.size > maxBytes) throw new TooLargeError(stat.size)
    // Read one byte past the limit: special files report size 0 yet can stream on.
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > maxBytes) throw new TooLargeError(length)
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
}

/** Go's *fs.PathError text (`open /etc/x.yaml: no such file or directory`), as os.ReadFile reports it. */
export function readErrorMessage(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const op = e.syscall === 'read' ? 'read' : 'open'
  const text = (e.code !== undefined ? GO_ERRNO_TEXT[e.code] : undefined) ?? e.message
  return `${op} ${path}: ${text}`
}
