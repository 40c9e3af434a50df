import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, describeError } from './api';
import { Announcer } from './components/alerts';
import { hrefOf, type Route, useRoute } from './route';
import { EventScreen } from './screens/event-timeline';
import { EventsScreen, INITIAL_LIST, type ListState } from './screens/events';
import { IntegrityScreen } from './screens/integrity';
import { OperationsScreen } from './screens/operations';
import { SignIn } from './screens/sign-in';
import { forgetKey, storedKey, storeKey } from './session';
import { canOperate, type Identity } from './types';

interface Session {
  key: string;
  identity: Identity;
}

export function App() {
  const [session, setSession] = useState<Session>();
  const [restoring, setRestoring] = useState(() => Boolean(storedKey()));
  const [notice, setNotice] = useState<string>();
  const [list, setList] = useState<ListState>(INITIAL_LIST);
  const route = useRoute();

  const signOut = useCallback((message?: string) => {
    forgetKey();
    setSession(undefined);
    setList(INITIAL_LIST);
    setNotice(message);
  }, []);

  // A reload in the same tab keeps the session: the key is checked again before anything is shown.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    new Api(key)
      .get<Identity>('/v1/whoami')
      .then((identity) => (identity.role === 'partner' ? signOut() : setSession({ key, identity })))
      .catch((failure) => signOut(failure instanceof ApiError && failure.status === 401 ? 'Your key is no longer accepted. Sign in again.' : describeError(failure)))
      .finally(() => setRestoring(false));
  }, [signOut]);

  const api = useMemo(
    () => session && new Api(session.key, () => signOut('The gateway no longer accepts this key (revoked?). Sign in again.')),
    [session, signOut],
  );

  if (restoring) return <p class="muted center">Signing in…</p>;
  if (!session || !api)
    return (
      <>
        <SignIn
          notice={notice}
          onSignedIn={(key, identity) => {
            storeKey(key);
            setNotice(undefined);
            setSession({ key, identity });
          }}
        />
        <Announcer />
      </>
    );

  const { identity } = session;
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault(); // the fragment is the router's: move focus instead of navigating
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <span class="brand-name">Bulletin Gateway</span> <span class="brand-sub">Audit console</span>
        </div>
        <nav aria-label="Console" class="tabs">
          <NavLink route={route} to={{ screen: 'events' }} label="Events" />
          <NavLink route={route} to={{ screen: 'integrity' }} label="Integrity" />
          {canOperate(identity.role) && <NavLink route={route} to={{ screen: 'operations' }} label="Operations" />}
        </nav>
        <div class="who">
          <span data-testid="identity">
            {identity.name} <span class="role">{identity.role}</span>
          </span>
          <button type="button" onClick={() => signOut('Signed out. The key was removed from this tab.')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen route={route} api={api} identity={identity} list={list} onList={setList} />
      </main>
      <Announcer />
    </>
  );
}

function Screen({ route, api, identity, list, onList }: { route: Route; api: Api; identity: Identity; list: ListState; onList: (list: ListState) => void }) {
  switch (route.screen) {
    case 'event':
      return <EventScreen key={route.id} api={api} id={route.id} />;
    case 'integrity':
      return <IntegrityScreen api={api} filters={list.filters} />;
    case 'operations':
      return <OperationsScreen api={api} identity={identity} filters={list.filters} />;
    default:
      return <EventsScreen api={api} list={list} onList={onList} />;
  }
}

function NavLink({ route, to, label }: { route: Route; to: Route; label: string }) {
  const active = route.screen === to.screen || (to.screen === 'events' && route.screen === 'event');
  return (
    <a href={hrefOf(to)} aria-current={active ? 'page' : undefined} class={active ? 'active' : undefined}>
      {label}
    </a>
  );
}
