/**
 * CI and build services whose OIDC issuer hands tokens to every job it runs,
 * for any customer: a config that trusts one without pinning whose jobs it
 * accepts lets strangers' pipelines authenticate. `pinClaims` are the claims
 * that narrow tokens to one owner, project or repository below what the
 * issuer URL already fixes; `subjectStem` is the fixed start of `sub`, which a
 * pinning `startsWith` must go beyond.
 */
export interface CiIssuer {
  readonly name: string
  /** Who can get a token from this issuer URL. */
  readonly audience: 'anyone' | 'one organization'
  readonly pinClaims: readonly string[]
  readonly subjectStem: string
}

interface CiIssuerEntry extends CiIssuer {
  readonly matches: (url: URL) => boolean
}

const GITHUB_REPOSITORY_CLAIMS = [
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'workflow_ref',
  'sub',
]

const CI_ISSUERS: readonly CiIssuerEntry[] = [
  {
    name: 'GitHub Actions',
    audience: 'anyone',
    matches: (u) => u.host === 'token.actions.githubusercontent.com' && u.pathname === '/',
    pinClaims: [...GITHUB_REPOSITORY_CLAIMS, 'enterprise', 'enterprise_id'],
    subjectStem: 'repo:',
  },
  {
    // An enterprise's own issuer: https://token.actions.githubusercontent.com/<enterprise>
    name: 'GitHub Actions (enterprise issuer)',
    audience: 'one organization',
    matches: (u) => u.host === 'token.actions.githubusercontent.com' && u.pathname !== '/',
    pinClaims: GITHUB_REPOSITORY_CLAIMS,
    subjectStem: 'repo:',
  },
  {
    name: 'GitLab CI (gitlab.com)',
    audience: 'anyone',
    matches: (u) => u.host === 'gitlab.com',
    pinClaims: ['namespace_path', 'namespace_id', 'project_path', 'project_id', 'sub'],
    subjectStem: 'project_path:',
  },
  {
    name: 'Buildkite',
    audience: 'anyone',
    matches: (u) => u.host === 'agent.buildkite.com',
    pinClaims: ['organization_slug', 'organization_id', 'pipeline_slug', 'pipeline_id', 'sub'],
    subjectStem: 'organization:',
  },
  {
    name: 'HCP Terraform',
    audience: 'anyone',
    matches: (u) => u.host === 'app.terraform.io',
    pinClaims: [
      'terraform_organization_name',
      'terraform_organization_id',
      'terraform_project_name',
      'terraform_project_id',
      'terraform_workspace_name',
      'terraform_workspace_id',
      'sub',
    ],
    subjectStem: 'organization:',
  },
  {
    // https://oidc.circleci.com/org/<organization id>: the URL fixes the organization.
    name: 'CircleCI',
    audience: 'one organization',
    matches: (u) => u.host === 'oidc.circleci.com',
    pinClaims: ['oidc.circleci.com/project-id', 'oidc.circleci.com/vcs-origin', 'sub'],
    subjectStem: 'org/',
  },
  {
    // https://api.bitbucket.org/2.0/workspaces/<workspace>/pipelines-config/identity/oidc
    name: 'Bitbucket Pipelines',
    audience: 'one organization',
    matches: (u) =>
      u.host === 'api.bitbucket.org' && u.pathname.includes('/pipelines-config/identity/oidc'),
    pinClaims: ['repositoryUuid', 'sub'],
    subjectStem: '',
  },
]

/** The CI service behind an issuer URL, if it is a known one. */
export function knownCiIssuer(issuerURL: string): CiIssuer | undefined {
  let url: URL
  try {
    url = new URL(issuerURL)
  } catch {
    return undefined
  }
  return CI_ISSUERS.find((ci) => ci.matches(url))
}

/** Every known CI service, for the docs. */
export function knownCiIssuers(): readonly CiIssuer[] {
  return CI_ISSUERS
}
