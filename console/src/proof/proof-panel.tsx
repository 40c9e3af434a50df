import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, describeError } from '../api';
import { Fact } from '../components/fact';
import { pinnedLogKey } from './pinned-key';
import { checkEventProof, type EventProof, type ProofCheck } from './verify-proof';

type PanelState =
  | { state: 'checking' }
  | { state: 'no-key' }
  | { state: 'not-covered' }
  | { state: 'unavailable'; reason: string }
  | { state: 'checked'; result: ProofCheck };

/**
 * Fetches the event's proof and checks it here, in the browser, against the pinned log key: the verdict
 * does not depend on the gateway telling the truth about itself.
 */
export function ProofPanel({ api, eventId }: { api: Api; eventId: string }) {
  const [panel, setPanel] = useState<PanelState>({ state: 'checking' });

  useEffect(() => {
    let current = true;
    const key = pinnedLogKey();
    if (!key) {
      setPanel({ state: 'no-key' });
      return;
    }
    setPanel({ state: 'checking' });
    api
      .get<EventProof>(`/v1/events/${encodeURIComponent(eventId)}/proof`)
      .then((proof) => checkEventProof(proof, key, eventId))
      .then((result) => current && setPanel({ state: 'checked', result }))
      .catch((failure) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 409) setPanel({ state: 'not-covered' });
        else setPanel({ state: 'unavailable', reason: describeError(failure) });
      });
    return () => {
      current = false;
    };
  }, [api, eventId]);

  return (
    <section class="card" aria-labelledby="proof-heading" aria-live="polite">
      <h2 id="proof-heading">Proof of inclusion</h2>
      <ProofVerdict panel={panel} />
    </section>
  );
}

function ProofVerdict({ panel }: { panel: PanelState }) {
  switch (panel.state) {
    case 'checking':
      return <p class="muted">Checking the event's proof against the pinned log key…</p>;
    case 'no-key':
      return (
        <p class="hint">
          No log key is pinned in this browser. Pin the log's verifier key on the <a href="#/integrity">Integrity</a> screen to check
          proofs here.
        </p>
      );
    case 'not-covered':
      return <p class="hint">Not covered by a signed checkpoint yet: the log signs new entries within seconds. Reload to check again.</p>;
    case 'unavailable':
      return <p class="verdict verdict-broken">The proof could not be fetched: {panel.reason}</p>;
    case 'checked':
      return panel.result.ok ? (
        <div class="verdict verdict-ok">
          <p class="verdict-title">✓ Proven in the log</p>
          <dl class="facts compact">
            <Fact term="Entries proven">{panel.result.entries}</Fact>
            <Fact term="Checkpoint">
              {panel.result.origin}, {panel.result.size} entries, signed by the pinned key
            </Fact>
          </dl>
        </div>
      ) : (
        <div class="verdict verdict-broken">
          <p class="verdict-title">✗ Proof FAILED</p>
          <p>{panel.result.reason}</p>
        </div>
      );
  }
}
