import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Repository-relative path -> absolute path. */
export function repoPath(path: string): string {
  return join(repoRoot, path)
}

/** A parsed YAML document, with the file it came from. */
export interface YamlDoc {
  readonly file: string
  readonly index: number
  readonly value: unknown
}

/** Reads a repository file as UTF-8. */
export function readRepoFile(path: string): string {
  return readFileSync(repoPath(path), 'utf8')
}

/**
 * Parses every document of a YAML file, failing on any YAML error or warning
 * (duplicate keys included, as Kubernetes' strict decoders do).
 */
export function parseYamlFile(path: string): YamlDoc[] {
  const docs = parseAllDocuments(readRepoFile(path), { uniqueKeys: true })
  const parsed: YamlDoc[] = []
  docs.forEach((doc, index) => {
    const problems = [...doc.errors, ...doc.warnings].map((e) => e.message)
    if (problems.length > 0) throw new Error(`${path} document ${index}: ${problems.join('; ')}`)
    const value: unknown = doc.toJS()
    if (value !== null && value !== undefined) parsed.push({ file: path, index, value })
  })
  return parsed
}

/** Parses a YAML string holding exactly one document. */
export function parseYamlString(text: string, what: string): unknown {
  const docs = parseAllDocuments(text, { uniqueKeys: true })
  if (docs.length !== 1) throw new Error(`${what}: expected one YAML document, got ${docs.length}`)
  const [doc] = docs
  if (doc === undefined) throw new Error(`${what}: no document`)
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message)
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`)
  return doc.toJS() as unknown
}

/** Repository-relative paths of the files under `dir` whose names end in one of `exts`. */
export function listRepoFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = []
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const child = join(abs, entry.name)
      if (entry.isDirectory()) walk(child)
      else if (exts.some((ext) => entry.name.endsWith(ext))) out.push(relative(repoRoot, child))
    }
  }
  walk(repoPath(dir))
  return out.sort()
}

/** Narrows to a plain object, or throws naming `what`. */
export function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what}: expected an object, got ${JSON.stringify(value)}`)
  }
  return value as Record<string, unknown>
}

/** Narrows to an array, or throws naming `what`. */
export function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value))
    throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`)
  return value
}

/** Follows a path of keys and indexes through parsed YAML, throwing where it breaks. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value
  const walked: (string | number)[] = []
  for (const key of path) {
    walked.push(key)
    if (typeof key === 'number') cur = arr(cur, walked.join('.'))[key]
    else cur = obj(cur, walked.slice(0, -1).join('.') || '<root>')[key]
  }
  return cur
}
