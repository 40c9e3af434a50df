import { readFileSync } from 'node:fs';

/** The version in package.json, which sits two folders above src/cli/ (ts-jest) and three above dist/src/cli/ (the built CLI). */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'bulletin-gateway' && manifest.version) return manifest.version;
    } catch {
      // not at this level: try the next
    }
  }
  return 'unknown';
}
