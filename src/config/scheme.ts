/**
 * The scheme kube-apiserver decodes `--authentication-config` with
 * (k8s.io/apiserver pkg/apis/apiserver/install): every kind of the
 * apiserver.config.k8s.io and apiserver.k8s.io groups. A file of another of
 * these kinds decodes (strictly) and is then refused by kind; a kind outside
 * them is "not registered", in a message naming the scheme as Go names it: the
 * source line that created it.
 */
import { goQuote } from '../go/quote.js'
import type { OtherKind, Scheme } from './decode.js'
import { list, str, struct, type Shape } from './shape.js'

/**
 * runtime.NewScheme() names a scheme after its caller's file and line, and
 * kube-apiserver's release builds trim the source root from the file. The
 * line: `cfgScheme = runtime.NewScheme()` sits at line 879 of the 1.36 source,
 * less the seven lines of StructuredAuthenticationConfiguration gate code
 * (import, flag help, check) that 1.37 removed with the gate.
 */
export const AUTHENTICATION_SCHEME_NAME = 'pkg/kubeapiserver/options/authentication.go:872'

const CONFIG = 'apiserver.config.k8s.io'
const LEGACY = 'apiserver.k8s.io'
const any: Shape = { t: 'any' }

// Top-level fields only: what lies below them is decoded without checks here.
const topLevel = (name: string, fields: Record<string, Shape>): Shape =>
  struct(name, { apiVersion: str, kind: str, ...fields })

const other = (
  kind: string,
  apiVersions: readonly string[],
  fields: Record<string, Shape>,
  goStruct = kind,
): OtherKind => ({
  kind,
  apiVersions,
  goType: `*apiserver.${goStruct}`,
  shape: topLevel(goStruct, fields),
})

const OTHER_KINDS: readonly OtherKind[] = [
  other('AuthorizationConfiguration', [`${CONFIG}/v1`, `${CONFIG}/v1beta1`, `${CONFIG}/v1alpha1`], {
    authorizers: list(any, '[]%.AuthorizerConfiguration'),
  }),
  other('AdmissionConfiguration', [`${CONFIG}/v1`, `${LEGACY}/v1alpha1`], {
    plugins: list(any, '[]%.AdmissionPluginConfiguration'),
  }),
  other('EncryptionConfiguration', [`${CONFIG}/v1`], {
    resources: list(any, '[]%.ResourceConfiguration'),
  }),
  other(
    'EncryptionConfig',
    ['v1'],
    { resources: list(any, '[]%.ResourceConfiguration') },
    'EncryptionConfiguration',
  ),
  other('TracingConfiguration', [`${CONFIG}/v1`, `${CONFIG}/v1beta1`, `${CONFIG}/v1alpha1`], {
    endpoint: str,
    samplingRatePerMillion: any,
  }),
  other('EgressSelectorConfiguration', [`${LEGACY}/v1beta1`, `${LEGACY}/v1alpha1`], {
    egressSelections: list(any, '[]%.EgressSelection'),
  }),
]

export const AUTHENTICATION_SCHEME: Scheme = {
  otherKinds: OTHER_KINDS,
  notRegistered: (kind, groupVersion) =>
    `no kind ${goQuote(kind)} is registered for version ${goQuote(groupVersion)} in scheme ${goQuote(AUTHENTICATION_SCHEME_NAME)}`,
}
