/**
 * The one place `serve` and `check` build the token pipeline, so `check`
 * verifies exactly as `serve` does.
 */
import type { CompiledConfig } from '../config/compiled.js'
import type { Logger } from '../log/logger.js'
import {
  createConfigAuthenticator,
  type AuthenticatorOptions,
  type ConfigAuthenticator,
} from '../token/authenticator.js'

export interface BuildAuthenticatorOptions extends AuthenticatorOptions {
  readonly logger: Logger
}

export async function buildAuthenticator(
  config: CompiledConfig,
  opts: BuildAuthenticatorOptions,
): Promise<ConfigAuthenticator> {
  return createConfigAuthenticator(config, opts)
}
