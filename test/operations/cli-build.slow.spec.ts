import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

/**
 * `npm run cli` runs `scripts/build.mjs --if-stale` first: an up-to-date build (the one `npm test`'s
 * pretest step just made) is left alone rather than redone on every call.
 */
const root = new URL('../../', import.meta.url).pathname;
const stamps = ['dist/.gateway.built', 'dist/.console.built'];
const stampTimes = () => stamps.map((stamp) => statSync(`${root}${stamp}`, { throwIfNoEntry: false })?.mtimeMs);

describe('scripts/build.mjs --if-stale', () => {
  it('rebuilds nothing when no source changed since the last build', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'pipe', timeout: 120_000 });
    const before = stampTimes();
    expect(before).toEqual([expect.any(Number), expect.any(Number)]);
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'pipe', timeout: 120_000 });
    expect(stampTimes()).toEqual(before);
  }, 240_000);
});
