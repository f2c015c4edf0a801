/**
 * The image keeps only production dependencies (`npm prune --omit=dev
 * --omit=optional`). Everything `serve`, `validate` and `check` load must be
 * among them; the packages that only `dev` uses must not.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { readRepoFile, repoRoot } from './repo-files.js'

interface LockPackage {
  readonly dev?: boolean
  readonly optional?: boolean
  readonly devOptional?: boolean
}

const lock = JSON.parse(readRepoFile('package-lock.json')) as {
  packages: Record<string, LockPackage>
}
const manifest = JSON.parse(readRepoFile('package.json')) as {
  dependencies: Record<string, string>
  optionalDependencies: Record<string, string>
  devDependencies: Record<string, string>
}

/** Top-level packages that survive `npm prune --omit=dev --omit=optional`. */
const kept = new Set(
  Object.entries(lock.packages)
    .filter(
      ([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.optional && !p.devOptional,
    )
    .map(([path]) => path.slice('node_modules/'.length))
    .filter((name) => !name.includes('/node_modules/')),
)

const builtins = new Set(builtinModules)

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier)
}

/** Bare packages reached from `entry` over static imports (dynamic `import()` not followed). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const queue = [resolve(repoRoot, entry)]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    const text = readRepoFile(file.slice(repoRoot.length + 1))
    for (const m of text.matchAll(
      /^(?:import|export)\s[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm,
    )) {
      const spec = (m[1] ?? m[2]) as string
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec.replace(/\.js$/, '.ts'))
        if (existsSync(target)) queue.push(target)
      } else if (!spec.startsWith('node:') && !builtins.has(spec)) {
        packages.add(packageName(spec))
      }
    }
  }
  return packages
}

describe('production dependencies', () => {
  it('leaves the dev-command-only packages and jose out of the image', () => {
    for (const name of ['oidc-provider', '@peculiar/x509', 'reflect-metadata', 'jose']) {
      expect(kept.has(name)).toBe(false)
    }
    expect(Object.keys(manifest.optionalDependencies).sort()).toEqual([
      '@peculiar/x509',
      'oidc-provider',
      'reflect-metadata',
    ])
  })

  it.each([
    'src/cli.ts',
    'src/commands/serve.ts',
    'src/commands/validate.ts',
    'src/commands/check.ts',
  ])('everything %s loads is a kept production dependency', (entry) => {
    const used = [...staticPackages(entry)]
    expect(used.length).toBeGreaterThan(0)
    for (const name of used) {
      expect({ name, kept: kept.has(name) }).toEqual({ name, kept: true })
      expect(Object.keys(manifest.dependencies)).toContain(name)
    }
  })

  it('src/dev/ is where the optional packages are used', () => {
    const used = staticPackages('src/commands/dev.ts')
    expect(used.has('reflect-metadata') || used.has('@peculiar/x509')).toBe(true)
  })
})
