/**
 * The Kubernetes release whose kube-apiserver this webhook reproduces: its
 * AuthenticationConfiguration validation, its JWT authenticator and the
 * libraries it vendors. Changing it is a decision: the README, the version
 * notes (docs/background/kubernetes-versions.md) and the parity tables follow it.
 */
export const TARGET_KUBERNETES_VERSION = '1.37'

/** What that release vendors for token verification. */
export const TARGET_GO_OIDC_VERSION = 'v2.5.0'
export const TARGET_GO_JOSE_VERSION = 'v2.6.3'
