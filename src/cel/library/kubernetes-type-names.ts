/**
 * `kubernetes.URL`, `kubernetes.Quantity`, `kubernetes.Semver` and `kubernetes.NamedFormat`
 * as type values (`type(quantity('1')) == kubernetes.Quantity`): cel-go resolves the
 * libraries' registered type names as identifiers; cel-js needs a `kubernetes` constant,
 * as `net.IP` does (see ip.ts). Each type value is the environment's own, looked up on
 * first use.
 */
import type { Environment } from '@marcbachmann/cel-js'

const SAMPLES = {
  URL: 'type(url("/"))',
  Quantity: 'type(quantity("0"))',
  Semver: 'type(semver("0.0.0"))',
  NamedFormat: 'type(format.uri())',
} as const

/** Registers the `kubernetes` namespace of library type names. */
export function registerKubernetesTypeNames(env: Environment): void {
  const cache = new Map<string, unknown>()
  const lookup = (name: keyof typeof SAMPLES): unknown => {
    if (!cache.has(name)) cache.set(name, env.evaluate(SAMPLES[name]))
    return cache.get(name)
  }
  class KubernetesNamespace {
    get URL(): unknown {
      return lookup('URL')
    }
    get Quantity(): unknown {
      return lookup('Quantity')
    }
    get Semver(): unknown {
      return lookup('Semver')
    }
    get NamedFormat(): unknown {
      return lookup('NamedFormat')
    }
  }
  env
    .registerType('KubernetesNamespace', {
      ctor: KubernetesNamespace,
      fields: { URL: 'type', Quantity: 'type', Semver: 'type', NamedFormat: 'type' },
    })
    .registerConstant('kubernetes', 'KubernetesNamespace', new KubernetesNamespace())
}
