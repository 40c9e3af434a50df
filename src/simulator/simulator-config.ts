import { readFile } from 'node:fs/promises';

export const FAULT_KINDS = ['5xx', '429', 'reset', 'hang', 'fail-body', 'unauthorized'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault applied instead of the normal answer.
 * - `rate` (0..1, default 1) is deterministic, not random: rate 0.25 faults the 4th, 8th, 12th... matching
 *   request, so a test knows exactly which requests fail.
 * - `remaining` counts faults actually applied; the rule is dropped once it reaches 0.
 * - `accountId` limits the rule to requests carrying that `X-CleverTap-Account-Id`.
 * - `status` is the HTTP status of a '5xx' fault (default 503).
 */
export interface FaultRule {
  kind: FaultKind;
  status?: number;
  rate?: number;
  remaining?: number;
  accountId?: string;
}

export interface SimulatorAccount {
  id: string;
  passcode: string;
}

export interface SimulatorBusinessEvent {
  name: string;
  /** Property names the event needs; a missing one answers 400 `Property<name>missing`. */
  requiredProperties: string[];
  /** `targets` in the success answer (default 1). */
  targets?: number;
}

/**
 * Options of the simulator; a config file (`--config FILE`) holds the same object as JSON, e.g.
 * {
 *   "accounts": [{ "id": "sim-account", "passcode": "sim-passcode" }],
 *   "businessEvents": [{ "name": "Program Released", "requiredProperties": ["program_id"], "targets": 1 }],
 *   "maxInFlightPerAccount": 3,
 *   "latencyMs": 0,
 *   "faults": [{ "kind": "5xx", "status": 503, "remaining": 2 }]
 * }
 * Every key is optional. `passcode` alone changes the passcode of the default account.
 */
export interface SimulatorOptions {
  accounts?: SimulatorAccount[];
  passcode?: string;
  businessEvents?: SimulatorBusinessEvent[];
  maxInFlightPerAccount?: number;
  latencyMs?: number;
  faults?: FaultRule[];
}

export interface SimulatorConfig {
  accounts: SimulatorAccount[];
  businessEvents: Required<SimulatorBusinessEvent>[];
  maxInFlightPerAccount: number;
  latencyMs: number;
  faults: FaultRule[];
}

export const DEFAULT_ACCOUNT_ID = 'sim-account';
export const DEFAULT_PASSCODE = 'sim-passcode';

export const DEFAULT_BUSINESS_EVENTS: SimulatorBusinessEvent[] = [
  { name: 'Program Released', requiredProperties: ['program_id'] },
  { name: 'Product Launched', requiredProperties: ['product_category'] },
];

export function resolveSimulatorConfig(options: SimulatorOptions = {}): SimulatorConfig {
  const checked = parseSimulatorOptions(options, 'simulator options');
  return {
    accounts: checked.accounts ?? [{ id: DEFAULT_ACCOUNT_ID, passcode: checked.passcode ?? DEFAULT_PASSCODE }],
    businessEvents: (checked.businessEvents ?? DEFAULT_BUSINESS_EVENTS).map((event) => ({
      name: event.name,
      requiredProperties: [...event.requiredProperties],
      targets: event.targets ?? 1,
    })),
    maxInFlightPerAccount: checked.maxInFlightPerAccount ?? 3,
    latencyMs: checked.latencyMs ?? 0,
    faults: (checked.faults ?? []).map((rule) => ({ ...rule })),
  };
}

export async function loadSimulatorConfigFile(path: string): Promise<SimulatorOptions> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`simulator config ${path}: ${(error as Error).message}`);
  }
  return parseSimulatorOptions(value, `simulator config ${path}`);
}

/** Checks an untrusted value (config file, control API body) and names the first bad field. */
export function parseSimulatorOptions(value: unknown, source: string): SimulatorOptions {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (!isRecord(value)) fail('must be a JSON object');
  const options = value as Record<string, unknown>;
  if (options.accounts !== undefined) {
    if (!Array.isArray(options.accounts) || options.accounts.length === 0) fail('accounts must be a non-empty array');
    (options.accounts as unknown[]).forEach((account, i) => {
      if (!isRecord(account) || !isNonEmptyString(account.id) || !isNonEmptyString(account.passcode)) {
        fail(`accounts[${i}] must be { "id": string, "passcode": string }`);
      }
    });
  }
  if (options.passcode !== undefined && !isNonEmptyString(options.passcode)) fail('passcode must be a non-empty string');
  if (options.businessEvents !== undefined) {
    if (!Array.isArray(options.businessEvents)) fail('businessEvents must be an array');
    (options.businessEvents as unknown[]).forEach((event, i) => checkBusinessEvent(event, `businessEvents[${i}]`, fail));
  }
  if (options.maxInFlightPerAccount !== undefined && !isCount(options.maxInFlightPerAccount, 1)) {
    fail('maxInFlightPerAccount must be an integer >= 1');
  }
  if (options.latencyMs !== undefined && !isCount(options.latencyMs, 0)) fail('latencyMs must be an integer >= 0');
  if (options.faults !== undefined) parseFaultRules(options.faults, `${source}: faults`);
  return options as SimulatorOptions;
}

export function parseFaultRules(value: unknown, source: string): FaultRule[] {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (!Array.isArray(value)) fail('must be an array of fault rules');
  (value as unknown[]).forEach((rule, i) => {
    const where = `[${i}]`;
    if (!isRecord(rule)) return fail(`${where} must be an object`);
    if (!FAULT_KINDS.includes(rule.kind as FaultKind)) fail(`${where}.kind must be one of ${FAULT_KINDS.join(', ')}`);
    if (rule.status !== undefined && !(isCount(rule.status, 100) && (rule.status as number) <= 599)) {
      fail(`${where}.status must be an HTTP status`);
    }
    const rate = rule.rate;
    if (rate !== undefined && !(typeof rate === 'number' && rate >= 0 && rate <= 1)) fail(`${where}.rate must be 0..1`);
    if (rule.remaining !== undefined && !isCount(rule.remaining, 1)) fail(`${where}.remaining must be an integer >= 1`);
    if (rule.accountId !== undefined && !isNonEmptyString(rule.accountId)) fail(`${where}.accountId must be a string`);
  });
  return value as FaultRule[];
}

function checkBusinessEvent(event: unknown, where: string, fail: (message: string) => never): void {
  if (!isRecord(event) || !isNonEmptyString(event.name)) fail(`${where}.name must be a non-empty string`);
  const { requiredProperties, targets } = event as Record<string, unknown>;
  if (!Array.isArray(requiredProperties) || !requiredProperties.every(isNonEmptyString)) {
    fail(`${where}.requiredProperties must be an array of strings`);
  }
  if (targets !== undefined && !isCount(targets, 0)) fail(`${where}.targets must be an integer >= 0`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isCount(value: unknown, min: number): boolean {
  return Number.isInteger(value) && (value as number) >= min;
}
