import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, describeError } from '../api';
import { announce, ErrorAlert, Notice } from '../components/alerts';
import { Fact } from '../components/fact';
import { formatCount } from '../format';
import { pinLogKey, pinnedLogKey } from './pinned-key';
import { type CheckpointCheck, checkCheckpoint, parseVerifierKey } from './verify-proof';

interface ServedCheckpoint {
  note: string;
  origin: string;
  size: string;
  root: string;
  signers: string[];
  /** Set while the signer refuses: why the database no longer matches this, its last good checkpoint. */
  mismatch: string | null;
}

/** The C2SP checkpoint note: origin, size and root lines, a blank line, then one line per signature. */
function readCheckpoint(note: string, mismatch: string | null): ServedCheckpoint {
  const [body, signatures = ''] = note.split('\n\n');
  const [origin, size, root] = body.split('\n');
  const signers = signatures.split('\n').filter(Boolean).map((line) => line.replace(/^\u2014 /, '').split(' ')[0]);
  return { note, origin, size, root, signers, mismatch };
}

/**
 * The log's latest signed checkpoint as the gateway serves it, whether its signer still trusts the
 * database, and (with a log key the auditor pinned in this browser) whether it really is signed by that
 * key: the check that does not take the gateway's word for it. The same pin lets each event's timeline
 * check its proof.
 */
export function CheckpointPanel({ api }: { api: Api }) {
  const [checkpoint, setCheckpoint] = useState<ServedCheckpoint | null>();
  const [error, setError] = useState<string>();
  const [pinned, setPinned] = useState(pinnedLogKey());
  const [check, setCheck] = useState<CheckpointCheck>();

  useEffect(() => {
    let current = true;
    api
      .text('/v1/audit/checkpoint')
      .then(({ text, headers }) => current && setCheckpoint(readCheckpoint(text, headers.get('X-Audit-Log-Mismatch'))))
      .catch((failure) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 404) setCheckpoint(null);
        else setError(describeError(failure));
      });
    return () => {
      current = false;
    };
  }, [api]);

  useEffect(() => {
    let current = true;
    setCheck(undefined);
    if (checkpoint && pinned) void checkCheckpoint(checkpoint.note, pinned).then((result) => current && setCheck(result));
    return () => {
      current = false;
    };
  }, [checkpoint, pinned]);

  return (
    <section class="card" aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">Signed checkpoint</h2>
      <p class="hint">
        The log's latest signed tree head (a C2SP checkpoint). Auditors check it with the log's verifier key, and every entry's inclusion
        proof against it; witnesses add their cosignatures.
      </p>
      {error && <ErrorAlert>Could not read the checkpoint: {error}</ErrorAlert>}
      {checkpoint === undefined && !error && <p class="muted">Loading the checkpoint…</p>}
      {checkpoint === null && <Notice>No checkpoint is signed: the gateway has no AUDIT_SIGNING_KEY, or nothing was logged yet.</Notice>}
      {checkpoint && <ServedCheckpointFacts checkpoint={checkpoint} />}
      {checkpoint && check && <PinnedKeyVerdict check={check} />}
      <PinnedKeyForm pinned={pinned} onChange={setPinned} />
    </section>
  );
}

function ServedCheckpointFacts({ checkpoint }: { checkpoint: ServedCheckpoint }) {
  return (
    <div class={`verdict ${checkpoint.mismatch ? 'verdict-broken' : 'verdict-ok'}`} data-testid="checkpoint">
      <p class="verdict-title">
        {checkpoint.mismatch ? '✗ The signer refuses to sign: the database no longer matches this checkpoint' : '✓ Signing'}
      </p>
      <dl class="facts">
        <Fact term="Origin">{checkpoint.origin}</Fact>
        <Fact term="Tree size">{formatCount(Number(checkpoint.size))}</Fact>
        <Fact term="Root hash">
          <code class="hash">{checkpoint.root}</code>
        </Fact>
        <Fact term="Signed by">{checkpoint.signers.join(', ')}</Fact>
        <Fact term="Witness cosignatures">{formatCount(Math.max(0, checkpoint.signers.length - 1))}</Fact>
        {checkpoint.mismatch && (
          <Fact term="Why">
            <span class="error-text">{checkpoint.mismatch}</span> (see docs/audit-operations.md)
          </Fact>
        )}
      </dl>
    </div>
  );
}

function PinnedKeyVerdict({ check }: { check: CheckpointCheck }) {
  if (!check.ok)
    return (
      <div class="verdict verdict-broken" data-testid="pinned-key-verdict">
        <p class="verdict-title">✗ NOT signed by the pinned log key</p>
        <p>{check.reason}</p>
      </div>
    );
  return (
    <div class="verdict verdict-ok" data-testid="pinned-key-verdict">
      <p class="verdict-title">✓ Checked in this browser: signed by the pinned log key</p>
      <p class="hint">
        {check.otherSigners.length > 0 ? `Also signed by ${check.otherSigners.join(', ')} (not checked here).` : 'No witness cosignatures.'}
      </p>
    </div>
  );
}

function PinnedKeyForm({ pinned, onChange }: { pinned?: string; onChange: (key: string | undefined) => void }) {
  const [draft, setDraft] = useState('');
  const [pinError, setPinError] = useState<string>();

  const pin = async (event: Event) => {
    event.preventDefault();
    const key = draft.trim();
    try {
      await parseVerifierKey(key);
    } catch (failure) {
      setPinError((failure as Error).message);
      return;
    }
    pinLogKey(key);
    setPinError(undefined);
    setDraft('');
    onChange(key);
    announce('Log key pinned.');
  };
  const unpin = () => {
    pinLogKey(undefined);
    onChange(undefined);
    announce('Log key removed.');
  };

  if (pinned)
    return (
      <div class="actions">
        <p>
          Pinned log key <code class="hash">{pinned}</code>
        </p>
        <button type="button" onClick={unpin}>
          Remove the pinned key
        </button>
      </div>
    );
  return (
    <form onSubmit={pin}>
      <div class="field">
        <label for="log-key">Log verifier key (from the operator, out of band)</label>
        <input
          id="log-key"
          value={draft}
          spellcheck={false}
          aria-invalid={pinError ? 'true' : undefined}
          aria-describedby={pinError ? 'log-key-error' : undefined}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        />
        {pinError && (
          <p id="log-key-error" class="field-error">
            {pinError}
          </p>
        )}
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          Pin this key
        </button>
      </div>
    </form>
  );
}
