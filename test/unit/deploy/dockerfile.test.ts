import { describe, expect, it } from '@jest/globals'
import { readRepoFile } from './repo-files.js'

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

describe('Dockerfile', () => {
  const lines = instructions(readRepoFile('Dockerfile'))
  const froms = lines.filter((l) => l.startsWith('FROM '))
  const lastFrom = lines.lastIndexOf(froms[froms.length - 1] ?? '')
  const build = lines.slice(0, lastFrom)
  const runtime = lines.slice(lastFrom)

  it('is multi-stage: node:20-bookworm-slim builds, distroless nodejs20 nonroot runs', () => {
    expect(lines).toContain('ARG NODE_IMAGE=node:20-bookworm-slim')
    expect(lines).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot')
    expect(froms).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${RUNTIME_IMAGE}'])
  })

  it('installs with npm ci, builds, and prunes dev and optional (dev-command-only) dependencies in the build stage', () => {
    const run = build.filter((l) => l.startsWith('RUN ')).join(' ')
    expect(run).toMatch(/npm ci\b/)
    expect(run).toMatch(/npm run build/)
    expect(run).toMatch(/npm prune --omit=dev --omit=optional/)
    expect(run.indexOf('npm ci')).toBeLessThan(run.indexOf('npm run build'))
    expect(run.indexOf('npm run build')).toBeLessThan(run.indexOf('npm prune'))
  })

  it('ships only dist, production node_modules and package.json, runs as 65532 with no RUN', () => {
    expect(runtime.filter((l) => l.startsWith('COPY '))).toEqual([
      'COPY --from=build /src/package.json ./package.json',
      'COPY --from=build /src/node_modules ./node_modules',
      'COPY --from=build /src/dist ./dist',
    ])
    expect(runtime.filter((l) => l.startsWith('RUN '))).toEqual([])
    expect(runtime.filter((l) => l.startsWith('USER '))).toEqual(['USER 65532:65532'])
    expect(runtime).toContain('ENTRYPOINT ["/nodejs/bin/node", "dist/cli.js"]')
    const cmd = runtime.find((l) => l.startsWith('CMD '))
    expect(JSON.parse(cmd?.slice(4) ?? 'null')).toEqual([
      'serve',
      '--authentication-config',
      '/etc/kube-oidc-webhook/config/authentication-config.yaml',
      '--tls-cert-file',
      '/etc/kube-oidc-webhook/tls/tls.crt',
      '--tls-private-key-file',
      '/etc/kube-oidc-webhook/tls/tls.key',
    ])
  })

  it('sets NODE_ENV=production and keeps Node from writing caches', () => {
    const env = runtime.filter((l) => l.startsWith('ENV ')).join(' ')
    expect(env).toMatch(/NODE_ENV=production/)
    expect(env).toMatch(/NODE_REPL_HISTORY=""/)
    expect(env).toMatch(/NODE_DISABLE_COMPILE_CACHE=1/)
  })

  it('.dockerignore sends only what the build needs', () => {
    const rules = instructions(readRepoFile('.dockerignore'))
    expect(rules).toEqual([
      '**',
      '!package.json',
      '!package-lock.json',
      '!tsconfig.json',
      '!tsconfig.build.json',
      '!src',
    ])
  })
})
