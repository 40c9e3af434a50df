import { readFileSync } from 'node:fs';
import { PROBLEM_TITLES } from './gateway.error.js';

describe('problem types', () => {
  it('are each documented in docs/api-conventions.md, with their fixed title', () => {
    const docs = readFileSync(new URL('../../docs/api-conventions.md', import.meta.url), 'utf8');
    const rows = new Map([...docs.matchAll(/^\| `([a-z0-9_]+)` \| [^|]+ \| ([^|]+) \|/gm)].map(([, code, title]) => [code, title.trim()]));
    expect(Object.fromEntries(Object.keys(PROBLEM_TITLES).map((code) => [code, rows.get(code)]))).toEqual(PROBLEM_TITLES);
  });
});
