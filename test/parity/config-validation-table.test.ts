/**
 * Runs Kubernetes' own AuthenticationConfiguration validation tables
 * (./config-cases.ts) through our loader: each case is rendered as a whole file,
 * in JSON and in YAML, handed to parseAuthenticationConfig, and its error lines
 * compared with kube-apiserver's aggregate, line for line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { stringify } from 'yaml'
import { runCli } from '../../src/cli/main.js'
import { parseAuthenticationConfig } from '../../src/config/load.js'
import { goQuote } from '../../src/go/quote.js'
import { createCertificateAuthority } from '../../src/dev/certificates.js'
import { CURRENT_RULES, GENERATED_CA, TABLES } from './config-cases.js'
import type { ConfigCase, UpstreamTable } from './config-cases.js'

const CEL_PREFIX = 'compilation failed: '
let caPem = ''
let dir = ''

beforeAll(async () => {
  caPem = (await createCertificateAuthority({ commonName: 'test-ca' })).certPem
  dir = await mkdtemp(join(tmpdir(), 'parity-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function render(c: ConfigCase, format: 'json' | 'yaml'): string {
  const jwt = c.jwt?.map((entry) =>
    entry.issuer?.certificateAuthority === GENERATED_CA
      ? { ...entry, issuer: { ...entry.issuer, certificateAuthority: caPem } }
      : entry,
  )
  const doc = {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    ...(jwt !== undefined ? { jwt } : {}),
    ...(c.anonymous !== undefined ? { anonymous: c.anonymous } : {}),
  }
  // YAML 1.1 quoting: kube-apiserver reads YAML with go-yaml v2, where a bare `y` is a boolean.
  return format === 'json' ? JSON.stringify(doc, null, 2) : stringify(doc, { version: '1.1' })
}

/** An upstream line with the table's field-path root moved to where the case sits in our file. */
function relocate(line: string, table: UpstreamTable): string {
  if (table.root === undefined) return line
  const [upstream, ours] = table.root
  const moved = line.startsWith(upstream) ? ours + line.slice(upstream.length) : line
  return moved.replaceAll(`at least one ${upstream}`, `at least one ${ours}`)
}

function errorsOf(c: ConfigCase, format: 'json' | 'yaml'): readonly string[] {
  const result = parseAuthenticationConfig(
    render(c, format),
    c.disallowedIssuers === undefined ? undefined : { disallowedIssuers: c.disallowedIssuers },
  )
  if (result.ok) return []
  // A case must fail validation, never reading or decoding.
  expect(result.stage).toBe('validate')
  return result.errors
}

describe.each([...TABLES, CURRENT_RULES].map((table) => [table.test, table] as const))(
  '%s',
  (_name, table) => {
    const runnable = table.cases.filter((c) => c.skip === undefined)
    const skipped = table.cases.filter((c) => c.skip !== undefined)
    const rows = runnable.flatMap((c) =>
      (['json', 'yaml'] as const).map((format) => [c.name, format, c] as const),
    )

    it.each(rows)('%s (%s)', (_caseName, format, c) => {
      const got = errorsOf(c, format)
      const want = c.want.map((line) => relocate(line, table))
      if (!c.celCompileError) {
        expect(got).toEqual(want)
        return
      }
      // cel-go and our CEL engine word compile errors differently: the path, the
      // quoted expression and the `compilation failed: ` prefix must still match.
      expect(got).toHaveLength(want.length)
      want.forEach((line, i) => {
        const cut = line.indexOf(CEL_PREFIX)
        expect(cut).toBeGreaterThan(0)
        expect(got[i]?.slice(0, cut + CEL_PREFIX.length)).toBe(
          line.slice(0, cut + CEL_PREFIX.length),
        )
        expect(got[i]?.length).toBeGreaterThan(cut + CEL_PREFIX.length)
      })
    })

    if (skipped.length > 0) {
      it.skip.each(skipped.map((c) => [c.name, c.skip] as const))(
        '%s — not applicable: %s',
        () => undefined,
      )
    }
  },
)

/** `kube-oidc-webhook validate` in-process: exit status, and the error lines of stderr. */
async function validateCommand(
  c: ConfigCase,
  file: string,
): Promise<{ code: number; stderr: string }> {
  const path = join(dir, file)
  await writeFile(path, render(c, 'yaml'))
  let stderr = ''
  const issuers = (c.disallowedIssuers ?? []).flatMap((i) => ['--service-account-issuer', i])
  const code = await runCli(['validate', '--authentication-config', path, ...issuers], {
    stdout: { write: () => true },
    stderr: { write: (t: string) => ((stderr += t), true) },
    stdin: Readable.from([]),
  })
  // Warnings (risky but valid settings) are this webhook's own; the table is about errors.
  const errors = stderr
    .split('\n')
    .filter((line) => !line.startsWith('Warning: '))
    .join('\n')
  return { code, stderr: errors }
}

describe('validate command over the same tables', () => {
  const rows = [...TABLES, CURRENT_RULES].flatMap((table, t) =>
    table.cases
      .map((c, i) => [`${table.test}: ${c.name}`, table, c, `t${t}-c${i}.yaml`] as const)
      .filter(([, , c]) => c.skip === undefined && !c.celCompileError),
  )

  it.each(rows)('%s', async (_name, table, c, file) => {
    const { code, stderr } = await validateCommand(c, file)
    const want = c.want.map((line) => relocate(line, table))
    expect(code).toBe(want.length === 0 ? 0 : 1)
    expect(stderr).toBe(want.map((line) => `${line}\n`).join(''))
  })
})

describe('the transcription', () => {
  it.each([
    ['TestValidateAuthenticationConfiguration', 27, 2],
    ['TestValidateIssuerURL', 8, 0],
    ['TestValidateIssuerDiscoveryURL', 12, 0],
    ['TestValidateAudiences', 8, 0],
    ['TestValidateCertificateAuthority', 3, 0],
    ['TestValidateClaimValidationRules', 12, 0],
    ['TestValidateClaimMappings', 32, 0],
    ['TestValidateUserValidationRules', 5, 0],
  ] as const)('%s holds every upstream case (%i, %i skipped)', (test, cases, skips) => {
    const table = TABLES.find((t) => t.test === test)
    expect(table?.cases).toHaveLength(cases)
    expect(table?.cases.filter((c) => c.skip !== undefined)).toHaveLength(skips)
    expect(new Set(table?.cases.map((c) => c.name)).size).toBe(cases)
  })

  it('renders quoted values as field.Error does', () => {
    // The expected lines quote expressions with Go's %q; the case data writes them by hand.
    expect(goQuote('{"fancy": claims.?email}')).toBe('"{\\"fancy\\": claims.?email}"')
  })
})
