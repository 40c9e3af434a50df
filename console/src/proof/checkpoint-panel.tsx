import { useEffect, useState } from 'preact/hooks';
import { type Api, describeError } from '../api';
import { announce } from '../components/alerts';
import { Fact } from '../components/fact';
import { pinLogKey, pinnedLogKey } from './pinned-key';
import { type CheckpointCheck, checkCheckpoint, parseVerifierKey } from './verify-proof';

/**
 * The log's latest signed checkpoint, checked here against the log key the auditor pins in this
 * browser; the same pin lets each event's timeline check its proof.
 */
export function CheckpointPanel({ api }: { api: Api }) {
  const [pinned, setPinned] = useState(pinnedLogKey());
  const [draft, setDraft] = useState('');
  const [pinError, setPinError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [check, setCheck] = useState<CheckpointCheck>();
  const [fetchError, setFetchError] = useState<string>();

  useEffect(() => {
    let current = true;
    api
      .text('/v1/audit/checkpoint')
      .then(async (text) => {
        if (!current) return;
        setNote(text);
        setCheck(pinned ? await checkCheckpoint(text, pinned) : undefined);
      })
      .catch((failure) => current && setFetchError(describeError(failure)));
    return () => {
      current = false;
    };
  }, [api, pinned]);

  const pin = async (event: Event) => {
    event.preventDefault();
    try {
      await parseVerifierKey(draft);
    } catch (error) {
      setPinError((error as Error).message);
      return;
    }
    pinLogKey(draft.trim());
    setPinError(undefined);
    setDraft('');
    setPinned(draft.trim());
    announce('Log key pinned.');
  };
  const unpin = () => {
    pinLogKey(undefined);
    setPinned(undefined);
    announce('Log key removed.');
  };

  return (
    <section class="card" aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">Signed checkpoint</h2>
      <p class="hint">
        The log signs its tree head (a C2SP checkpoint) every few seconds. Pin the log's verifier key, obtained from the operator out of band,
        to check it and every event's proof in this browser.
      </p>
      {pinned ? (
        <div class="actions">
          <p>
            Pinned log key <code class="hash">{pinned}</code>
          </p>
          <button type="button" onClick={unpin}>
            Remove the pinned key
          </button>
        </div>
      ) : (
        <form onSubmit={pin}>
          <div class="field">
            <label for="log-key">Log verifier key</label>
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
      )}
      {fetchError && <p class="field-error">The checkpoint could not be fetched: {fetchError}</p>}
      {check && <CheckpointVerdict check={check} />}
      {note && (
        <pre class="payload" tabIndex={0} aria-label="The latest checkpoint as signed">
          <code>{note}</code>
        </pre>
      )}
    </section>
  );
}

function CheckpointVerdict({ check }: { check: CheckpointCheck }) {
  if (!check.ok)
    return (
      <div class="verdict verdict-broken">
        <p class="verdict-title">✗ Checkpoint does NOT verify</p>
        <p>{check.reason}</p>
      </div>
    );
  return (
    <div class="verdict verdict-ok">
      <p class="verdict-title">✓ Signed by the pinned key</p>
      <dl class="facts compact">
        <Fact term="Log">{check.origin}</Fact>
        <Fact term="Entries">{check.size}</Fact>
        <Fact term="Root">
          <code class="hash">{check.root}</code>
        </Fact>
        <Fact term="Witness cosignatures">{check.otherSigners.length > 0 ? check.otherSigners.join(', ') : 'none'}</Fact>
      </dl>
    </div>
  );
}
