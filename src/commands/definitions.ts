/**
 * The commands and their flags: the single source for parsing and for
 * `--help`.
 */
import type { CommandDef, FlagDef } from '../flags/flags.js'

const authenticationConfig: FlagDef = {
  name: 'authentication-config',
  kind: 'path',
  required: true,
  description:
    'File with an AuthenticationConfiguration (YAML or JSON, apiserver.config.k8s.io/v1, v1beta1 or v1alpha1)',
}

const logLevel: FlagDef = {
  name: 'log-level',
  kind: 'log-level',
  default: 'info',
  description: 'Log level: debug, info, warn, error (logs are JSON lines on stderr)',
}

const keyCacheDir: FlagDef = {
  name: 'key-cache-dir',
  kind: 'path',
  description:
    "Directory keeping each issuer's last good discovery document and JWKS, so a restart during an IdP outage still verifies",
}

const revocationFile: FlagDef = {
  name: 'revocation-file',
  kind: 'path',
  description:
    'File with a RevocationList (YAML or JSON, kube-oidc-webhook/v1alpha1) refusing the tokens it names',
}

const serviceAccountIssuer: FlagDef = {
  name: 'service-account-issuer',
  kind: 'string',
  repeatable: true,
  description:
    "kube-apiserver's --service-account-issuer values: a jwt issuer url equal to one is refused, as kube-apiserver refuses it; repeat the flag or separate values with commas",
}

export const SERVE: CommandDef = {
  name: 'serve',
  summary: 'Run the TokenReview webhook',
  usage:
    'kube-oidc-webhook serve --authentication-config FILE --tls-cert-file FILE --tls-private-key-file FILE [flags]',
  flags: [
    {
      ...authenticationConfig,
      description: `${authenticationConfig.description}; reloaded when the file changes (a bad new file is refused, the old one stays in force)`,
    },
    {
      name: 'bind-address',
      kind: 'string',
      default: '0.0.0.0',
      description: 'Address of the secure port',
    },
    {
      name: 'secure-port',
      kind: 'port',
      default: '8443',
      description: 'HTTPS port of the webhook',
    },
    {
      name: 'tls-cert-file',
      kind: 'path',
      required: true,
      description: 'Serving certificate (PEM, with the chain); reloaded when it changes',
    },
    {
      name: 'tls-private-key-file',
      kind: 'path',
      required: true,
      description: 'Private key of the serving certificate (PEM); reloaded when it changes',
    },
    {
      name: 'client-ca-file',
      kind: 'path',
      description:
        'When set, callers must present a client certificate signed by a CA in this PEM file',
    },
    {
      name: 'health-port',
      kind: 'port',
      default: '8080',
      description: 'Plain-HTTP port for /healthz, /readyz and /metrics; 0 turns it off',
    },
    logLevel,
    {
      name: 'cache-ttl',
      kind: 'duration',
      default: '10s',
      description:
        "Longest life of a cached review (never past the token's exp); 0 turns the cache off",
    },
    {
      name: 'cache-max-entries',
      kind: 'count',
      default: '100000',
      description: 'Bound on cached reviews',
    },
    keyCacheDir,
    {
      ...revocationFile,
      description: `${revocationFile.description}, cache hits included; reloaded when the file changes (a bad new file is refused, the old one stays in force)`,
    },
    {
      name: 'shutdown-grace',
      kind: 'duration',
      default: '15s',
      description: 'How long in-flight reviews may finish after SIGTERM or SIGINT',
    },
    serviceAccountIssuer,
  ],
}

export const VALIDATE: CommandDef = {
  name: 'validate',
  summary: 'Check an AuthenticationConfiguration without serving',
  usage:
    'kube-oidc-webhook validate --authentication-config FILE [--revocation-file FILE] [--service-account-issuer URL] [--warnings-as-errors]',
  flags: [
    authenticationConfig,
    { ...revocationFile, description: `${revocationFile.description}; checked too` },
    {
      name: 'warnings-as-errors',
      kind: 'bool',
      description:
        'Exit 1 when the file has warnings (risky mappings, unpinned CI issuers, fields without effect), as when it has errors',
    },
    serviceAccountIssuer,
  ],
}

