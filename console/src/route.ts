import { useEffect, useState } from 'preact/hooks';

/** The console's screens, addressed by the URL fragment (which carries ids only, never the key). */
export type Route =
  | { screen: 'events' }
  | { screen: 'event'; id: string }
  | { screen: 'integrity' }
  | { screen: 'operations' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [screen, id] = path.split('/');
  if (screen === 'events' && id) return { screen: 'event', id: decodeURIComponent(id) };
  if (screen === 'integrity') return { screen: 'integrity' };
  if (screen === 'operations') return { screen: 'operations' };
  return { screen: 'events' };
}

export const hrefOf = (route: Route): string =>
  route.screen === 'event' ? `#/events/${encodeURIComponent(route.id)}` : `#/${route.screen}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
