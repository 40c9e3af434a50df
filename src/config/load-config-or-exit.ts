import { ConfigError, type GatewayConfig, loadConfig } from './gateway-config.js';

/** For entry points: a bad value stops the process with one clear line per problem, no stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`Invalid configuration: ${problem}`);
    process.exit(1);
  }
}
