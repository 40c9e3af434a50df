import { useEffect, useState } from 'preact/hooks';
import { type Api, describeError, queryString } from '../api';
import { ErrorAlert } from '../components/alerts';
import { describeWaits, formatWait, WaitChart } from '../components/wait-chart';
import { formatAge, formatCount, formatDateTime } from '../format';
import { type AccountBacklog, type BacklogLine, type Lane, LANES, WAIT_WINDOWS, type WaitSeries, type WaitWindow } from '../operations-types';

export const LOAD_REFRESH_MS = 5_000;

const LANE_LABELS: Record<Lane, string> = { live: 'Live', retry: 'Retry', replay: 'Replay' };
const WINDOW_LABELS: Record<WaitWindow, string> = { '15m': '15 minutes', '1h': 'hour', '6h': '6 hours', '24h': '24 hours' };

/** Calls `load` now and every LOAD_REFRESH_MS while the inputs stay the same; the last answer wins. */
function usePolled<T>(load: () => Promise<T>, inputs: unknown[]): { data?: T; error?: string; updatedAt?: string } {
  const [state, setState] = useState<{ data?: T; error?: string; updatedAt?: string }>({});
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () =>
      load()
        .then((data) => current && setState({ data, updatedAt: new Date().toISOString() }))
        .catch((failure) => current && setState((previous) => ({ ...previous, error: describeError(failure) })))
        .finally(() => {
          if (current) timer = setTimeout(run, LOAD_REFRESH_MS);
        });
    void run();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, inputs);
  return state;
}

interface PartnerRow {
  partnerId: string;
  partnerName: string;
  lanes: Partial<Record<Lane, BacklogLine>>;
  waiting: number;
  inFlight: number;
  oldest: number;
}

function partnerRows(lines: BacklogLine[]): PartnerRow[] {
  const rows = new Map<string, PartnerRow>();
  for (const line of lines) {
    const row = rows.get(line.partner_id) ?? { partnerId: line.partner_id, partnerName: line.partner_name, lanes: {}, waiting: 0, inFlight: 0, oldest: 0 };
    row.lanes[line.lane] = line;
    row.waiting += line.queued + line.retrying;
    row.inFlight += line.in_flight;
    row.oldest = Math.max(row.oldest, line.oldest_age_seconds);
    rows.set(line.partner_id, row);
  }
  return [...rows.values()];
}

/** The backlog and the wait chart, which offers the backlog's accounts as its filter. */
export function LoadPanels({ api }: { api: Api }) {
  const backlog = usePolled(() => api.get<{ data: AccountBacklog[] }>('/v1/accounts/backlog').then((answer) => answer.data), [api]);
  const accounts = backlog.data?.map((account) => account.account_id) ?? [];
  return (
    <>
      <BacklogPanel {...backlog} />
      <WaitPanel api={api} accounts={accounts} />
    </>
  );
}

