import { canonicalJson, leafInput, payloadSha256, recordLeafHash } from './leaf.js';
import { leafHash } from './merkle.js';

describe('leaf records', () => {
  it('hashes the RFC 8785 canonical JSON of the record: keys sorted, no white space', () => {
    const record = { kind: 'event', b: 1, a: 'é', n: -(2 ** 53 - 1) };
    expect(leafInput(record).toString('utf8')).toBe('{"a":"é","b":1,"kind":"event","n":-9007199254740991}');
    expect(recordLeafHash(record)).toEqual(leafHash(Buffer.from('{"a":"é","b":1,"kind":"event","n":-9007199254740991}')));
  });

  it('refuses numbers a record may not hold (§5): fractions and integers beyond ±(2^53 - 1)', () => {
    for (const n of [0.5, 2 ** 53, -(2 ** 53), 1e21, Number.NaN])
      expect(() => leafInput({ kind: 'attempt', nested: [{ n }] })).toThrow(/integers within/);
    expect(leafInput({ kind: 'attempt', id: '9007199254740993' }).toString()).toBe('{"id":"9007199254740993","kind":"attempt"}');
    expect(payloadSha256({ price: 0.5, big: 1e21 })).toMatch(/^[0-9a-f]{64}$/); // payloads are not records
  });

  it('refuses text with a lone surrogate, which UTF-8 cannot carry', () => {
    expect(() => leafInput({ kind: 'rejection', detail: 'a\ud800b' })).toThrow(/lone surrogate/);
    expect(() => leafInput({ kind: 'rejection', ['\udc00']: 1 })).toThrow(/lone surrogate/);
    expect(leafInput({ kind: 'rejection', detail: '😀' }).toString()).toBe('{"detail":"😀","kind":"rejection"}');
  });

  it('digests a payload the same however its keys were ordered', () => {
    expect(payloadSha256({ b: [1, 2], a: null })).toBe(payloadSha256({ a: null, b: [1, 2] }));
    expect(payloadSha256({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'); // SHA-256("{}")
  });

  it('refuses records without a kind, and values JSON cannot hold', () => {
    expect(() => leafInput({ id: 1 } as never)).toThrow(TypeError);
    expect(() => leafInput([] as never)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
