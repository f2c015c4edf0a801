/**
 * The text of the files `dev` writes into its directory: the webhook kubeconfig
 * kube-apiserver would read, the AuthenticationConfiguration for the embedded
 * issuer, and a TokenReview holding the sample token. Pure functions, so the
 * shapes are unit-tested apart from the running services.
 */
import { stringify } from 'yaml'
import { DEV_CLIENT_ID } from './demo-users.js'

/** File names inside the `--dir` directory. */
export const DEV_FILES = {
  kubeconfig: 'webhook-kubeconfig.yaml',
  authenticationConfig: 'authentication-config.yaml',
  ca: 'ca.crt',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
  clientCert: 'client.crt',
  clientKey: 'client.key',
  tokenReview: 'tokenreview.json',
  token: 'token',
} as const

/** Extra key the dev config fills from the `name` claim through CEL. */
export const DEV_EXTRA_KEY = 'example.org/display-name'

/** `host` as it goes into a URL authority (IPv6 literals in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export interface WebhookKubeconfigOptions {
  /** `https://host:port/authenticate`. */
  serverUrl: string
  caPem: string
  /** The client certificate kube-apiserver presents (mTLS); absent: no client credentials. */
  client?: { certPem: string; keyPem: string }
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64')

/**
 * A self-contained kubeconfig: `*-data`
 * fields only, so it works from any directory and can be copied to a node.
 */
export function webhookKubeconfig(opts: WebhookKubeconfigOptions): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kube-oidc-webhook-dev',
        cluster: { server: opts.serverUrl, 'certificate-authority-data': b64(opts.caPem) },
      },
    ],
    users: [
      {
        name: 'kube-apiserver',
        user:
          opts.client === undefined
            ? {}
            : {
                'client-certificate-data': b64(opts.client.certPem),
                'client-key-data': b64(opts.client.keyPem),
              },
      },
    ],
    contexts: [{ name: 'webhook', context: { cluster: 'kube-oidc-webhook-dev', user: 'kube-apiserver' } }],
    'current-context': 'webhook',
  }
  return [
    '# Written by `kube-oidc-webhook dev`: what kube-apiserver reads through',
    '#   --authentication-token-webhook-config-file=<this file>',
    '# The CA, certificates and keys are throwaway ones made for this run.',
    stringify(doc, { lineWidth: 0 }),
  ].join('\n')
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  return text
    .trimEnd()
    .split('\n')
    .map((line) => pad + line)
    .join('\n')
}

/**
 * The AuthenticationConfiguration for the embedded issuer, written as a
 * kube-apiserver operator would write it (comments included): the same file
 * works with `kube-apiserver --authentication-config`.
 */
export function devAuthenticationConfig(opts: { issuerUrl: string; caPem: string }): string {
  return `# Written by \`kube-oidc-webhook dev\` for its embedded OIDC issuer. The webhook
# reloads this file when it changes: edit it and watch the next review.
apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ${opts.issuerUrl}
    # The dev CA that signed the issuer's serving certificate.
    certificateAuthority: |
${indent(opts.caPem, 6)}
    audiences:
    - ${DEV_CLIENT_ID}
  claimMappings:
    # A username claim named "email" also requires email_verified to be true
    # when the token carries it (as in kube-apiserver).
    username:
      claim: email
      prefix: "oidc:"
    groups:
      claim: groups
      prefix: "oidc:"
    uid:
      claim: sub
    extra:
    - key: ${DEV_EXTRA_KEY}
      valueExpression: "claims.?name.orValue('')"
  userValidationRules:
  - expression: "!user.username.startsWith('system:')"
    message: "username cannot use reserved system: prefix"
`
}

/** A TokenReview v1 exactly as kube-apiserver sends one. */
export function tokenReviewJson(token: string): string {
  return `${JSON.stringify(
    {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { token },
      status: { user: {} },
    },
    null,
    2,
  )}\n`
}