export const CHECK: CommandDef = {
  name: 'check',
  summary: 'Verify one token as serve would and print the TokenReview status',
  usage: 'kube-oidc-webhook check --authentication-config FILE --token TOKEN|-',
  flags: [
    authenticationConfig,
    {
      name: 'token',
      kind: 'string',
      required: true,
      description:
        'The bearer token to verify; - reads it from stdin (one trailing newline is dropped)',
    },
    {
      name: 'wait',
      kind: 'duration',
      default: '10s',
      description: 'How long to wait for issuer discovery and keys before verifying',
    },
    keyCacheDir,
    {
      ...revocationFile,
      description: `${revocationFile.description}; applied after verification, naming the entry that refuses the token`,
    },
    { ...logLevel, default: 'warn' },
    serviceAccountIssuer,
  ],
}

export const DEV_SUMMARY =
  'Run a local OIDC issuer, a self-signed CA and the webhook on loopback; writes ./dev/ (kubeconfig, config, CA)'

/** `dev`: parsed by src/commands/dev.ts itself (main.ts hands it the raw words). */
export const DEV: CommandDef = {
  name: 'dev',
  summary: DEV_SUMMARY,
  usage: 'kube-oidc-webhook dev [flags]',
  flags: [
    {
      name: 'dir',
      kind: 'path',
      default: 'dev',
      description:
        'Directory for the generated files (webhook-kubeconfig.yaml, authentication-config.yaml, ca.crt, certificates, token, tokenreview.json); overwritten on each start',
    },
    {
      name: 'bind-address',
      kind: 'string',
      default: '127.0.0.1',
      description:
        'Loopback address for every port (127.0.0.1, ::1 or localhost); other addresses are refused',
    },
    {
      name: 'issuer-port',
      kind: 'port',
      default: '9443',
      description: 'HTTPS port of the embedded OIDC issuer; 0 picks a free one',
    },
    {
      name: 'secure-port',
      kind: 'port',
      default: '8443',
      description: 'HTTPS port of the webhook; 0 picks a free one',
    },
    {
      name: 'health-port',
      kind: 'port',
      default: '8080',
      description: 'Plain-HTTP port for /healthz, /readyz and /metrics; 0 turns it off',
    },
    logLevel,
  ],
}

const PROXY_UPSTREAM_FLAGS: readonly FlagDef[] = [
  {
    name: 'upstream',
    kind: 'string',
    description:
      'URL of the API server requests are forwarded to (https); default the in-cluster API server, https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT',
  },
  {
    name: 'upstream-ca-file',
    kind: 'path',
    default: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    description: "CA bundle (PEM) that must have signed the API server's certificate",
  },
  {
    name: 'upstream-token-file',
    kind: 'path',
    default: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    description:
      "The proxy's own bearer token for the API server (needs RBAC to impersonate users, groups, uids and userextras); re-read when it changes, as kubelet rotates it",
  },
]

/** `proxy`: serve's flags (same config, TLS, cache, health, reload), plus where the API server is. */
export const PROXY: CommandDef = {
  name: 'proxy',
  summary: 'Run the same authenticator as an impersonating reverse proxy in front of an API server',
  usage:
    'kube-oidc-webhook proxy --authentication-config FILE --tls-cert-file FILE --tls-private-key-file FILE [--upstream URL] [flags]',
  flags: SERVE.flags.flatMap((flag): FlagDef[] => {
    if (flag.name === 'secure-port')
      return [{ ...flag, description: 'HTTPS port of the proxy (kubectl connects here)' }]
    if (flag.name === 'client-ca-file')
      return [
        {
          ...flag,
          description:
            'When set, clients must also present a client certificate signed by a CA in this PEM file',
        },
        ...PROXY_UPSTREAM_FLAGS,
      ]
    if (flag.name === 'shutdown-grace')
      return [
        {
          ...flag,
          description:
            'How long requests, watches and exec sessions in flight may go on after SIGTERM or SIGINT',
        },
      ]
    return [flag]
  }),
}

/** In the order `--help` lists them. */
export const COMMANDS: readonly CommandDef[] = [SERVE, PROXY, VALIDATE, CHECK]
