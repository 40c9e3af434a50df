/**
 * The key lives in this tab's sessionStorage (gone when the tab closes) and in memory; it is never put
 * in a URL, a cookie or a log line.
 */
const STORAGE_KEY = 'bulletin-gateway.console.key';

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the key stays in memory only
  }
}

export function storeKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // memory only
  }
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
