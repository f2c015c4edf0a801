/**
 * Dispatch: the first word names the command, the rest are its flags. Returns
 * the exit status (docs/reference/cli.md); never calls process.exit itself.
 */
import { CHECK, DEV, PROXY, SERVE, VALIDATE } from '../commands/definitions.js'
import { parseFlags, type CommandDef, type FlagValues } from '../flags/flags.js'
import { commandHelp, topLevelHelp } from '../commands/help.js'
import type { CliIO, ExitCode } from '../runtime/cli-io.js'

type Runner = (flags: FlagValues, io: CliIO) => Promise<ExitCode>

const RUNNERS: ReadonlyMap<string, { def: CommandDef; load: () => Promise<Runner> }> = new Map([
  ['serve', { def: SERVE, load: async () => (await import('../commands/serve.js')).runServe }],
  ['proxy', { def: PROXY, load: async () => (await import('../commands/proxy.js')).runProxy }],
  [
    'validate',
    { def: VALIDATE, load: async () => (await import('../commands/validate.js')).runValidate },
  ],
  ['check', { def: CHECK, load: async () => (await import('../commands/check.js')).runCheck }],
  ['dev', { def: DEV, load: loadDev }],
])

/** Packages only `dev` uses: optional dependencies, absent from the production image. */
const DEV_ONLY_PACKAGES = ['oidc-provider', '@peculiar/x509', 'reflect-metadata']

async function loadDev(): Promise<Runner> {
  try {
    return (await import('../commands/dev.js')).runDev
  } catch (err) {
    const missing = DEV_ONLY_PACKAGES.find((name) =>
      String((err as Error).message).includes(`'${name}'`),
    )
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && missing) {
      throw new CommandUnavailable(
        `the dev command needs the optional dependency ${missing}, which this installation omits (install with "npm ci", without --omit=optional)`,
      )
    }
    throw err
  }
}

class CommandUnavailable extends Error {}

/** Runs the CLI with `argv` = the words after `node cli.js`. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(topLevelHelp())
    return 0
  }
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
    case 'ok': {
      let run: Runner
      try {
        run = await command.load()
      } catch (err) {
        if (!(err instanceof CommandUnavailable)) throw err
        io.stderr.write(`Error: ${err.message}\n`)
        return 1
      }
      return run(parsed.values, io)
    }
  }
}