/** Each configured account's waiting events by partner and lane: who is queued where, and since when. */
function BacklogPanel({ data, error, updatedAt }: { data?: AccountBacklog[]; error?: string; updatedAt?: string }) {
  return (
    <section class="card" aria-labelledby="backlog-heading" aria-busy={!data && !error}>
      <h2 id="backlog-heading">Backlog by partner and lane</h2>
      <p class="hint">
        Events waiting for an attempt (queued or retrying) on each account, per partner, in the lanes the dispatcher serves in order: live
        first attempts, then retries, then replays. Refreshed every {LOAD_REFRESH_MS / 1000} s
        {updatedAt && (
          <>
            ; last at <time dateTime={updatedAt}>{formatDateTime(updatedAt)}</time>
          </>
        )}
        .
      </p>
      {error && <ErrorAlert>Could not load the backlog: {error}</ErrorAlert>}
      {!data && !error && <p class="muted">Loading the backlog…</p>}
      {data?.length === 0 && <p class="empty">No CleverTap account is configured.</p>}
      {data?.map((account) => <AccountBacklogView key={account.account_id} account={account} />)}
      {data?.some((account) => account.lines.length > 0) && (
        <ul class="chart-legend" aria-hidden="true">
          {LANES.map((lane) => (
            <li key={lane}>
              <span class={`swatch stack-${lane}`} /> {LANE_LABELS[lane].toLowerCase()}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AccountBacklogView({ account }: { account: AccountBacklog }) {
  const rows = partnerRows(account.lines);
  const headingId = `backlog-${account.account_id.replace(/[^\w-]/g, '_')}`;
  const widest = Math.max(1, ...rows.map((row) => row.waiting));
  return (
    <div class="backlog-account" data-backlog-account={account.account_id}>
      <h3 id={headingId}>
        {account.account_id}{' '}
        <span class="muted">
          — {formatCount(account.queued)} queued, {formatCount(account.retrying)} retrying, {formatCount(account.in_flight)} in flight
        </span>
      </h3>
      {rows.length === 0 ? (
        <p class="hint">Nothing waiting.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive backlog-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                {LANES.map((lane) => (
                  <th scope="col" class="num" key={lane}>
                    {LANE_LABELS[lane]}
                  </th>
                ))}
                <th scope="col" class="num">
                  Waiting
                </th>
                <th scope="col">Oldest</th>
                <th scope="col">Share of the backlog</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.partnerId} data-partner-id={row.partnerId}>
                  <th scope="row" data-label="Partner">
                    {row.partnerName}
                  </th>
                  {LANES.map((lane) => {
                    const line = row.lanes[lane];
                    return (
                      <td key={lane} class="num" data-label={LANE_LABELS[lane]} data-lane={lane}>
                        {line ? (
                          <div>
                            {formatCount(line.queued + line.retrying)}
                            {(line.in_flight > 0 || line.retrying > 0) && (
                              <span class="sub">
                                {[line.in_flight > 0 && `${line.in_flight} in flight`, line.retrying > 0 && `${line.retrying} retrying`].filter(Boolean).join(', ')}
                              </span>
                            )}
                          </div>
                        ) : (
                          '0'
                        )}
                      </td>
                    );
                  })}
                  <td class="num" data-label="Waiting">
                    {formatCount(row.waiting)}
                  </td>
                  <td data-label="Oldest">{formatAge(row.oldest)}</td>
                  <td data-label="Share" aria-hidden="true">
                    <span class="stack" style={{ width: `${Math.max(4, (row.waiting / widest) * 100)}%` }}>
                      {LANES.map((lane) => {
                        const line = row.lanes[lane];
                        const count = line ? line.queued + line.retrying : 0;
                        return count > 0 ? <span key={lane} class={`stack-${lane}`} style={{ flexGrow: count }} /> : null;
                      })}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The wait from acceptance to first attempt over the last hour (or another window), as a chart. */
function WaitPanel({ api, accounts }: { api: Api; accounts: string[] }) {
  const [account, setAccount] = useState('');
  const [span, setSpan] = useState<WaitWindow>('1h');
  const { data, error, updatedAt } = usePolled(
    () => api.get<WaitSeries>(`/v1/accounts/wait${queryString({ window: span, account: account || undefined })}`),
    [api, span, account],
  );
  const period = WINDOW_LABELS[span];
  const shown = data && data.window === span && (data.account_id ?? '') === account ? data : undefined;
  const filled = shown?.buckets.filter((bucket) => bucket.count > 0) ?? [];
  return (
    <section class="card" aria-labelledby="wait-heading" aria-busy={!shown && !error}>
      <div class="section-head">
        <h2 id="wait-heading">Wait before the first attempt</h2>
        <div class="chart-controls">
          <div class="field inline">
            <label for="wait-account">Account</label>
            <select id="wait-account" value={account} onChange={(event) => setAccount(event.currentTarget.value)}>
              <option value="">All accounts</option>
              {accounts.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div class="field inline">
            <label for="wait-window">Period</label>
            <select id="wait-window" value={span} onChange={(event) => setSpan(event.currentTarget.value as WaitWindow)}>
              {WAIT_WINDOWS.map((option) => (
                <option key={option} value={option}>
                  Last {WINDOW_LABELS[option]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <p class="hint">
        From the moment the gateway accepted an event to the start of its first request to CleverTap, by the minute the attempt started
        {shown ? ` (${shown.bucket_seconds >= 60 ? `${shown.bucket_seconds / 60} min` : `${shown.bucket_seconds} s`} buckets)` : ''}. Read from
        the log, so it covers every gateway process. Refreshed every {LOAD_REFRESH_MS / 1000} s
        {updatedAt && (
          <>
            ; last at <time dateTime={updatedAt}>{formatDateTime(updatedAt)}</time>
          </>
        )}
        .
      </p>
      {error && <ErrorAlert>Could not load the wait: {error}</ErrorAlert>}
      {!shown && !error && <p class="muted">Loading the wait…</p>}
      {shown && (
        <>
          <p class="chart-summary" data-testid="wait-summary">
            {describeWaits(shown, period)}
          </p>
          {shown.overall.count > 0 && <WaitChart series={shown} id="wait-chart" title={`Wait before the first attempt, last ${period}`} period={period} />}
          {filled.some((bucket) => bucket.sampled) && (
            <p class="hint">Busy moments are summarised from their first {formatCount(shown.sample_limit)} attempts (marked *).</p>
          )}
          {filled.length > 0 && (
            <details class="chart-table">
              <summary>The figures as a table</summary>
              <div class="table-wrap">
                <table class="responsive wait-table">
                  <caption class="visually-hidden">Wait before the first attempt by period, the busiest periods marked with a star</caption>
                  <thead>
                    <tr>
                      <th scope="col">From</th>
                      <th scope="col" class="num">
                        First attempts
                      </th>
                      <th scope="col" class="num">
                        Median
                      </th>
                      <th scope="col" class="num">
                        95th percentile
                      </th>
                      <th scope="col" class="num">
                        Maximum
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {filled.map((bucket) => (
                      <tr key={bucket.start}>
                        <th scope="row" data-label="From">
                          <time dateTime={bucket.start}>{formatDateTime(bucket.start)}</time>
                        </th>
                        <td class="num" data-label="First attempts">
                          {formatCount(bucket.count)}
                          {bucket.sampled ? '*' : ''}
                        </td>
                        <td class="num" data-label="Median">
                          {formatWait(bucket.p50_ms)}
                        </td>
                        <td class="num" data-label="95th percentile">
                          {formatWait(bucket.p95_ms)}
                        </td>
                        <td class="num" data-label="Maximum">
                          {formatWait(bucket.max_ms)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          )}
        </>
      )}
    </section>
  );
}
