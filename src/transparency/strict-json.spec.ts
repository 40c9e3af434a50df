import { parseStrictJson, StrictJsonError } from './strict-json.js';

describe('strict JSON (no repeated member names)', () => {
  it('parses JSON whose objects repeat no member name, at any depth', () => {
    expect(parseStrictJson('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"{\\"a\\":5,\\"a\\":6}"}')).toEqual({
      a: 1,
      b: { a: 2 },
      c: [{ a: 3 }, { a: 4 }],
      d: '{"a":5,"a":6}',
    });
  });

  it('rejects a repeated member name, also when spelt with escapes or nested', () => {
    for (const text of ['{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '{"x":[{"k":1,"k":1}]}', '{"r":{"kind":"event","kind":"event"}}'])
      expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseStrictJson('{"a":1,}')).toThrow(/not JSON/);
  });
});
