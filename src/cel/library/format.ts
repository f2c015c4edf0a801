/**
 * Kubernetes format library (k8s.io/apiserver/pkg/cel/library/format.go, kube 1.31+):
 * `format.<name>()` for each named format, `format.named(name)` (optional), and
 * `<kubernetes.NamedFormat>.validate(s)`, which is `optional.none()` for a valid string and
 * otherwise the list of apimachinery's messages. Formats compare equal by name.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { Optional } from '@marcbachmann/cel-js'
import type { NamedFormat } from './format-validators.js'
import { NAMED_FORMATS } from './format-validators.js'

/** The runtime value of a CEL `kubernetes.NamedFormat`. */
export class CelNamedFormat {
  constructor(readonly format: NamedFormat) {}
}

class FormatNamespace {}

const CONSTANTS: ReadonlyMap<string, CelNamedFormat> = new Map(
  [...NAMED_FORMATS].map(([key, format]) => [key, new CelNamedFormat(format)]),
)

function validate(f: CelNamedFormat, s: string): Optional {
  const errors = f.format.validate(s)
  return errors.length === 0 ? Optional.none() : Optional.of(errors)
}

/** Registers the format library and the `kubernetes.NamedFormat` type. */
export function registerFormat(env: Environment): void {
  const F = 'kubernetes.NamedFormat'
  env
    .registerType(F, CelNamedFormat)
    .registerType('FormatNamespace', FormatNamespace)
    .registerConstant('format', 'FormatNamespace', new FormatNamespace())
    .registerFunction(
      `FormatNamespace.named(string): optional<${F}>`,
      (_: unknown, name: string) => {
        const f = CONSTANTS.get(name)
        return f === undefined ? Optional.none() : Optional.of(f)
      },
    )
    .registerFunction(`${F}.validate(string): optional<list<string>>`, validate)
    .registerOperator(
      `${F} == ${F}`,
      (a: CelNamedFormat, b: CelNamedFormat) => a.format.name === b.format.name,
    )
  for (const [key, f] of CONSTANTS) env.registerFunction(`FormatNamespace.${key}(): ${F}`, () => f)
}
