import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, describeError, filterParams } from '../api';
import { announce, ErrorAlert, Notice } from '../components/alerts';
import { Fact } from '../components/fact';
import { describeFilters, FilterFields } from '../components/filter-fields';
import { ScreenHeading } from '../components/screen-heading';
import { StatusBadge } from '../components/status-badge';
import { formatAge, formatCount, formatDateTime } from '../format';
import { hrefOf } from '../route';
import { LoadPanels } from './operations-load';
import { PartnerSettingsPanel } from './partner-settings';
import {
  type AccountOverview,
  canOperate,
  type Filters,
  type Identity,
  type ReplayPreview,
  type ReplayProgress,
  type ReplayStarted,
} from '../types';

const ACCOUNTS_REFRESH_MS = 10_000;
const PROGRESS_POLL_MS = 1_000;

interface Props {
  api: Api;
  identity: Identity;
  filters: Filters;
}

/**
 * Accounts, their backlog by partner and lane, the wait before the first attempt, partner settings (admins)
 * and replays: operator and admin keys only (the API refuses the others as well).
 */
export function OperationsScreen({ api, identity, filters }: Props) {
  if (!canOperate(identity.role))
    return (
      <>
        <ScreenHeading>Operations</ScreenHeading>
        <ErrorAlert>
          Operations are open to operator and admin keys only. You are signed in as {identity.name} with the {identity.role} role.
        </ErrorAlert>
      </>
    );
  return (
    <>
      <ScreenHeading>Operations</ScreenHeading>
      <AccountsPanel api={api} />
      <LoadPanels api={api} />
      {identity.role === 'admin' && <PartnerSettingsPanel api={api} />}
      <ReplayPanel api={api} identity={identity} initialFilters={filters} />
    </>
  );
}

const CIRCUIT_LABELS: Record<string, string> = {
  closed: 'Closed (sending)',
  open: 'Open (paused after failures)',
  half_open: 'Half-open (probing)',
  paused: 'Paused (credentials rejected)',
};

