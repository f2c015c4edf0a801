/**
 * What `dev` prints on stdout once everything runs: where each part listens,
 * the files it wrote, the demo users, a sample token and commands to paste.
 * Logs go to stderr, so stdout stays readable (and parseable by tests).
 */
import { DEMO_USERS, DEV_CLIENT_ID } from './demo-users.js'
import { DEV_FILES } from './dev-files.js'

export interface BannerInfo {
  /** The directory as the user should type it (relative to the working directory when inside it). */
  dir: string
  issuerUrl: string
  /** `https://host:port/authenticate`. */
  webhookUrl: string
  /** `http://host:port`, absent when the health port is off. */
  healthUrl?: string
  sampleUser: string
  token: string
  tokenTtlSeconds: number
  /** How to run this CLI again (`node dist/cli.js` or `kube-oidc-webhook`). */
  cli: string
}

/** A path inside the dev directory, as typed in a shell. */
function file(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The path of `kubectl create --raw`: client-go's RequestURI replaces the server URL's path, so it is the whole path. */
export function rawPath(webhookUrl: string): string {
  return new URL(webhookUrl).pathname
}

export function renderBanner(info: BannerInfo): string {
  const f = (name: string): string => shellWord(file(info.dir, name))
  const user = DEMO_USERS[info.sampleUser]
  const users = Object.entries(DEMO_USERS).map(([login, u]) => {
    const note = u.emailVerified ? `groups: ${u.groups.join(', ')}` : 'email_verified is false: refused'
    return `  ${login.padEnd(9)}${u.email.padEnd(22)}${note}`
  })
  const lines = [
    'kube-oidc-webhook dev: a throwaway OIDC issuer, CA and webhook on loopback, for local testing only.',
    '',
    `  OIDC issuer  ${info.issuerUrl}  (client id "${DEV_CLIENT_ID}": public, PKCE, no secret)`,
    `  webhook      ${info.webhookUrl}  (client certificate required)`,
    info.healthUrl === undefined
      ? '  health       off (--health-port 0)'
      : `  health       ${info.healthUrl}/healthz  ${info.healthUrl}/readyz  ${info.healthUrl}/metrics`,
    '',
    `Files in ${info.dir}/ (rewritten on every start):`,
    `  ${DEV_FILES.kubeconfig.padEnd(28)}for kube-apiserver --authentication-token-webhook-config-file`,
    `  ${DEV_FILES.authenticationConfig.padEnd(28)}the webhook's AuthenticationConfiguration (edit it: it is reloaded)`,
    `  ${'ca.crt tls.crt tls.key'.padEnd(28)}the CA and the serving certificate (localhost, 127.0.0.1, ::1)`,
    `  ${'client.crt client.key'.padEnd(28)}the client certificate kube-apiserver presents`,
    `  ${'token tokenreview.json'.padEnd(28)}the sample id_token below and a TokenReview carrying it`,
    '',
    'Demo users (log in as any of them, no password):',
    ...users,
    '',
    `Sample id_token for ${info.sampleUser}${user ? ` (${user.email})` : ''}, valid ${Math.round(info.tokenTtlSeconds / 60)} minutes:`,
    info.token,
    '',
    'Try it:',
    `  curl --cacert ${f(DEV_FILES.ca)} --cert ${f(DEV_FILES.clientCert)} --key ${f(DEV_FILES.clientKey)} -H 'Content-Type: application/json' --data @${f(DEV_FILES.tokenReview)} ${info.webhookUrl}`,
    `  kubectl --kubeconfig ${f(DEV_FILES.kubeconfig)} create --raw ${rawPath(info.webhookUrl)} -f ${f(DEV_FILES.tokenReview)}`,
    `  ${info.cli} check --authentication-config ${f(DEV_FILES.authenticationConfig)} --token "$(cat ${f(DEV_FILES.token)})"`,
    '',
    'Log in yourself with kubelogin (https://github.com/int128/kubelogin), which opens a browser:',
    `  kubectl oidc-login get-token --oidc-issuer-url=${info.issuerUrl} --oidc-client-id=${DEV_CLIENT_ID} --certificate-authority=${f(DEV_FILES.ca)} --oidc-extra-scope=email --oidc-extra-scope=profile --oidc-extra-scope=groups`,
    '',
    'Press Ctrl-C to stop. Service logs are JSON lines on stderr.',
    '',
  ]
  return lines.join('\n')
}
