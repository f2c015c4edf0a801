/**
 * The runtime half of optional elements in literals (see ../optional-elements.ts):
 * `k8s_optionalElement` unwraps an optional element, or marks it absent. A `dyn` element
 * that turns out not to be optional is cel-go's evaluation error (which also prints the
 * value; left out here, as it is usually a claim).
 */
import type { Environment } from '@marcbachmann/cel-js'
import { Optional } from '@marcbachmann/cel-js'
import { ABSENT, OPTIONAL_ELEMENT, OPTIONAL_ENTRY } from '../optional-elements.js'

function unwrapper(what: string): (value: unknown) => unknown {
  return (value) => {
    if (!(value instanceof Optional))
      throw new Error(`cannot initialize optional ${what} from non-optional value`)
    return value.hasValue() ? value.value() : ABSENT
  }
}

/** Registers `k8s_optionalElement` / `k8s_optionalEntry`: `(optional(T)): T` (a `dyn` argument checks too). */
export function registerOptionalElements(env: Environment): void {
  for (const [name, what] of [
    [OPTIONAL_ELEMENT, 'list element'],
    [OPTIONAL_ENTRY, 'entry'],
  ] as const) {
    const unwrap = unwrapper(what)
    env.registerFunction(`${name}(optional<A>): A`, unwrap)
  }
}
