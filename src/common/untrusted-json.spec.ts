import { boundedJson, findUnstorableText, jsonNestsDeeperThan, storableText, unstorableReason } from './untrusted-json.js';

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings (escaped quotes included)', () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[[[[[\\"[[[[[["}', 1)).toBe(false);
  });

  it('handles 100,000 levels in one pass, without recursion', () => {
    expect(jsonNestsDeeperThan('['.repeat(100_000), 8)).toBe(true);
    expect(jsonNestsDeeperThan('[]'.repeat(100_000), 1)).toBe(false);
  });
});

describe('unstorable text', () => {
  it('finds NUL and lone surrogates, in keys and values, at any depth, and names where', () => {
    expect(findUnstorableText({ properties: { language: 'Hin\u0000di' } })).toBe('properties.language contains U+0000 (NUL), which cannot be stored');
    expect(findUnstorableText({ properties: { ['k\u0000']: 'v' } })).toMatch(/^a key of properties contains U\+0000/);
    expect(findUnstorableText({ tags: ['ok', 'x\ud800'] })).toMatch(/^tags\[1\] contains a lone UTF-16 surrogate/);
    expect(findUnstorableText('\udc00')).toMatch(/^the body contains a lone/);
    expect(findUnstorableText({ fine: ['😀', 'Ω', { deep: 'text' }] })).toBeUndefined();
  });

  it('accepts a surrogate pair and refuses either half alone', () => {
    expect(unstorableReason('\ud83d\ude00')).toBeUndefined();
    expect(unstorableReason('\ud83d')).toBeDefined();
    expect(unstorableReason('\ude00x')).toBeDefined();
  });

  it('storableText escapes what Postgres refuses and keeps the rest', () => {
    expect(storableText('a\u0000b\ud800c\ud83d\ude00')).toBe('a\\u0000b\\ud800c\ud83d\ude00');
  });

  it('boundedJson never throws and never exceeds its bound', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(boundedJson(cycle, 100)).toMatch(/cannot be shown/);
    expect(boundedJson({ big: 1n }, 100)).toMatch(/cannot be shown/);
    expect(boundedJson('x'.repeat(1000), 10)).toHaveLength(10);
  });
});
