import { useEffect, useState } from 'preact/hooks';
import { type Filters, STATUSES } from '../types';
import { statusLabel } from './status-badge';

interface Props {
  /** Makes the ids unique when two filter forms share a page. */
  idPrefix: string;
  value: Filters;
  onChange: (filters: Filters) => void;
}

type TextField = { name: keyof Filters; label: string; hint?: string };

const MAIN_FIELDS: TextField[] = [
  { name: 'business_event', label: 'Business event', hint: 'exact name, e.g. Program Released' },
  { name: 'q', label: 'Name contains' },
];

const MORE_FIELDS: TextField[] = [
  { name: 'account', label: 'CleverTap account' },
  { name: 'partner', label: 'Partner id', hint: 'a partner UUID' },
  { name: 'error', label: 'Error contains' },
  { name: 'error_code', label: 'Error code', hint: 'e.g. 400 or ECONNREFUSED' },
];

const MORE_NAMES: (keyof Filters)[] = [...MORE_FIELDS.map((field) => field.name), 'received_from', 'received_to'];

/**
 * The audit API's filters, shared by the events list, the export and the replay form. The less used
 * ones fold away (open whenever one of them is set), which keeps the form short at phone width.
 */
export function FilterFields({ idPrefix, value, onChange }: Props) {
  const anyMore = MORE_NAMES.some((name) => value[name].trim());
  const [more, setMore] = useState(anyMore);
  useEffect(() => {
    if (anyMore) setMore(true);
  }, [anyMore]);

  const set = (name: keyof Filters) => (event: { currentTarget: { value: string } }) =>
    onChange({ ...value, [name]: event.currentTarget.value });
  const id = (name: string) => `${idPrefix}-${name}`;
  const text = ({ name, label, hint }: TextField) => (
    <div class="field" key={name}>
      <label for={id(name)}>{label}</label>
      <input
        id={id(name)}
        name={name}
        type="text"
        autoComplete="off"
        spellcheck={false}
        value={value[name]}
        onInput={set(name)}
        aria-describedby={hint ? id(`${name}-hint`) : undefined}
      />
      {hint && (
        <span class="hint" id={id(`${name}-hint`)}>
          {hint}
        </span>
      )}
    </div>
  );

  return (
    <>
      <div class="filter-grid">
        <div class="field">
          <label for={id('status')}>Status</label>
          <select id={id('status')} name="status" value={value.status} onChange={set('status')}>
            <option value="">Any status</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </div>
        {MAIN_FIELDS.map(text)}
      </div>
      <details class="more-filters" open={more} onToggle={(event) => setMore(event.currentTarget.open)}>
        <summary>More filters: account, partner, error, time range</summary>
        <div class="filter-grid">
          {MORE_FIELDS.map(text)}
          <div class="field">
            <label for={id('received_from')}>Received from</label>
            <input
              id={id('received_from')}
              name="received_from"
              type="datetime-local"
              step={1}
              value={value.received_from}
              onInput={set('received_from')}
              aria-describedby={id('time-hint')}
            />
          </div>
          <div class="field">
            <label for={id('received_to')}>Received before</label>
            <input
              id={id('received_to')}
              name="received_to"
              type="datetime-local"
              step={1}
              value={value.received_to}
              onInput={set('received_to')}
              aria-describedby={id('time-hint')}
            />
            <span class="hint" id={id('time-hint')}>
              your local time
            </span>
          </div>
        </div>
      </details>
    </>
  );
}

/** "status = failed, business event = …", for telling the reader what an export or replay covers. */
export function describeFilters(filters: Filters): string {
  const labels: Record<keyof Filters, string> = {
    status: 'status',
    business_event: 'business event',
    partner: 'partner',
    account: 'account',
    received_from: 'received from',
    received_to: 'received before',
    q: 'name contains',
    error: 'error contains',
    error_code: 'error code',
  };
  const parts = (Object.keys(labels) as (keyof Filters)[])
    .filter((name) => filters[name].trim())
    .map((name) => `${labels[name]} = ${filters[name].trim()}`);
  return parts.length ? parts.join(', ') : 'all events';
}
