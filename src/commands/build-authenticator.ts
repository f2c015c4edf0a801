/**
 * The one place `serve` and `check` build the token pipeline, so `check`
 * verifies exactly as `serve` does.
 */
import type { CompiledConfig } from '../config/compiled.js'
import type { Logger } from '../log/logger.js'
import { createConfigAuthenticator, type ConfigAuthenticator } from '../token/authenticator.js'

export interface BuildAuthenticatorOptions {
  readonly logger: Logger
  readonly keyCacheDir?: string
}

export async function buildAuthenticator(
  config: CompiledConfig,
  opts: BuildAuthenticatorOptions,
): Promise<ConfigAuthenticator> {
  return await createConfigAuthenticator(config, {
    logger: opts.logger,
    ...(opts.keyCacheDir === undefined ? {} : { keyCacheDir: opts.keyCacheDir }),
  })
}
