import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, ApiError, describeError } from '../api';
import { Notice } from '../components/alerts';
import type { Identity } from '../types';

interface Props {
  notice?: string;
  onSignedIn: (key: string, identity: Identity) => void;
}

/**
 * Asks for a gateway key and checks it with GET /v1/whoami. The form posts nowhere: it is handled here,
 * and its method is POST so that even a submit without this script cannot put the key in a URL.
 */
export function SignIn({ notice, onSignedIn }: Props) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter your gateway key.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const identity = await new Api(trimmed).get<Identity>('/v1/whoami');
      if (identity.role === 'partner') {
        setError('This is a partner key. The audit console is for auditor, operator and admin keys; partners read their own events through the API.');
        input.current?.focus();
        return;
      }
      setKey('');
      onSignedIn(trimmed, identity);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'The gateway does not know this key (mistyped, or revoked).'
          : describeError(failure),
      );
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Audit console</h1>
      <p class="lede">Bulletin Gateway: find an event, see every attempt, check the log's integrity and replay what did not go out.</p>
      {notice && <Notice>{notice}</Notice>}
      <form method="post" action="" onSubmit={submit} class="card" aria-describedby="key-help">
        <div class="field">
          <label for="key">Gateway key</label>
          <input
            ref={input}
            id="key"
            name="key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'key-error key-help' : 'key-help'}
          />
          <span class="hint" id="key-help">
            An auditor, operator or admin key (bgk_…). It stays in this browser tab and is sent only in the Authorization header.
          </span>
        </div>
        {error && (
          <p class="alert alert-error" role="alert" id="key-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
