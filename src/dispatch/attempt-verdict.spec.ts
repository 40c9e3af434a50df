import type { AttemptOutcome } from '../event-log/event-status.js';
import { type AttemptVerdict, judgeUpstreamResult, nextStep } from './attempt-verdict.js';
import type { UpstreamResult } from './clevertap-client.js';

const TIMEOUT_MS = 10_000;
const response = (httpStatus: number, body: unknown): UpstreamResult => ({ kind: 'response', httpStatus, body, latencyMs: 12 });
const networkError = (code: string, requestSent = true): UpstreamResult => ({ kind: 'network-error', requestSent, code, latencyMs: 12 });

describe('judgeUpstreamResult', () => {
  it('counts 200 + status success as sent, with its targets', () => {
    expect(judgeUpstreamResult(response(200, { status: 'success', targets: 7 }), TIMEOUT_MS)).toEqual({
      outcome: 'sent',
      httpStatus: 200,
      clevertapStatus: 'success',
      targets: 7,
    });
  });

  it('keeps zero targets', () => {
    expect(judgeUpstreamResult(response(200, { status: 'success', targets: 0 }), TIMEOUT_MS)).toMatchObject({
      outcome: 'sent',
      targets: 0,
    });
  });

  it.each([
    ['fail', { status: 'fail', error: 'Business Event Not Found', code: 400 }],
    ['partial', { status: 'partial', error: 'Some targets were skipped', code: 200 }],
  ])('counts 200 + status %s as a permanent failure', (status, body) => {
    expect(judgeUpstreamResult(response(200, body), TIMEOUT_MS)).toEqual({
      outcome: 'failed',
      httpStatus: 200,
      clevertapStatus: status,
      error: body.error,
      errorCode: String(body.code),
    });
  });

  it.each([
    ['Business Event Not Found'],
    ['Property value exceeds 512 bytes'],
    ['Invalid JSON'],
  ])('counts a 400 "%s" as a permanent failure with the vendor text and code', (error) => {
    expect(judgeUpstreamResult(response(400, { status: 'fail', error, code: 400 }), TIMEOUT_MS)).toEqual({
      outcome: 'failed',
      httpStatus: 400,
      clevertapStatus: 'fail',
      error,
      errorCode: '400',
    });
  });

  it('counts a 400 without a readable body as a permanent failure', () => {
    expect(judgeUpstreamResult(response(400, 'Bad Request'), TIMEOUT_MS)).toMatchObject({
      outcome: 'failed',
      httpStatus: 400,
    });
  });

  it.each([401, 403])('counts %d as rejected credentials, not as the event failing', (httpStatus) => {
    const body = { status: 'fail', error: 'Invalid Credentials', code: httpStatus };
    expect(judgeUpstreamResult(response(httpStatus, body), TIMEOUT_MS)).toMatchObject({
      outcome: 'credentials_rejected',
      httpStatus,
      error: 'Invalid Credentials',
    });
  });

  it.each([429, 408, 500, 502, 503, 504])('counts %d as transient', (httpStatus) => {
    const body = { status: 'fail', error: 'busy', code: httpStatus };
    expect(judgeUpstreamResult(response(httpStatus, body), TIMEOUT_MS)).toMatchObject({ outcome: 'transient', httpStatus });
  });

  it.each([
    ['an HTML page', '<html>ok</html>'],
    ['an empty body', ''],
    ['null', null],
    ['an array', [{ status: 'success' }]],
    ['an object without status', { targets: 1 }],
    ['an unknown status', { status: 'accepted' }],
  ])('counts a 2xx with %s as uncertain: CleverTap may have raised the bulletin', (_case, body) => {
    expect(judgeUpstreamResult(response(200, body), TIMEOUT_MS)).toMatchObject({ outcome: 'uncertain', httpStatus: 200 });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET', 'UND_ERR_SOCKET'])(
    'counts the network error %s as transient',
    (code) => {
      const verdict = judgeUpstreamResult(networkError(code), TIMEOUT_MS);
      expect(verdict).toEqual({ outcome: 'transient', error: expect.stringContaining(code), errorCode: code });
    },
  );

  it.each(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])(
    'counts %s, a timeout after the request was sent, as uncertain',
    (code) => {
      const verdict = judgeUpstreamResult(networkError(code), TIMEOUT_MS);
      expect(verdict).toEqual({ outcome: 'uncertain', error: expect.stringContaining('10000 ms'), errorCode: code });
    },
  );
});

