import type { DispatchSettings } from '../config/gateway-config.js';
import type { AttemptOutcome, EventStatus } from '../event-log/event-status.js';
import { CleverTapClient, type UpstreamResult } from './clevertap-client.js';

/** What one upstream attempt amounted to (see docs/runbook.md for each outcome), with the details the log keeps. */
export interface AttemptVerdict {
  outcome: AttemptOutcome;
  httpStatus?: number;
  clevertapStatus?: string;
  targets?: number;
  error?: string;
  errorCode?: string;
}

export function judgeUpstreamResult(result: UpstreamResult, timeoutMs: number): AttemptVerdict {
  if (result.kind === 'network-error') {
    if (CleverTapClient.isTimeoutAfterSend(result.code))
      return {
        outcome: 'uncertain',
        error: `CleverTap did not answer within ${timeoutMs} ms after the request was sent`,
        errorCode: result.code,
      };
    return { outcome: 'transient', error: `Could not reach CleverTap (${result.code})`, errorCode: result.code };
  }
  const body = isObject(result.body) ? result.body : undefined;
  const details = {
    httpStatus: result.httpStatus,
    clevertapStatus: typeof body?.status === 'string' ? body.status : undefined,
    error: typeof body?.error === 'string' ? body.error : undefined,
    errorCode: body?.code !== undefined ? String(body.code) : undefined,
  };
  return { outcome: outcomeOfResponse(result.httpStatus, details.clevertapStatus), ...details, ...targetsOf(body) };
}

function outcomeOfResponse(httpStatus: number, clevertapStatus: string | undefined): AttemptOutcome {
  if (httpStatus === 401 || httpStatus === 403) return 'credentials_rejected';
  if (httpStatus === 429 || httpStatus === 408 || httpStatus >= 500) return 'transient';
  // The body's status is the truth: CleverTap has answered HTTP 200 with "status":"fail" or "partial".
  if (httpStatus >= 200 && httpStatus < 300) {
    if (clevertapStatus === 'success') return 'sent';
    if (clevertapStatus === 'fail' || clevertapStatus === 'partial') return 'failed';
    // A 2xx we cannot read: CleverTap may have raised the bulletin, so resending blindly is not safe.
    return 'uncertain';
  }
  return 'failed';
}

function targetsOf(body: Record<string, unknown> | undefined): { targets?: number } {
  return typeof body?.targets === 'number' ? { targets: body.targets } : {};
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface NextStep {
  status: EventStatus;
  nextAttemptAt?: Date;
  transientFailures: number;
}

/** Turns a verdict into the event's next status, per the retry schedule and the uncertain policy. */
export function nextStep(
  verdict: AttemptVerdict,
  transientFailuresSoFar: number,
  settings: Pick<DispatchSettings, 'retryScheduleMs' | 'uncertainPolicy'>,
  now = new Date(),
  random = Math.random,
): NextStep {
  const unchanged = { transientFailures: transientFailuresSoFar };
  switch (verdict.outcome) {
    case 'sent':
      return { status: 'sent', ...unchanged };
    case 'failed':
      return { status: 'failed', ...unchanged };
    case 'credentials_rejected':
      // Not the event's fault: it waits, unburnt, until the account's credentials work again.
      return { status: 'queued', nextAttemptAt: now, ...unchanged };
    case 'uncertain':
      if (settings.uncertainPolicy === 'park') return { status: 'uncertain', ...unchanged };
      return scheduleRetry(transientFailuresSoFar + 1, settings.retryScheduleMs, now, random);
    case 'transient':
      return scheduleRetry(transientFailuresSoFar + 1, settings.retryScheduleMs, now, random);
  }
}

function scheduleRetry(failures: number, scheduleMs: number[], now: Date, random: () => number): NextStep {
  if (failures > scheduleMs.length) return { status: 'exhausted', transientFailures: failures };
  // ±20% jitter so events that failed together do not all come back in the same instant.
  const delay = scheduleMs[failures - 1] * (0.8 + 0.4 * random());
  return { status: 'retrying', nextAttemptAt: new Date(now.getTime() + delay), transientFailures: failures };
}
