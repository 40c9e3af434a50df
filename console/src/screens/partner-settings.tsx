import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, describeError } from '../api';
import { announce, ErrorAlert } from '../components/alerts';
import { formatCount } from '../format';
import { type PartnerEntry, type PartnerSettings, SETTING_FIELDS, type SettingField } from '../operations-types';

const FIELDS: Record<SettingField, { label: string; column: string; hint: string; step: string; min: number }> = {
  weight: { label: 'Weight', column: 'Weight', hint: 'events per turn in the fair share of an account, 1 to 100', step: '1', min: 1 },
  rate_limit_per_second: { label: 'Rate limit per second', column: 'Rate / s', hint: 'accepted requests per second, refilled continuously', step: 'any', min: 0.01 },
  rate_limit_burst: { label: 'Burst', column: 'Burst', hint: 'requests accepted at once above the rate', step: '1', min: 1 },
  max_backlog: { label: 'Max backlog', column: 'Max backlog', hint: 'events queued or retrying before new ones are refused', step: '1', min: 0 },
};

type Draft = Record<SettingField, string>;

const draftOf = (partner: PartnerEntry): Draft =>
  Object.fromEntries(SETTING_FIELDS.map((field) => [field, partner[field] === null || partner[field] === undefined ? '' : String(partner[field])])) as Draft;

/** An empty field is the gateway's default (null); anything else goes as a number for the API to judge. */
const bodyOf = (draft: Draft): Record<SettingField, number | string | null> =>
  Object.fromEntries(
    SETTING_FIELDS.map((field) => {
      const text = draft[field].trim();
      const number = Number(text);
      return [field, text === '' ? null : Number.isFinite(number) ? number : text];
    }),
  ) as Record<SettingField, number | string | null>;

const isActive = (partner: PartnerEntry) => !partner.revoked_at;
const shown = (value: number | null | undefined) => (value === null || value === undefined ? 'default' : formatCount(value));

/**
 * Admins only: each partner's dispatch weight and ingress limits, and a form that changes them through
 * PATCH /v1/partners/{id}. The API's own validation messages are shown next to the form.
 */
export function PartnerSettingsPanel({ api }: { api: Api }) {
  const [partners, setPartners] = useState<PartnerEntry[]>();
  const [loadError, setLoadError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [tick, setTick] = useState(0);
  const formHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    api
      .get<{ data: PartnerEntry[] }>('/v1/partners')
      .then((answer) => {
        if (!current) return;
        setPartners(answer.data.filter((partner) => partner.role === 'partner' && isActive(partner)));
        setLoadError(undefined);
      })
      .catch((failure) => current && setLoadError(describeError(failure)));
    return () => {
      current = false;
    };
  }, [api, tick]);

  const partner = partners?.find((candidate) => candidate.id === selected);

  const edit = (chosen: PartnerEntry) => {
    setSelected(chosen.id);
    setDraft(draftOf(chosen));
    setProblem(undefined);
    setSaved(undefined);
    setTimeout(() => formHeading.current?.focus(), 0);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!partner || !draft) return;
    setSaving(true);
    setProblem(undefined);
    setSaved(undefined);
    try {
      const settings = await api.patch<PartnerSettings & { id: string }>(`/v1/partners/${encodeURIComponent(partner.id)}`, bodyOf(draft));
      setPartners((list) => list?.map((entry) => (entry.id === partner.id ? { ...entry, ...settings } : entry)));
      setDraft(draftOf({ ...partner, ...settings }));
      const message = `Saved: ${partner.name} now has weight ${shown(settings.weight)}.`;
      setSaved(message);
      announce(message);
    } catch (failure) {
      setProblem(describeError(failure));
    } finally {
      setSaving(false);
    }
  };

  /** Back to the partner's Edit button, so keyboard users keep their place. */
  const close = () => {
    const id = partner?.id;
    setSelected(undefined);
    if (id) setTimeout(() => document.querySelector<HTMLButtonElement>(`.partners-table tr[data-partner-id="${id}"] button`)?.focus(), 0);
  };

  /** The API names the field first ("weight must not be less than 1"): mark that input. */
  const invalid = (field: SettingField) => Boolean(problem && new RegExp(`(^|; )${field} `).test(problem));

  return (
    <section class="card" aria-labelledby="partners-heading">
      <div class="section-head">
        <h2 id="partners-heading">Partner weights and limits</h2>
        <button type="button" onClick={() => setTick((n) => n + 1)}>
          Reload
        </button>
      </div>
      <p class="hint">
        Admins only. Empty means the gateway's configured default. Changes apply to every gateway process within about a second.
      </p>
      {loadError && <ErrorAlert>Could not load the partners: {loadError}</ErrorAlert>}
      {partners && partners.length === 0 && <p class="empty">No active partner.</p>}
      {partners && partners.length > 0 && (
        <div class="table-wrap">
          <table class="responsive partners-table">
            <caption class="visually-hidden">Active partners with their dispatch weight, rate limit, burst and backlog quota</caption>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Accounts</th>
                {SETTING_FIELDS.map((field) => (
                  <th scope="col" class="num" key={field}>
                    {FIELDS[field].column}
                  </th>
                ))}
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {partners.map((entry) => (
                <tr key={entry.id} data-partner-id={entry.id} aria-current={entry.id === selected ? 'true' : undefined}>
                  <th scope="row" data-label="Partner">
                    {entry.name}
                  </th>
                  <td data-label="Accounts">{entry.accounts.join(', ') || '—'}</td>
                  {SETTING_FIELDS.map((field) => (
                    <td class="num" data-label={FIELDS[field].column} data-field={field} key={field}>
                      {shown(entry[field])}
                    </td>
                  ))}
                  <td data-label="Action">
                    <button type="button" onClick={() => edit(entry)} aria-label={`Edit ${entry.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {partner && draft && (
        <form class="settings-form" method="post" action="" noValidate onSubmit={save} aria-labelledby="settings-form-heading">
          <h3 id="settings-form-heading" ref={formHeading} tabIndex={-1}>
            Settings of {partner.name}
          </h3>
          <div class="filter-grid">
            {SETTING_FIELDS.map((field) => (
              <div class="field" key={field}>
                <label for={`settings-${field}`}>{FIELDS[field].label}</label>
                <input
                  id={`settings-${field}`}
                  name={field}
                  type="number"
                  inputMode="decimal"
                  min={FIELDS[field].min}
                  step={FIELDS[field].step}
                  placeholder="default"
                  value={draft[field]}
                  aria-invalid={invalid(field) ? true : undefined}
                  aria-describedby={`settings-${field}-hint${problem ? ' settings-problem' : ''}`}
                  onInput={(event) => setDraft({ ...draft, [field]: event.currentTarget.value })}
                />
                <span class="hint" id={`settings-${field}-hint`}>
                  {FIELDS[field].hint}
                </span>
              </div>
            ))}
          </div>
          {problem && (
            <p class="alert alert-error" role="alert" id="settings-problem">
              Not saved: {problem}
            </p>
          )}
          {saved && <p class="alert alert-ok">{saved}</p>}
          <div class="actions">
            <button type="submit" class="primary" disabled={saving} aria-busy={saving}>
              {saving ? 'Saving…' : 'Save settings'}
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