describe('nextStep', () => {
  const SCHEDULE = [1000, 10_000, 60_000];
  const park = { retryScheduleMs: SCHEDULE, uncertainPolicy: 'park' as const };
  const retry = { retryScheduleMs: SCHEDULE, uncertainPolicy: 'retry' as const };
  const now = new Date('2030-01-01T00:00:00.000Z');
  const verdict = (outcome: AttemptOutcome): AttemptVerdict => ({ outcome });
  const at = (msAfterNow: number) => new Date(now.getTime() + msAfterNow);

  it.each<[AttemptOutcome, string]>([
    ['sent', 'sent'],
    ['failed', 'failed'],
  ])('makes %s final, with no further attempt', (outcome, status) => {
    expect(nextStep(verdict(outcome), 2, park, now)).toEqual({ status, transientFailures: 2 });
  });

  it('queues the event again at once on rejected credentials, without counting a failure', () => {
    expect(nextStep(verdict('credentials_rejected'), 2, park, now)).toEqual({
      status: 'queued',
      nextAttemptAt: now,
      transientFailures: 2,
    });
  });

  it('schedules the first transient failure after the first delay', () => {
    expect(nextStep(verdict('transient'), 0, park, now, () => 0.5)).toEqual({
      status: 'retrying',
      nextAttemptAt: at(1000),
      transientFailures: 1,
    });
  });

  it.each([
    [0, 0.8],
    [0.5, 1],
    [1, 1.2],
  ])('jitters the delay by ±20%% (random %d gives %d of the delay)', (random, factor) => {
    const step = nextStep(verdict('transient'), 1, park, now, () => random);
    expect(step.nextAttemptAt).toEqual(at(10_000 * factor));
  });

  it('walks the schedule, then is exhausted after the last delay', () => {
    const delays: number[] = [];
    let failures = 0;
    for (;;) {
      const step = nextStep(verdict('transient'), failures, park, now, () => 0.5);
      failures = step.transientFailures;
      if (step.status !== 'retrying') {
        expect(step).toEqual({ status: 'exhausted', transientFailures: SCHEDULE.length + 1 });
        break;
      }
      delays.push(step.nextAttemptAt!.getTime() - now.getTime());
    }
    expect(delays).toEqual(SCHEDULE);
  });

  it('keeps every jittered delay within ±20% of its slot', () => {
    for (let failures = 0; failures < SCHEDULE.length; failures++) {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999]) {
        const delay = nextStep(verdict('transient'), failures, park, now, () => random).nextAttemptAt!.getTime() - now.getTime();
        expect(delay).toBeGreaterThanOrEqual(SCHEDULE[failures] * 0.8);
        expect(delay).toBeLessThanOrEqual(SCHEDULE[failures] * 1.2);
      }
    }
  });

  it('exhausts at once with an empty schedule', () => {
    expect(nextStep(verdict('transient'), 0, { ...park, retryScheduleMs: [] }, now)).toEqual({
      status: 'exhausted',
      transientFailures: 1,
    });
  });

  it('parks an uncertain attempt under the park policy, with no further attempt', () => {
    expect(nextStep(verdict('uncertain'), 1, park, now)).toEqual({ status: 'uncertain', transientFailures: 1 });
  });

  it('schedules an uncertain attempt like a transient one under the retry policy', () => {
    for (const failures of [0, 1, 2, 3]) {
      expect(nextStep(verdict('uncertain'), failures, retry, now, () => 0.3)).toEqual(
        nextStep(verdict('transient'), failures, retry, now, () => 0.3),
      );
    }
    expect(nextStep(verdict('uncertain'), 0, retry, now, () => 0.5)).toEqual({
      status: 'retrying',
      nextAttemptAt: at(1000),
      transientFailures: 1,
    });
    expect(nextStep(verdict('uncertain'), 3, retry, now)).toEqual({ status: 'exhausted', transientFailures: 4 });
  });
});
