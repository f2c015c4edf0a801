/**
 * Dispatch: the first word names the command, the rest are its flags. Returns
 * the exit status (CONTRACT.md "Commands"); never calls process.exit itself.
 */
import { CHECK, SERVE, VALIDATE } from '../commands/definitions.js'
import { parseFlags, type CommandDef, type FlagValues } from '../flags/flags.js'
import { commandHelp, topLevelHelp } from '../commands/help.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'

type Runner = (flags: FlagValues, io: CliIO) => Promise<ExitCode>

const RUNNERS: ReadonlyMap<string, { def: CommandDef; load: () => Promise<Runner> }> = new Map([
  ['serve', { def: SERVE, load: async () => (await import('../commands/serve.js')).runServe }],
  [
    'validate',
    { def: VALIDATE, load: async () => (await import('../commands/validate.js')).runValidate },
  ],
  ['check', { def: CHECK, load: async () => (await import('../commands/check.js')).runCheck }],
])

// Resolved at run time: dev.ts is written separately and may be absent from a build.
const DEV_MODULE = '../commands/dev.js'

async function runDevCommand(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  let mod: { runDev?: (argv: string[]) => Promise<number | void> }
  try {
    mod = (await import(DEV_MODULE)) as typeof mod
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((err as Error).message).includes('dev.js')
    ) {
      io.stderr.write(
        'Error: the dev command is not available in this build (src/commands/dev.ts is missing)\n',
      )
      return 1
    }
    throw err
  }
  if (typeof mod.runDev !== 'function') {
    io.stderr.write('Error: the dev command is not available in this build (no runDev export)\n')
    return 1
  }
  const code = await mod.runDev([...argv])
  return code === undefined || code === 0 ? 0 : 1
}

/** Runs the CLI with `argv` = the words after `node cli.js`. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(topLevelHelp())
    return 0
  }
  if (name === 'dev') return runDevCommand(rest, io)
  const command = RUNNERS.get(name)
  if (command === undefined) {
    io.stderr.write(`Error: unknown command ${JSON.stringify(name)} for "kube-oidc-webhook"\n`)
    io.stderr.write('Run "kube-oidc-webhook --help" for usage.\n')
    return 1
  }
  const parsed = parseFlags(command.def, rest)
  switch (parsed.kind) {
    case 'help':
      io.stdout.write(commandHelp(command.def))
      return 0
    case 'error':
      for (const e of parsed.errors) io.stderr.write(`Error: ${e}\n`)
      io.stderr.write(`Run "kube-oidc-webhook ${command.def.name} --help" for usage.\n`)
      return 1
    case 'ok':
      return (await command.load())(parsed.values, io)
  }
}