function AccountsPanel({ api }: { api: Api }) {
  const [accounts, setAccounts] = useState<AccountOverview[]>();
  const [updatedAt, setUpdatedAt] = useState<string>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    api
      .get<{ data: AccountOverview[] }>('/v1/accounts')
      .then((result) => {
        if (!current) return;
        setAccounts(result.data);
        setUpdatedAt(new Date().toISOString());
        setError(undefined);
      })
      .catch((failure) => current && setError(describeError(failure)));
    const timer = setTimeout(() => setTick((n) => n + 1), ACCOUNTS_REFRESH_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, tick]);

  return (
    <section class="card" aria-labelledby="accounts-heading">
      <div class="section-head">
        <h2 id="accounts-heading">CleverTap accounts</h2>
        <button type="button" onClick={() => setTick((n) => n + 1)}>
          Refresh
        </button>
      </div>
      <p class="hint">
        Refreshed every {ACCOUNTS_REFRESH_MS / 1000} s
        {updatedAt && (
          <>
            ; last at <time dateTime={updatedAt}>{formatDateTime(updatedAt)}</time>
          </>
        )}
        .
      </p>
      {error && <ErrorAlert>Could not load the accounts: {error}</ErrorAlert>}
      {accounts && accounts.length === 0 && <p class="empty">No CleverTap account is configured.</p>}
      {accounts && accounts.length > 0 && (
        <div class="table-wrap">
          <table class="responsive accounts-table">
            <caption class="visually-hidden">CleverTap accounts with circuit state, requests in flight, queue depth and oldest queued event</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Circuit</th>
                <th scope="col">In flight / limit</th>
                <th scope="col" class="num">
                  Queue depth
                </th>
                <th scope="col">Oldest queued</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.account_id} data-account-id={account.account_id}>
                  <th scope="row" data-label="Account">
                    {account.account_id}
                  </th>
                  <td data-label="Circuit">
                    <div>
                      <span class={`badge circuit-${account.circuit}`}>{CIRCUIT_LABELS[account.circuit] ?? account.circuit}</span>
                      {account.open_until && account.circuit !== 'closed' && (
                        <span class="sub">
                          until <time dateTime={account.open_until}>{formatDateTime(account.open_until)}</time>
                        </span>
                      )}
                    </div>
                  </td>
                  <td data-label="In flight / limit">
                    <span class="meter-row">
                      <meter min={0} max={account.limit} value={account.in_flight} aria-label={`${account.in_flight} of ${account.limit} in flight`} />
                      <span>
                        {account.in_flight} / {account.limit}
                      </span>
                    </span>
                  </td>
                  <td data-label="Queue depth" class="num">
                    {formatCount(account.queue_depth)}
                  </td>
                  <td data-label="Oldest queued">{formatAge(account.oldest_queued_age_seconds)}</td>
                  <td data-label="Reason">{account.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type ReplayPhase =
  | { step: 'edit' }
  | { step: 'previewing' }
  | { step: 'previewed'; preview: ReplayPreview; idempotencyKey: string }
  | { step: 'starting'; preview: ReplayPreview; idempotencyKey: string }
  | { step: 'running'; started: ReplayStarted; progress?: ReplayProgress };

/** 128 random bits in hex; crypto.randomUUID needs a secure context, which a gateway on plain HTTP is not. */
const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The replay flow: a dry run first (count and sample), a reason that is required, then the real replay
 * and its progress. Changing anything after the dry run asks for a new one, so what is replayed is what
 * was shown.
 */
function ReplayPanel({ api, identity, initialFilters }: { api: Api; identity: Identity; initialFilters: Filters }) {
  const [filters, setFilters] = useState(initialFilters);
  const [includeUncertain, setIncludeUncertain] = useState(false);
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<string>();
  const [phase, setPhase] = useState<ReplayPhase>({ step: 'edit' });
  const reasonInput = useRef<HTMLTextAreaElement>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const progressHeading = useRef<HTMLHeadingElement>(null);
  const locked = phase.step === 'starting' || phase.step === 'running';

  const edited = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPhase({ step: 'edit' });
  };

  const body = (dryRun: boolean) => ({
    ...filterParams(filters),
    reason: reason.trim(),
    dry_run: dryRun,
    ...(includeUncertain ? { include_uncertain: true } : {}),
    ...(force ? { force: true } : {}),
  });

  const checkReason = () => {
    if (reason.trim()) return true;
    setReasonError('Say why these events are being replayed: the reason is kept in the log with the replay.');
    reasonInput.current?.focus();
    return false;
  };

  const preview = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!checkReason()) return;
    setPhase({ step: 'previewing' });
    try {
      const result = await api.post<ReplayPreview>('/v1/replays', body(true));
      // One key per previewed replay: starting it again after a lost answer cannot record a second replay.
      setPhase({ step: 'previewed', preview: result, idempotencyKey: randomKey() });
      announce(`Dry run: ${result.will_queue} of ${result.matched} matching events would be queued.`);
      setTimeout(() => previewHeading.current?.focus(), 0);
    } catch (failure) {
      setError(describeError(failure));
      setPhase({ step: 'edit' });
    }
  };

  const start = async () => {
    if (phase.step !== 'previewed' || !checkReason()) return;
    setError(undefined);
    const { preview: previewed, idempotencyKey } = phase;
    setPhase({ step: 'starting', preview: previewed, idempotencyKey });
    try {
      const started = await api.post<ReplayStarted>('/v1/replays', body(false), { 'Idempotency-Key': `"${idempotencyKey}"` });
      setPhase({ step: 'running', started });
      announce(`Replay started: ${started.queued} events queued.`);
      setTimeout(() => progressHeading.current?.focus(), 0);
    } catch (failure) {
      setError(describeError(failure));
      setPhase({ step: 'previewed', preview: previewed, idempotencyKey });
    }
  };

  const replayId = phase.step === 'running' ? phase.started.id : undefined;
  const done = phase.step === 'running' && phase.progress?.done;
  useEffect(() => {
    if (!replayId || done) return;
    let current = true;
    const poll = async () => {
      try {
        const progress = await api.get<ReplayProgress>(`/v1/replays/${encodeURIComponent(replayId)}`);
        if (!current) return;
        setPhase((previous) => (previous.step === 'running' ? { ...previous, progress } : previous));
        if (progress.done) announce(`Replay finished: ${progress.sent} sent, ${progress.failed} failed.`);
      } catch (failure) {
        if (current) setError(describeError(failure));
      }
    };
    void poll();
    const timer = setInterval(poll, PROGRESS_POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [api, replayId, done]);

  const reset = () => {
    setPhase({ step: 'edit' });
    setReason('');
    setError(undefined);
  };

  return (
    <section class="card" aria-labelledby="replay-heading">
      <h2 id="replay-heading">Replay</h2>
      <p class="hint">
        Re-sends failed and exhausted events that match the filter; pending events are never queued twice. Always starts with a dry run.
      </p>
      <form method="post" action="" noValidate onSubmit={preview} aria-labelledby="replay-heading">
        <fieldset disabled={locked}>
          <legend>Which events</legend>
          <FilterFields idPrefix="replay" value={filters} onChange={edited(setFilters)} />
          <label class="choice">
            <input type="checkbox" checked={includeUncertain} onChange={(event) => edited(setIncludeUncertain)(event.currentTarget.checked)} />
            Include uncertain events (CleverTap may already have raised them: users could be notified twice)
          </label>
          {identity.role === 'admin' && (
            <label class="choice">
              <input type="checkbox" checked={force} onChange={(event) => edited(setForce)(event.currentTarget.checked)} />
              Force: re-send events that were already sent (admin only; recorded)
            </label>
          )}
        </fieldset>
        <fieldset disabled={locked}>
          <legend>Why</legend>
          <div class="field">
            <label for="replay-reason">
              Reason <span aria-hidden="true">(required)</span>
            </label>
            <textarea
              ref={reasonInput}
              id="replay-reason"
              name="reason"
              rows={2}
              maxLength={1000}
              required
              aria-required="true"
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? 'replay-reason-error replay-reason-hint' : 'replay-reason-hint'}
              value={reason}
              onInput={(event) => {
                setReason(event.currentTarget.value);
                if (event.currentTarget.value.trim()) setReasonError(undefined);
              }}
            />
            <span class="hint" id="replay-reason-hint">
              Kept in the log with the replay, e.g. "CleverTap outage 26 Nov".
            </span>
            {reasonError && (
              <span class="field-error" id="replay-reason-error" role="alert">
                {reasonError}
              </span>
            )}
          </div>
        </fieldset>
        {error && <ErrorAlert>Replay refused: {error}</ErrorAlert>}
        <div class="actions">
          <button type="submit" class={phase.step === 'edit' ? 'primary' : ''} disabled={locked || phase.step === 'previewing'}>
            {phase.step === 'previewing' ? 'Counting…' : 'Dry run: count and sample'}
          </button>
        </div>
      </form>

      {(phase.step === 'previewed' || phase.step === 'starting') && (
        <PreviewView preview={phase.preview} filters={filters} headingRef={previewHeading} busy={phase.step === 'starting'} onStart={start} />
      )}
      {phase.step === 'running' && (
        <ProgressView started={phase.started} progress={phase.progress} headingRef={progressHeading} onReset={reset} />
      )}
    </section>
  );
}

function PreviewView({
  preview,
  filters,
  headingRef,
  busy,
  onStart,
}: {
  preview: ReplayPreview;
  filters: Filters;
  headingRef: { current: HTMLHeadingElement | null };
  busy: boolean;
  onStart: () => void;
}) {
  return (
    <div class="preview" data-testid="replay-preview">
      <h3 ref={headingRef} tabIndex={-1}>
        Dry run: {formatCount(preview.will_queue)} of {formatCount(preview.matched)} matching events would be queued
      </h3>
      <p class="hint">Filter: {describeFilters(filters)}</p>
      <dl class="facts counts-grid">
        <Fact term="Matched">{formatCount(preview.matched)}</Fact>
        <Fact term="Will be queued">{formatCount(preview.will_queue)}</Fact>
        <Fact term="Already pending (left alone)">{formatCount(preview.already_pending)}</Fact>
        <Fact term="Uncertain, skipped">{formatCount(preview.skipped_uncertain)}</Fact>
        <Fact term="Already sent, skipped">{formatCount(preview.skipped_sent)}</Fact>
      </dl>
      {preview.sample.length > 0 && (
        <div class="table-wrap">
          <table class="responsive sample-table">
            <caption>Sample of the events to be queued (first {preview.sample.length})</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Account</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((event) => (
                <tr key={event.id}>
                  <td data-label="Event">
                    <div>
                      <a href={hrefOf({ screen: 'event', id: event.id })}>{event.name || '(no name)'}</a>
                      <span class="sub">{event.business_event}</span>
                    </div>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={event.status} />
                  </td>
                  <td data-label="Account">{event.account_id}</td>
                  <td data-label="Last error" class={event.last_error ? 'error-text' : undefined}>
                    {event.last_error ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.will_queue === 0 ? (
        <Notice>Nothing to replay with this filter.</Notice>
      ) : (
        <div class="actions">
          <button type="button" class="primary danger" onClick={onStart} disabled={busy} aria-busy={busy}>
            {busy ? 'Starting…' : `Replay ${formatCount(preview.will_queue)} events`}
          </button>
        </div>
      )}
    </div>
  );
}

function ProgressView({
  started,
  progress,
  headingRef,
  onReset,
}: {
  started: ReplayStarted;
  progress?: ReplayProgress;
  headingRef: { current: HTMLHeadingElement | null };
  onReset: () => void;
}) {
  const queued = progress?.queued ?? started.queued;
  const finished = progress ? progress.sent + progress.failed : 0;
  return (
    <div class="progress-panel" data-testid="replay-progress">
      <h3 ref={headingRef} tabIndex={-1}>
        {progress?.done ? 'Replay finished' : 'Replay in progress'}
      </h3>
      <p class="hint">
        Replay <code>{started.id}</code>
        {progress ? ` by ${progress.requested_by}: "${progress.reason}"` : ''}
      </p>
      <label for="replay-progress-bar">
        {formatCount(finished)} of {formatCount(queued)} queued events finished
      </label>
      <progress id="replay-progress-bar" max={Math.max(queued, 1)} value={queued === 0 ? 1 : finished} />
      <dl class="facts counts-grid" aria-live="polite">
        <Fact term="Matched">{formatCount(progress?.matched ?? started.matched)}</Fact>
        <Fact term="Queued">{formatCount(queued)}</Fact>
        <Fact term="Sent">{formatCount(progress?.sent ?? 0)}</Fact>
        <Fact term="Failed">{formatCount(progress?.failed ?? 0)}</Fact>
        <Fact term="Pending">{formatCount(progress?.pending ?? queued)}</Fact>
        <Fact term="State">{progress?.done ? 'done' : 'running'}</Fact>
      </dl>
      {progress?.done && (
        <div class="actions">
          <button type="button" onClick={onReset}>
            Start another replay
          </button>
        </div>
      )}
    </div>
  );
}
