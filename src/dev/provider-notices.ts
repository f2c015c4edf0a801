/**
 * node-oidc-provider prints its development-mode warnings straight to the
 * console (lib/helpers/attention.js: "oidc-provider WARNING: ... you MUST
 * change it", an unsupported-runtime warning on Node 20, ...). In `dev` they
 * are all expected and read as alarming to a newcomer, so while `dev` runs
 * they are held back and `dev` prints one plain note instead. Every other
 * console line passes through untouched.
 */

const ANSI = /\x1b\[[0-9;]*m/g
const PREFIX = /^oidc-provider (?:WARNING|NOTICE): /

type ConsoleMethod = (...args: unknown[]) => void

export interface ProviderNoticeFilter {
  /** The notices held back so far (text without colour codes). */
  readonly held: readonly string[]
  /** Puts console.warn and console.info back. */
  restore(): void
}

/** Installs the filter on console.warn and console.info. */
export function holdProviderNotices(target: Pick<Console, 'warn' | 'info'> = console): ProviderNoticeFilter {
  const held: string[] = []
  const original = { warn: target.warn, info: target.info }
  const wrap =
    (method: ConsoleMethod): ConsoleMethod =>
    (...args) => {
      const first = args[0]
      if (args.length === 1 && typeof first === 'string') {
        const plain = first.replace(ANSI, '')
        if (PREFIX.test(plain)) {
          held.push(plain)
          return
        }
      }
      method.apply(target, args)
    }
  target.warn = wrap(original.warn)
  target.info = wrap(original.info)
  return {
    held,
    restore() {
      target.warn = original.warn
      target.info = original.info
    },
  }
}
