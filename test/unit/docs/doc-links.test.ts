import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { CHECK, DEV, SERVE, VALIDATE } from '../../../src/commands/definitions.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DOCS = join(ROOT, 'docs')

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? markdownFiles(join(dir, e.name))
      : e.name.endsWith('.md')
        ? [join(dir, e.name)]
        : [],
  )
}

const FILES = markdownFiles(DOCS)
  .map((f) => relative(ROOT, f))
  .sort()

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>()
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(
      (m[1] ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    )
  }
  return out
}

/** Relative links `[text](target)` outside code. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !/^[a-z]+:/.test(t))
}

const COMMANDS = new Map([SERVE, VALIDATE, CHECK, DEV].map((c) => [c.name, c]))

describe('docs/', () => {
  it('docs/README.md links every page under docs/', () => {
    const index = readFileSync(join(DOCS, 'README.md'), 'utf8')
    const linked = new Set(
      links(index).map((t) => relative(ROOT, resolve(DOCS, t.split('#')[0] ?? ''))),
    )
    expect(FILES.filter((f) => f !== 'docs/README.md' && !linked.has(f))).toEqual([])
  })

  it.each(FILES)('%s: every relative link and anchor resolves', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8')
    const broken: string[] = []
    for (const target of links(text)) {
      const [path = '', anchor] = target.split('#')
      const abs = path === '' ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), path)
      if (!existsSync(abs)) broken.push(target)
      else if (
        anchor !== undefined &&
        abs.endsWith('.md') &&
        !anchors(readFileSync(abs, 'utf8')).has(anchor)
      )
        broken.push(target)
    }
    expect(broken).toEqual([])
  })

  it.each(FILES)('%s: kube-oidc-webhook command lines use real flags', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8')
    const unknown: string[] = []
    for (const m of text.matchAll(/kube-oidc-webhook (serve|validate|check|dev)\b([^\n`|]*)/g)) {
      const command = COMMANDS.get(m[1] ?? '')
      const known = new Set(['help', ...(command?.flags.map((f) => f.name) ?? [])])
      for (const flag of (m[2] ?? '').matchAll(/(?:^|\s)--([a-z][a-z-]*)/g))
        if (!known.has(flag[1] ?? '')) unknown.push(`${m[1]} --${flag[1]}`)
    }
    expect(unknown).toEqual([])
  })
})
