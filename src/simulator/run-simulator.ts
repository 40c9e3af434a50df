import { CleverTapSimulator, CONTROL_PREFIX } from './clevertap-simulator.js';
import { loadSimulatorConfigFile } from './simulator-config.js';

export interface RunSimulatorOptions {
  port: number;
  host?: string;
  /** JSON file shaped like SimulatorOptions (see simulator-config.ts). */
  configFile?: string;
  log?: (line: string) => void;
}

/** Starts a standalone simulator (the `simulator` CLI command) and logs where it listens; never its passcodes. */
export async function runSimulator(opts: RunSimulatorOptions): Promise<CleverTapSimulator> {
  const options = opts.configFile ? await loadSimulatorConfigFile(opts.configFile) : {};
  const simulator = new CleverTapSimulator(options);
  const url = await simulator.start(opts.port, opts.host);
  const log = opts.log ?? ((line: string) => console.log(line));
  log(
    `CleverTap simulator listening on ${url} (accounts: ${simulator.accountIds.join(', ')}; control API: ${url}${CONTROL_PREFIX})`,
  );
  return simulator;
}
