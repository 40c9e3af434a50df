import { useEffect, useState } from 'preact/hooks';
import { type Api, describeError, filterParams, queryString } from '../api';
import { announce, ErrorAlert } from '../components/alerts';
import { describeFilters, FilterFields } from '../components/filter-fields';
import { ScreenHeading } from '../components/screen-heading';
import { StatusBadge, statusLabel } from '../components/status-badge';
import { formatCount, formatDateTime } from '../format';
import { hrefOf } from '../route';
import { EMPTY_FILTERS, type EventPage, type Filters, STATUSES, type Status, type StatusCounts } from '../types';

/** What the list shows; kept by the app so that coming back from a timeline returns to the same page. */
export interface ListState {
  filters: Filters;
  /** Cursors of the pages walked so far; the last one is the page on screen (undefined = newest). */
  cursors: (string | undefined)[];
  limit: number;
}

export const INITIAL_LIST: ListState = { filters: EMPTY_FILTERS, cursors: [undefined], limit: 25 };

interface Props {
  api: Api;
  list: ListState;
  onList: (list: ListState) => void;
}

export function EventsScreen({ api, list, onList }: Props) {
  const [draft, setDraft] = useState(list.filters);
  const [page, setPage] = useState<EventPage>();
  const [counts, setCounts] = useState<StatusCounts>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const cursor = list.cursors[list.cursors.length - 1];
  const pageNumber = list.cursors.length;

  useEffect(() => setDraft(list.filters), [list.filters]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(undefined);
    api
      .get<EventPage>(`/v1/events${queryString({ ...filterParams(list.filters), limit: list.limit, cursor })}`)
      .then((result) => {
        if (!current) return;
        setPage(result);
        announce(`${result.data.length} events on page ${pageNumber}${result.next_cursor ? '; older events follow' : ''}.`);
      })
      .catch((failure) => current && setError(describeError(failure)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, list]);

  useEffect(() => {
    let current = true;
    const { status: _ignored, ...others } = list.filters;
    api
      .get<StatusCounts>(`/v1/events/counts${queryString(filterParams(others))}`)
      .then((result) => current && setCounts(result))
      .catch(() => current && setCounts(undefined));
    return () => {
      current = false;
    };
  }, [api, list.filters]);

  const apply = (filters: Filters) => onList({ ...list, filters, cursors: [undefined] });
  const onSubmit = (event: Event) => {
    event.preventDefault();
    apply(draft);
  };

  return (
    <>
      <ScreenHeading>Events</ScreenHeading>
      <form class="card filters" role="search" aria-label="Filter events" onSubmit={onSubmit}>
        <FilterFields idPrefix="events" value={draft} onChange={setDraft} />
        <div class="actions">
          <button type="submit" class="primary">
            Apply filters
          </button>
          <button type="button" onClick={() => apply(EMPTY_FILTERS)}>
            Clear
          </button>
        </div>
      </form>

      <StatusCounter counts={counts} selected={list.filters.status} onSelect={(status) => apply({ ...list.filters, status })} />

      <section aria-labelledby="results-heading" aria-busy={loading}>
        <div class="section-head">
          <h2 id="results-heading">
            Results <span class="muted">({describeFilters(list.filters)})</span>
          </h2>
          <div class="field inline">
            <label for="page-size">Rows per page</label>
            <select
              id="page-size"
              value={String(list.limit)}
              onChange={(event) => onList({ ...list, limit: Number(event.currentTarget.value), cursors: [undefined] })}
            >
              {[10, 25, 50, 100].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        {error && <ErrorAlert>Could not load events: {error}</ErrorAlert>}
        {page && <EventTable page={page} />}
        {loading && !page && <p class="muted">Loading events…</p>}
        <nav class="pager" aria-label="Pages of events">
          <button type="button" disabled={pageNumber === 1 || loading} onClick={() => onList({ ...list, cursors: list.cursors.slice(0, -1) })}>
            ← Newer
          </button>
          <span aria-live="polite">Page {pageNumber}</span>
          <button
            type="button"
            disabled={!page?.next_cursor || loading}
            onClick={() => page?.next_cursor && onList({ ...list, cursors: [...list.cursors, page.next_cursor] })}
          >
            Older →
          </button>
        </nav>
      </section>
    </>
  );
}

function StatusCounter({ counts, selected, onSelect }: { counts?: StatusCounts; selected: '' | Status; onSelect: (status: '' | Status) => void }) {
  return (
    <section aria-labelledby="counts-heading" class="counts">
      <h2 id="counts-heading" class="visually-hidden">
        Events by status
      </h2>
      <p class="hint" id="counts-hint">
        Counts for the other filters; choose a status to show only its events.
      </p>
      <ul aria-describedby="counts-hint">
        <li>
          <button type="button" class="count count-all" aria-pressed={selected === ''} onClick={() => onSelect('')}>
            <span class="count-label">All</span> <span class="count-value">{counts ? formatCount(counts.total) : '…'}</span>
          </button>
        </li>
        {STATUSES.map((status) => (
          <li key={status}>
            <button
              type="button"
              class={`count count-${status}`}
              aria-pressed={selected === status}
              onClick={() => onSelect(selected === status ? '' : status)}
            >
              <span class="count-label">{statusLabel(status)}</span>{' '}
              <span class="count-value">{counts ? formatCount(counts.counts[status] ?? 0) : '…'}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EventTable({ page }: { page: EventPage }) {
  if (page.data.length === 0) return <p class="empty">No events match these filters.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive events-table">
        <caption class="visually-hidden">Events, newest first. Open an event to see its timeline.</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Account</th>
            <th scope="col">Partner</th>
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {page.data.map((event) => (
            <tr key={event.id} data-event-id={event.id}>
              <td data-label="Received">
                <time dateTime={event.received_at}>{formatDateTime(event.received_at)}</time>
              </td>
              <td data-label="Event">
                <div>
                  <a href={hrefOf({ screen: 'event', id: event.id })} class="event-link">
                    {event.name || '(no name)'}
                  </a>
                  <span class="sub">{event.business_event}</span>
                </div>
              </td>
              <td data-label="Status">
                <StatusBadge status={event.status} />
              </td>
              <td data-label="Account" class="nowrap">
                {event.account_id}
              </td>
              <td data-label="Partner">{event.partner_name}</td>
              <td data-label="Attempts" class="num">
                {event.attempts}
              </td>
              <td data-label="Last error" class={event.last_error ? 'error-text' : undefined}>
                {event.last_error ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
