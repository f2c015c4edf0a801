#!/usr/bin/env node
// The npm registry mirror this project's machines use lacks some platform
// builds of native packages (@swc/core-*, @unrs/resolver-binding-* for other
// OSes and CPUs). `npm install` then leaves them out of package-lock.json, and
// `npm ci` refuses that lockfile as out of sync. This adds the missing optional
// platform entries (never installed on this platform: npm skips them by os/cpu),
// so the lockfile is complete again. Run it after `npm install`: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs'

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'wasm32']
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  arm: 'arm',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
}

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const osIndex = parts.findIndex((p) => OS.includes(p))
  if (osIndex === -1) return {}
  const os = parts[osIndex]
  const cpu = CPU[parts[osIndex + 1]]
  const libc = parts.slice(osIndex + 2).join('-')
  return {
    ...(os === 'wasm32' ? { cpu: ['wasm32'] } : { os: [os] }),
    ...(cpu ? { cpu: [cpu] } : {}),
    ...(/musl/.test(libc) ? { libc: ['musl'] } : /gnu/.test(libc) ? { libc: ['glibc'] } : {}),
  }
}

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
let added = 0
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`]
    if (candidates.some((c) => lock.packages[c] !== undefined)) continue
    lock.packages[`node_modules/${dep}`] = {
      version,
      ...platformOf(dep),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    }
    added++
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
)
lock.packages = sorted
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`complete-lockfile: added ${added} optional platform entries`)
