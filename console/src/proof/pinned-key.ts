/**
 * The log's verifier key the auditor pinned, obtained out of band (never from the gateway, which is what
 * it checks). Not a secret, so it is kept in localStorage and survives the tab.
 */
const STORAGE_KEY = 'bulletin-gateway.console.log-verifier-key';

export function pinnedLogKey(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function pinLogKey(vkey: string | undefined): void {
  try {
    if (vkey) localStorage.setItem(STORAGE_KEY, vkey);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the pin lasts as long as the page
  }
}
