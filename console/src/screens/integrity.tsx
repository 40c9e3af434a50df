import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, describeError, filterParams, queryString, saveBlob } from '../api';
import { announce, ErrorAlert, Notice } from '../components/alerts';
import { Fact } from '../components/fact';
import { describeFilters } from '../components/filter-fields';
import { ScreenHeading } from '../components/screen-heading';
import { formatBytes, formatCount, formatDateTime } from '../format';
import { CheckpointPanel } from '../proof/checkpoint-panel';
import type { Filters, Verification } from '../types';

/** The audit log's last verification (and a run on demand), and a verifiable export of the current filter. */
export function IntegrityScreen({ api, filters }: { api: Api; filters: Filters }) {
  return (
    <>
      <ScreenHeading>Integrity</ScreenHeading>
      <CheckpointPanel api={api} />
      <VerificationPanel api={api} />
      <ExportPanel api={api} filters={filters} />
    </>
  );
}

function VerificationPanel({ api }: { api: Api }) {
  const [report, setReport] = useState<Verification | null>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);

  useEffect(() => {
    let current = true;
    api
      .get<Verification>('/v1/audit/verifications/latest')
      .then((latest) => current && setReport(latest))
      .catch((failure) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 404) setReport(null);
        else setError(describeError(failure));
      });
    return () => {
      current = false;
    };
  }, [api]);

  const verify = async () => {
    setRunning(true);
    setError(undefined);
    announce('Verifying the audit log…');
    try {
      const result = await api.get<Verification>('/v1/audit/verify');
      // The stored record of this run also says who ran it.
      const recorded = await api.get<Verification>('/v1/audit/verifications/latest').catch(() => undefined);
      setReport(recorded?.verified_at === result.verified_at ? recorded : result);
      announce(result.ok ? `Log intact: ${result.entries_checked} entries checked.` : 'Log BROKEN: see the first problem.');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section class="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Audit log verification</h2>
      <p class="hint">
        Recomputes every log entry's record and leaf hash, rebuilds the Merkle tree and compares every stored hash, and checks every signed
        checkpoint against the rebuilt tree and the gateway's own verifier key. It names the first entry that was changed, deleted, backdated
        or slipped in.
      </p>
      {error && <ErrorAlert>Verification failed to run: {error}</ErrorAlert>}
      {report === undefined && !error && <p class="muted">Loading the last verification…</p>}
      {report === null && <Notice>The log has not been verified yet.</Notice>}
      {report && <VerificationResult report={report} />}
      <button type="button" class="primary" onClick={verify} disabled={running} aria-busy={running}>
        {running ? 'Verifying…' : 'Verify the log now'}
      </button>
    </section>
  );
}

function VerificationResult({ report }: { report: Verification }) {
  return (
    <div class={`verdict ${report.ok ? 'verdict-ok' : 'verdict-broken'}`} data-testid="verification">
      <p class="verdict-title">{report.ok ? '✓ Log intact' : '✗ Log BROKEN'}</p>
      <dl class="facts">
        <Fact term="Verified">
          <time dateTime={report.verified_at}>{formatDateTime(report.verified_at)}</time>
          {report.verified_by ? ` by ${report.verified_by}` : ''}
        </Fact>
        <Fact term="Entries checked">{formatCount(report.entries_checked)}</Fact>
        <Fact term="Signed checkpoints checked">{formatCount(report.checkpoints_checked)}</Fact>
        <Fact term="Tree">
          {formatCount(report.head.size)} leaves, root <code class="hash">{report.head.root}</code>
        </Fact>
        {report.first_problem && (
          <Fact term="First problem">
            <span class="error-text">
              {report.first_problem.problem} at {report.first_problem.kind} #{report.first_problem.ref}
              {report.first_problem.index !== null ? ` (leaf ${report.first_problem.index})` : ''}: {report.first_problem.detail}
            </span>
          </Fact>
        )}
      </dl>
    </div>
  );
}

function ExportPanel({ api, filters }: { api: Api; filters: Filters }) {
  const [format, setFormat] = useState<'ndjson' | 'csv'>('ndjson');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();

  // A plain link cannot carry the Authorization header: fetch the file, then hand it to the browser.
  const download = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const { blob, filename } = await api.download(`/v1/events/export${queryString({ format, ...filterParams(filters) })}`);
      const stamped = filename.replace(/(\.\w+)$/, `-${new Date().toISOString().replace(/[:.]/g, '-')}$1`);
      saveBlob(blob, stamped);
      setSaved(`Saved ${stamped} (${formatBytes(blob.size)}).`);
      announce(`Export saved as ${stamped}.`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>
        Events covered: <strong data-testid="export-filter">{describeFilters(filters)}</strong>{' '}
        <a href="#/events">(change the filter on Events)</a>
      </p>
      <fieldset>
        <legend>Format</legend>
        <label class="choice">
          <input type="radio" name="export-format" value="ndjson" checked={format === 'ndjson'} onChange={() => setFormat('ndjson')} />
          <span>
            NDJSON, a proof: each event with its inclusion proofs to a signed checkpoint, checked offline with{' '}
            <code>bulletin-gateway verify-export --verifier-key</code> (needs the gateway's AUDIT_SIGNING_KEY)
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="export-format" value="csv" checked={format === 'csv'} onChange={() => setFormat('csv')} />
          CSV, for spreadsheets: a view, not a proof
        </label>
      </fieldset>
      {error && <ErrorAlert>Export failed: {error}</ErrorAlert>}
      {saved && (
        <p class="alert alert-ok" role="status">
          {saved}
        </p>
      )}
      <button type="button" class="primary" onClick={download} disabled={busy} aria-busy={busy}>
        {busy ? 'Preparing the export…' : 'Download export'}
      </button>
    </section>
  );
}
