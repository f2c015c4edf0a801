/**
 * github.com/blang/semver/v4 `Parse` and `Version.Compare`, which kube-apiserver's semver
 * library uses, with its exact error texts; and the library's own `normalizeAndParse`
 * (semverlib.go). Not node-semver: blang refuses a `v` prefix and leading or trailing
 * spaces, keeps numbers as uint64, and orders prerelease identifiers its own way.
 */
import { goQuote } from '../../go/quote.js'

const UINT64_MAX = 2n ** 64n - 1n
const NUMBERS = /^[0-9]*$/
const ALPHANUM = /^[A-Za-z0-9-]*$/

/** A prerelease identifier: numeric (compared as a number) or alphanumeric. */
type PreRelease = { readonly num: bigint } | { readonly str: string }

export interface SemverVersion {
  readonly major: bigint
  readonly minor: bigint
  readonly patch: bigint
  readonly pre: readonly PreRelease[]
  readonly build: readonly string[]
}

class SemverError extends Error {}

function hasLeadingZeroes(s: string): boolean {
  return s.length > 1 && s[0] === '0'
}

/** strconv.ParseUint(s, 10, 64) for a string of digits (possibly empty). */
function parseUint(s: string): bigint {
  if (s === '') throw new SemverError(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`)
  const v = BigInt(s)
  if (v > UINT64_MAX)
    throw new SemverError(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`)
  return v
}

/** strings.SplitN(s, sep, n). */
function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = []
  let rest = s
  while (parts.length < n - 1) {
    const at = rest.indexOf(sep)
    if (at < 0) break
    parts.push(rest.slice(0, at))
    rest = rest.slice(at + sep.length)
  }
  parts.push(rest)
  return parts
}

function number(part: string, name: string): bigint {
  if (!NUMBERS.test(part))
    throw new SemverError(`Invalid character(s) found in ${name} number ${goQuote(part)}`)
  if (hasLeadingZeroes(part)) {
    const label = name[0]?.toUpperCase() + name.slice(1)
    throw new SemverError(`${label} number must not contain leading zeroes ${goQuote(part)}`)
  }
  return parseUint(part)
}

function preRelease(s: string): PreRelease {
  if (s === '') throw new SemverError('Prerelease is empty')
  if (NUMBERS.test(s)) {
    if (hasLeadingZeroes(s))
      throw new SemverError(
        `Numeric PreRelease version must not contain leading zeroes ${goQuote(s)}`,
      )
    return { num: parseUint(s) }
  }
  if (ALPHANUM.test(s)) return { str: s }
  throw new SemverError(`Invalid character(s) found in prerelease ${goQuote(s)}`)
}

function parse(s: string): SemverVersion {
  if (s === '') throw new SemverError('Version string empty')
  const parts = splitN(s, '.', 3)
  if (parts.length !== 3) throw new SemverError('No Major.Minor.Patch elements found')
  const [majorPart = '', minorPart = '', rest = ''] = parts
  const major = number(majorPart, 'major')
  const minor = number(minorPart, 'minor')
  let patchPart = rest
  let build: string[] = []
  let pre: string[] = []
  const plus = patchPart.indexOf('+')
  if (plus >= 0) {
    build = patchPart.slice(plus + 1).split('.')
    patchPart = patchPart.slice(0, plus)
  }
  const dash = patchPart.indexOf('-')
  if (dash >= 0) {
    pre = patchPart.slice(dash + 1).split('.')
    patchPart = patchPart.slice(0, dash)
  }
  const patch = number(patchPart, 'patch')
  const preReleases = pre.map(preRelease)
  for (const b of build) {
    if (b === '') throw new SemverError('Build meta data is empty')
    if (!ALPHANUM.test(b))
      throw new SemverError(`Invalid character(s) found in build meta data ${goQuote(b)}`)
  }
  return { major, minor, patch, pre: preReleases, build }
}

/** Go's len() of a string: its UTF-8 byte count. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/**
 * semverlib.go normalizeAndParse: drops one leading `v`, strips leading zeros from each
 * of the first three dot-separated parts, and pads `1` / `1.2` to three parts.
 */
function normalize(s: string): string {
  const parts = splitN(s.startsWith('v') ? s.slice(1) : s, '.', 3).map((p) => {
    if (byteLength(p) <= 1) return p
    const trimmed = p.replace(/^0+/, '')
    return trimmed === '' || !/^[0-9]/.test(trimmed) ? `0${trimmed}` : trimmed
  })
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1] ?? ''))
      throw new SemverError('short version cannot contain PreRelease/Build meta data')
    while (parts.length < 3) parts.push('0')
  }
  return parts.join('.')
}

/** blang Parse (or normalizeAndParse): the version, or blang's error text. */
export function parseSemver(s: string, normalizing: boolean): SemverVersion | string {
  try {
    return parse(normalizing ? normalize(s) : s)
  } catch (err) {
    if (err instanceof SemverError) return err.message
    throw err
  }
}

function compareNumbers(a: bigint, b: bigint): number {
  return a === b ? 0 : a > b ? 1 : -1
}

function comparePre(a: PreRelease, b: PreRelease): number {
  if ('num' in a) return 'num' in b ? compareNumbers(a.num, b.num) : -1
  if ('num' in b) return 1
  return a.str === b.str ? 0 : a.str > b.str ? 1 : -1
}

/** blang Version.Compare: build metadata never counts. */
export function compareSemver(v: SemverVersion, o: SemverVersion): number {
  const byNumber =
    compareNumbers(v.major, o.major) ||
    compareNumbers(v.minor, o.minor) ||
    compareNumbers(v.patch, o.patch)
  if (byNumber !== 0) return byNumber
  if (v.pre.length === 0 && o.pre.length === 0) return 0
  if (v.pre.length === 0) return 1
  if (o.pre.length === 0) return -1
  const n = Math.min(v.pre.length, o.pre.length)
  for (let i = 0; i < n; i++) {
    const c = comparePre(v.pre[i] as PreRelease, o.pre[i] as PreRelease)
    if (c !== 0) return c
  }
  return compareNumbers(BigInt(v.pre.length), BigInt(o.pre.length))
}
