/**
 * Fields kube-apiserver acts on and this webhook cannot: accepted and
 * validated as kube-apiserver does, then without effect, which each warning says.
 */
import type { CompiledConfig } from '../config/compiled.js'
import type { ConfigWarning } from './warning.js'

/** `anonymous`, `jwt[i].issuer.egressSelectorType`: the inert fields present in the file. */
export function inertFieldsOf(config: CompiledConfig, anonymousPresent = false): string[] {
  const paths = anonymousPresent ? ['anonymous'] : []
  for (const entry of config.jwt) {
    if (entry.source.issuer?.egressSelectorType !== undefined)
      paths.push(`jwt[${entry.index}].issuer.egressSelectorType`)
  }
  return paths
}

export function inertFieldWarning(path: string): ConfigWarning | undefined {
  if (path === 'anonymous') {
    return {
      code: 'WARN_ANONYMOUS_NO_EFFECT',
      path,
      why: "configures kube-apiserver's anonymous authenticator (requests without credentials); this webhook only sees the bearer tokens kube-apiserver sends it, never an anonymous request, so the field has no effect here.",
      fix: "set it in kube-apiserver's own --authentication-config if you need it, and remove it from this file.",
    }
  }
  if (/^jwt\[\d+\]\.issuer\.egressSelectorType$/.test(path)) {
    return {
      code: 'WARN_EGRESS_SELECTOR_NO_EFFECT',
      path,
      why: "chooses the egress selector (controlplane or cluster network) kube-apiserver uses to reach this issuer; this webhook reaches issuers through its own pod's network, so the field has no effect here.",
      fix: "remove it, and make sure the webhook's pod can reach the issuer (network policies, proxies, DNS).",
    }
  }
  return undefined
}
