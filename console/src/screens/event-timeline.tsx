import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, describeError } from '../api';
import { ErrorAlert } from '../components/alerts';
import { Fact } from '../components/fact';
import { ScreenHeading } from '../components/screen-heading';
import { StatusBadge } from '../components/status-badge';
import { formatDateTime } from '../format';
import { ProofPanel } from '../proof/proof-panel';
import type { AttemptEntry, EventDetail, ReplayEntry, TimelineEntry } from '../types';

/** One event: what was received, every attempt and every replay, oldest first. */
export function EventScreen({ api, id }: { api: Api; id: string }) {
  const [event, setEvent] = useState<EventDetail>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    setEvent(undefined);
    setError(undefined);
    api
      .get<EventDetail>(`/v1/events/${encodeURIComponent(id)}`)
      .then((result) => current && setEvent(result))
      .catch((failure) => current && setError(failure instanceof ApiError && failure.status === 404 ? 'No such event.' : describeError(failure)));
    return () => {
      current = false;
    };
  }, [api, id]);

  return (
    <>
      <p class="back">
        <a href="#/events">← Back to events</a>
      </p>
      {error && (
        <>
          <ScreenHeading>Event</ScreenHeading>
          <ErrorAlert>{error}</ErrorAlert>
        </>
      )}
      {!event && !error && <p class="muted">Loading the event…</p>}
      {event && <EventDetailView api={api} event={event} />}
    </>
  );
}

function EventDetailView({ api, event }: { api: Api; event: EventDetail }) {
  return (
    <>
      <ScreenHeading>
        {event.name || '(no name)'} <StatusBadge status={event.status} />
      </ScreenHeading>
      <section class="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <dl class="facts">
          <Fact term="Event id">
            <code>{event.id}</code>
          </Fact>
          <Fact term="Business event">{event.business_event}</Fact>
          <Fact term="Partner">{event.partner_name}</Fact>
          <Fact term="CleverTap account">{event.account_id}</Fact>
          <Fact term="Received">
            <time dateTime={event.received_at}>{formatDateTime(event.received_at)}</time>
          </Fact>
          <Fact term="Attempts">{event.attempts}</Fact>
          <Fact term="Request id">
            <code>{event.request_id}</code>
          </Fact>
          <Fact term="Idempotency key">{event.idempotency_key ? <code>{event.idempotency_key}</code> : '—'}</Fact>
          <Fact term="Log position">{event.position}</Fact>
          <Fact term="Audit log leaf">
            {event.leaf ? (
              <>
                index {event.leaf.index}, leaf hash <code class="hash">{event.leaf.hash}</code>
              </>
            ) : (
              'not in the tree yet (the sealer adds new rows within a few seconds)'
            )}
          </Fact>
        </dl>
      </section>

      <ProofPanel api={api} eventId={event.id} />

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline">
          {event.timeline.map((entry, index) => (
            <li key={index} class={`entry entry-${entry.type}`}>
              <TimelineItem entry={entry} />
            </li>
          ))}
        </ol>
      </section>

      <section class="card" aria-labelledby="payload-heading">
        <h2 id="payload-heading">Received payload</h2>
        {event.payload_sha256 && (
          <p class="hint">
            SHA-256 <code class="hash">{event.payload_sha256}</code>
          </p>
        )}
        {event.payload_erasure ? (
          <p>
            Erased <time dateTime={event.payload_erasure.erased_at}>{formatDateTime(event.payload_erasure.erased_at)}</time>:{' '}
            {event.payload_erasure.reason}. The digest above still proves what was received, to whoever kept it.
          </p>
        ) : (
          <pre class="payload" tabIndex={0} aria-label="Received payload as JSON">
            <code>{JSON.stringify(event.payload, null, 2)}</code>
          </pre>
        )}
      </section>
    </>
  );
}

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const when = <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>;
  switch (entry.type) {
    case 'received':
      return (
        <>
          <h3>Received {when}</h3>
          <dl class="facts compact">
            <Fact term="From partner">{entry.partner}</Fact>
            <Fact term="Request id">
              <code>{entry.request_id}</code>
            </Fact>
          </dl>
        </>
      );
    case 'attempt':
      return <AttemptItem entry={entry} when={when} />;
    case 'replay_requested':
      return <ReplayItem entry={entry} when={when} />;
    case 'payload_erased':
      return (
        <>
          <h3>Payload erased {when}</h3>
          <dl class="facts compact">
            <Fact term="Reason">{entry.reason}</Fact>
          </dl>
        </>
      );
    default:
      return <h3>{when}</h3>;
  }
}

function AttemptItem({ entry, when }: { entry: AttemptEntry; when: ComponentChildren }) {
  return (
    <>
      <h3>
        Attempt {entry.attempt_number} ({entry.trigger}) {when} <StatusBadge status={entry.resulting_status} />
      </h3>
      <dl class="facts compact">
        <Fact term="Outcome">{entry.outcome}</Fact>
        <Fact term="HTTP status">{entry.http_status ?? '—'}</Fact>
        <Fact term="CleverTap status">{entry.clevertap_status ?? '—'}</Fact>
        <Fact term="Targets">{entry.targets ?? '—'}</Fact>
        <Fact term="Latency">{entry.latency_ms === null || entry.latency_ms === undefined ? '—' : `${entry.latency_ms} ms`}</Fact>
        {entry.error && (
          <Fact term="Error">
            <span class="error-text">
              {entry.error}
              {entry.error_code ? ` (${entry.error_code})` : ''}
            </span>
          </Fact>
        )}
        {entry.next_attempt_at && (
          <Fact term="Next attempt">
            <time dateTime={entry.next_attempt_at}>{formatDateTime(entry.next_attempt_at)}</time>
          </Fact>
        )}
        {entry.replay_id && (
          <Fact term="Replay">
            <code>{entry.replay_id}</code>
          </Fact>
        )}
      </dl>
    </>
  );
}

function ReplayItem({ entry, when }: { entry: ReplayEntry; when: ComponentChildren }) {
  return (
    <>
      <h3>Replay requested {when}</h3>
      <dl class="facts compact">
        <Fact term="By">{entry.requested_by}</Fact>
        <Fact term="Reason">{entry.reason}</Fact>
        <Fact term="Replay id">
          <code>{entry.replay_id}</code>
        </Fact>
        {entry.include_uncertain && <Fact term="Included uncertain">yes</Fact>}
        {entry.force_resend && <Fact term="Forced re-send">yes</Fact>}
      </dl>
    </>
  );
}
