import { ACCOUNT_ID, exampleBulletin } from './gateway-harness.js';

export interface SentEvent {
  programId: string;
  httpStatus: number | 'network-error';
  eventId?: string;
  body?: Record<string, unknown>;
}

/** The example bulletin, made unique by its program_id so CleverTap's side of the ledger can be matched. */
export function uniqueBulletin(programId: string) {
  const bulletin = exampleBulletin();
  bulletin.properties.program_id = programId;
  return bulletin;
}

/** Raises `count` bulletins over real HTTP with bounded concurrency; never throws on a failed request. */
export async function raiseMany(
  baseUrl: string,
  key: string,
  count: number,
  options: { concurrency?: number; prefix?: string; async?: boolean; shouldStop?: () => boolean } = {},
): Promise<SentEvent[]> {
  const { concurrency = 10, prefix = 'p', async = true } = options;
  const results: SentEvent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && !options.shouldStop?.()) {
      const programId = `${prefix}-${next++}`;
      results.push(await raiseOne(baseUrl, key, programId, async));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

export async function raiseOne(baseUrl: string, key: string, programId: string, async = true): Promise<SentEvent> {
  try {
    const response = await fetch(`${baseUrl}/1/targets/trigger.json`, {
      method: 'POST',
      headers: {
        'X-CleverTap-Account-Id': ACCOUNT_ID,
        'X-CleverTap-Passcode': key,
        'Content-Type': 'application/json',
        ...(async ? { Prefer: 'respond-async' } : {}),
      },
      body: JSON.stringify(uniqueBulletin(programId)),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as Record<string, unknown>;
    return { programId, httpStatus: response.status, eventId: body.event_id as string | undefined, body };
  } catch {
    return { programId, httpStatus: 'network-error' };
  }
}
