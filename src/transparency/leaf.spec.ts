import { canonicalJson, leafInput, payloadSha256, recordLeafHash } from './leaf.js';
import { leafHash } from './merkle.js';

describe('leaf records', () => {
  it('hashes the RFC 8785 canonical JSON of the record: keys sorted, no white space', () => {
    const record = { kind: 'event', b: 1, a: 'é', n: 1e21 };
    expect(leafInput(record).toString('utf8')).toBe('{"a":"é","b":1,"kind":"event","n":1e+21}');
    expect(recordLeafHash(record)).toEqual(leafHash(Buffer.from('{"a":"é","b":1,"kind":"event","n":1e+21}')));
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
