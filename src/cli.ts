#!/usr/bin/env node
/** Entry point: `kube-oidc-webhook <command> [flags]`. */
import { runCli } from './cli/main.js'
import { processIO } from './runtime/cli-io.js'

try {
  process.exitCode = await runCli(process.argv.slice(2), processIO)
} catch (err) {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
