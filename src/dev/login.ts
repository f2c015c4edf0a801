/**
 * Logs a demo user in to an OIDC issuer that uses node-oidc-provider's
 * development interactions, the way a browser would: authorization code flow
 * with PKCE, following redirects by hand and keeping cookies, then the token
 * endpoint. The `dev` command uses it to print a ready id_token.
 */
import https from 'node:https'
import { createHash, randomBytes } from 'node:crypto'

export interface LoginOptions {
  issuerUrl: string
  /** PEM the issuer's certificate chains to. */
  caPem: string
  clientId: string
  redirectUri: string
  login: string
  scope?: string
}

export interface LoginResult {
  idToken: string
  accessToken?: string
  refreshToken?: string
  expiresIn?: number
}

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

const MAX_REDIRECTS = 10
const MAX_BODY = 1024 * 1024

class CookieJar {
  readonly #cookies = new Map<string, string>()
  store(setCookie: string | string[] | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const pair = line.split(';', 1)[0] ?? ''
      const eq = pair.indexOf('=')
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

function request(
  url: URL,
  opts: { method: string; caPem: string; jar: CookieJar; form?: Record<string, string> },
): Promise<RawResponse> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method,
        ca: opts.caPem,
        timeout: 10_000,
        headers: {
          cookie: opts.jar.header(),
          accept: 'text/html,application/json',
          ...(body
            ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        opts.jar.store(res.headers['set-cookie'])
        let size = 0
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_BODY) req.destroy(new Error(`response from ${url.pathname} exceeds ${MAX_BODY} bytes`))
          else chunks.push(chunk)
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        )
      },
    )
    req.on('timeout', () => req.destroy(new Error(`request to ${url.pathname} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** Follows redirects until one leaves the issuer (the client's redirect_uri) or a page is shown. */
async function follow(start: URL, issuer: URL, caPem: string, jar: CookieJar, first?: RawResponse) {
  let response = first ?? (await request(start, { method: 'GET', caPem, jar }))
  let current = start
  for (let i = 0; i < MAX_REDIRECTS; i++) {
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || typeof location !== 'string') return { current, response }
    const next = new URL(location, current)
    if (next.origin !== issuer.origin) return { current: next, response }
    current = next
    response = await request(current, { method: 'GET', caPem, jar })
  }
  throw new Error('too many redirects during login')
}

function interactionSubmitUrl(at: URL): URL {
  const match = /^\/interaction\/([^/]+)$/.exec(at.pathname)
  if (!match) throw new Error(`login did not reach an interaction page (at ${at.pathname})`)
  return at
}

export async function loginWithDevInteractions(opts: LoginOptions): Promise<LoginResult> {
  const issuer = new URL(opts.issuerUrl)
  const jar = new CookieJar()
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const state = randomBytes(8).toString('hex')
  const auth = new URL(`${opts.issuerUrl.replace(/\/$/, '')}/auth`)
  auth.search = new URLSearchParams({
    client_id: opts.clientId,
    response_type: 'code',
    redirect_uri: opts.redirectUri,
    scope: opts.scope ?? 'openid email profile groups',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(8).toString('hex'),
  }).toString()

  let step = await follow(auth, issuer, opts.caPem, jar)
  for (const prompt of ['login', 'consent'] as const) {
    if (step.current.origin !== issuer.origin) break
    const submit = interactionSubmitUrl(step.current)
    const form: Record<string, string> = prompt === 'login' ? { prompt, login: opts.login, password: '' } : { prompt }
    const posted = await request(submit, { method: 'POST', caPem: opts.caPem, jar, form })
    step = await follow(submit, issuer, opts.caPem, jar, posted)
  }

  const redirect = step.current
  if (redirect.origin === issuer.origin) throw new Error(`login ended at ${redirect.pathname} (HTTP ${step.response.status})`)
  const error = redirect.searchParams.get('error')
  if (error) throw new Error(`authorization failed: ${error}: ${redirect.searchParams.get('error_description') ?? ''}`)
  if (redirect.searchParams.get('state') !== state) throw new Error('authorization response state mismatch')
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error('authorization response has no code')

  const tokenResponse = await request(new URL(`${opts.issuerUrl.replace(/\/$/, '')}/token`), {
    method: 'POST',
    caPem: opts.caPem,
    jar,
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: opts.redirectUri,
      client_id: opts.clientId,
      code_verifier: verifier,
    },
  })
  if (tokenResponse.status !== 200) throw new Error(`token endpoint answered HTTP ${tokenResponse.status}`)
  const tokens = JSON.parse(tokenResponse.body) as Record<string, unknown>
  if (typeof tokens.id_token !== 'string') throw new Error('token endpoint returned no id_token')
  return {
    idToken: tokens.id_token,
    ...(typeof tokens.access_token === 'string' ? { accessToken: tokens.access_token } : {}),
    ...(typeof tokens.refresh_token === 'string' ? { refreshToken: tokens.refresh_token } : {}),
    ...(typeof tokens.expires_in === 'number' ? { expiresIn: tokens.expires_in } : {}),
  }
}
