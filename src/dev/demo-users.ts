/** The accounts of the `dev` issuer: anyone may log in as one of them, no password. */
export interface DemoUser {
  readonly sub: string
  readonly email: string
  readonly emailVerified: boolean
  readonly name: string
  readonly groups: readonly string[]
}

export const DEMO_USERS: Readonly<Record<string, DemoUser>> = Object.freeze({
  jane: {
    sub: 'jane',
    email: 'jane@example.com',
    emailVerified: true,
    name: 'Jane Developer',
    groups: ['developers', 'cluster-viewers'],
  },
  alex: {
    sub: 'alex',
    email: 'alex@example.com',
    emailVerified: true,
    name: 'Alex Operator',
    groups: ['operators'],
  },
  mallory: {
    sub: 'mallory',
    email: 'mallory@example.com',
    emailVerified: false,
    name: 'Mallory Unverified',
    groups: ['developers'],
  },
})

/** The OIDC client kubectl/kubelogin use against the dev issuer (public client, PKCE). */
export const DEV_CLIENT_ID = 'kubernetes'
/** Loopback redirect URIs kubelogin listens on by default. */
export const DEV_REDIRECT_URIS = ['http://localhost:8000', 'http://localhost:18000'] as const
