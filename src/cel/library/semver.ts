/**
 * Kubernetes semver library, version 1 (k8s.io/apiserver/pkg/cel/library/semverlib.go,
 * kube 1.33+): `semver(s)`, `semver(s, normalize)`, `isSemver(s)`, `isSemver(s, normalize)`,
 * and the `kubernetes.Semver` members `major`, `minor`, `patch`, `isGreaterThan`,
 * `isLessThan`, `compareTo`; `==` compares like blang's `EQ` (build metadata ignored).
 */
import type { Environment } from '@marcbachmann/cel-js'
import type { SemverVersion } from './semver-version.js'
import { compareSemver, parseSemver } from './semver-version.js'

/** The runtime value of a CEL `kubernetes.Semver`. */
export class CelSemver {
  constructor(readonly version: SemverVersion) {}
}

function toSemver(s: string, normalize: boolean): CelSemver {
  const parsed = parseSemver(s, normalize)
  if (typeof parsed === 'string') throw new Error(parsed)
  return new CelSemver(parsed)
}

const isSemver = (s: string, normalize: boolean): boolean =>
  typeof parseSemver(s, normalize) !== 'string'

const compare = (a: CelSemver, b: CelSemver): number => compareSemver(a.version, b.version)

// types.Int(v.Major) converts Go's uint64 to int64, wrapping above 2^63 - 1.
const asInt = (v: bigint): bigint => BigInt.asIntN(64, v)

/** Registers the semver library and the `kubernetes.Semver` type. */
export function registerSemver(env: Environment): void {
  const S = 'kubernetes.Semver'
  env
    .registerType(S, CelSemver)
    .registerFunction(`semver(string): ${S}`, (s: string) => toSemver(s, false))
    .registerFunction(`semver(string, bool): ${S}`, toSemver)
    .registerFunction('isSemver(string): bool', (s: string) => isSemver(s, false))
    .registerFunction('isSemver(string, bool): bool', isSemver)
    .registerFunction(`${S}.major(): int`, (v: CelSemver) => asInt(v.version.major))
    .registerFunction(`${S}.minor(): int`, (v: CelSemver) => asInt(v.version.minor))
    .registerFunction(`${S}.patch(): int`, (v: CelSemver) => asInt(v.version.patch))
    .registerFunction(
      `${S}.isGreaterThan(${S}): bool`,
      (a: CelSemver, b: CelSemver) => compare(a, b) === 1,
    )
    .registerFunction(
      `${S}.isLessThan(${S}): bool`,
      (a: CelSemver, b: CelSemver) => compare(a, b) === -1,
    )
    .registerFunction(`${S}.compareTo(${S}): int`, (a: CelSemver, b: CelSemver) =>
      BigInt(compare(a, b)),
    )
    .registerOperator(`${S} == ${S}`, (a: CelSemver, b: CelSemver) => compare(a, b) === 0)
}
