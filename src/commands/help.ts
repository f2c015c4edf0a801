/** `--help` text, rendered from the same definitions the parser uses. */
import { COMMANDS, DEV_SUMMARY } from './definitions.js'
import type { CommandDef, FlagDef } from '../flags/flags.js'

const PLACEHOLDER: Record<FlagDef['kind'], string> = {
  string: 'string',
  path: 'string',
  duration: 'duration',
  port: 'int',
  count: 'int',
  'log-level': 'string',
  bool: '',
}

function flagLine(def: FlagDef): [string, string] {
  const left = `--${def.name} ${PLACEHOLDER[def.kind]}`.trimEnd()
  let right = def.description
  if (def.required === true) right += ' (required)'
  // pflag's style: strings quoted, numbers and durations bare.
  else if (def.default !== undefined) {
    const bare = PLACEHOLDER[def.kind] !== 'string'
    right += ` (default ${bare ? String(def.default) : JSON.stringify(def.default)})`
  }
  return [left, right]
}

/** Help of one command: usage line, summary and every flag with its default. */
export function commandHelp(command: CommandDef): string {
  const rows = [
    ...command.flags.map(flagLine),
    ['-h, --help', `help for ${command.name}`] as [string, string],
  ]
  const width = Math.max(...rows.map(([l]) => l.length)) + 3
  return [
    command.summary,
    '',
    'Usage:',
    `  ${command.usage}`,
    '',
    'Flags:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    '',
    "Durations take Go's form: 500ms, 10s, 2m, 1h30m, 0.",
    '',
  ].join('\n')
}

/** Top-level help: every command. */
export function topLevelHelp(): string {
  const rows: [string, string][] = [
    ...COMMANDS.map((c): [string, string] => [c.name, c.summary]),
    ['dev', DEV_SUMMARY],
  ]
  const width = Math.max(...rows.map(([l]) => l.length)) + 3
  return [
    'kube-oidc-webhook: a Kubernetes TokenReview webhook that authenticates OIDC JWTs as',
    "kube-apiserver's --authentication-config does.",
    '',
    'Usage:',
    '  kube-oidc-webhook <command> [flags]',
    '',
    'Commands:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    '',
    'Run "kube-oidc-webhook <command> --help" for the flags of a command.',
    '',
  ].join('\n')
}
