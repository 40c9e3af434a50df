import { GatewayError } from '../common/gateway.error.js';
import { propertiesProblem, whenProblem } from './bulletin-request.dto.js';
import { validateBulletin } from './validate-bulletin.js';

const valid = () => ({
  business_event: 'Program Released',
  name: 'Sa Re Ga Ma episode 12',
  properties: { program_id: '234567', language: 'Hindi' },
  'c-by': 'editor@example.com',
  when: 'now' as string | number,
});

/** The GatewayError validateBulletin throws for `body`, or undefined when it accepts it. */
function rejection(body: unknown): GatewayError | undefined {
  try {
    validateBulletin(body);
    return undefined;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
}

describe('propertiesProblem', () => {
  it('accepts an object of string values', () => {
    expect(propertiesProblem({ program_id: '234567', language: 'Hindi' })).toBeUndefined();
  });

  it('accepts an empty object', () => {
    expect(propertiesProblem({})).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'properties is required and must be an object'],
    ['null', null, 'properties is required and must be an object'],
    ['an array', ['a'], 'properties must be an object of string values (got array)'],
    ['a string', 'program_id=1', 'properties must be an object of string values (got string)'],
    ['a number', 7, 'properties must be an object of string values (got number)'],
  ])('rejects properties that are %s', (_case, value, message) => {
    expect(propertiesProblem(value)).toBe(message);
  });

  it.each([
    ['a number', 1, 'number'],
    ['a boolean', true, 'boolean'],
    ['null', null, 'null'],
    ['an object', { id: '1' }, 'object'],
    ['an array', ['1'], 'array'],
  ])('rejects a property value that is %s, naming the key', (_case, item, type) => {
    expect(propertiesProblem({ language: 'Hindi', program_id: item })).toBe(
      `properties.program_id must be a string (CleverTap accepts string values only; got ${type})`,
    );
  });

  it('rejects an empty key', () => {
    expect(propertiesProblem({ '': 'x' })).toBe('properties must not have an empty key');
  });

  it.each([
    [119, true],
    [120, true],
    [121, false],
  ])('a key of %i characters is accepted: %s', (length, accepted) => {
    const problem = propertiesProblem({ ['k'.repeat(length)]: 'v' });
    if (accepted) expect(problem).toBeUndefined();
    else expect(problem).toBe(`properties key "${'k'.repeat(20)}..." is ${length} characters; at most 120 are allowed`);
  });

  // Multi-byte values whose character count is under the limit while their UTF-8 byte count is not.
  it.each([
    ['512 × a', 'a'.repeat(512), 512],
    ['513 × a', 'a'.repeat(513), 513],
    ['256 × é', 'é'.repeat(256), 512],
    ['256 × é + a', 'é'.repeat(256) + 'a', 513],
    ['257 × é', 'é'.repeat(257), 514],
    ['170 × € + ab', '€'.repeat(170) + 'ab', 512],
    ['171 × €', '€'.repeat(171), 513],
    ['128 × 🎉', '🎉'.repeat(128), 512],
    ['128 × 🎉 + a', '🎉'.repeat(128) + 'a', 513],
  ])('measures a value of %s in UTF-8 bytes (%i bytes)', (_label, value, bytes) => {
    expect(Buffer.byteLength(value, 'utf8')).toBe(bytes);
    const problem = propertiesProblem({ program_id: value });
    if (bytes <= 512) expect(problem).toBeUndefined();
    else expect(problem).toBe(`properties.program_id is ${bytes} bytes in UTF-8; at most 512 bytes are allowed`);
  });
});

describe('whenProblem', () => {
  it.each([
    ['"now"', 'now'],
    ['an integer UNIX timestamp', 1767225600],
    ['a UNIX timestamp as a digit string', '1767225600'],
    ['zero', 0],
  ])('accepts %s', (_case, value) => {
    expect(whenProblem(value)).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'null'],
    ['null', null, 'null'],
    ['a word', 'tomorrow', 'tomorrow'],
    ['"NOW" in capitals', 'NOW', 'NOW'],
    ['an empty string', '', ''],
    ['a negative number', -5, '-5'],
    ['a fraction', 1.5, '1.5'],
    ['a negative digit string', '-5', '-5'],
    ['a decimal digit string', '1767225600.5', '1767225600.5'],
    ['an unsafe integer', 2 ** 53, String(2 ** 53)],
    ['an object', {}, '{}'],
    ['an array', [1767225600], '[1767225600]'],
    ['a boolean', true, 'true'],
  ])('rejects %s in CleverTap wording', (_case, value, shown) => {
    expect(whenProblem(value)).toBe(`"when" has an incorrect value - ${shown}`);
  });
});

describe('validateBulletin', () => {
  it('returns exactly the five CleverTap fields of a valid body', () => {
    expect(validateBulletin(valid())).toEqual(valid());
  });

  it('copies the properties, so later changes to the request do not reach the recorded payload', () => {
    const body = valid();
    const payload = validateBulletin(body);
    body.properties.language = 'Tamil';
    expect(payload.properties.language).toBe('Hindi');
  });

  it.each([
    ['null', null, 'object'],
    ['an array', [valid()], 'an array'],
    ['a string', 'now', 'string'],
    ['a number', 42, 'number'],
  ])('rejects a body that is %s', (_case, body, shown) => {
    expect(rejection(body)).toMatchObject({
      code: 'invalid_request',
      httpStatus: 400,
      message: `The request body must be a JSON object (got ${shown})`,
    });
  });

  it('rejects an unknown field by name, so a typo such as c_by does not pass silently', () => {
    const { 'c-by': creator, ...rest } = valid();
    expect(rejection({ ...rest, c_by: creator })?.message).toMatch(/^Unknown field "c_by"/);
  });

  describe.each(['business_event', 'name', 'c-by'])('the required string %s', (field) => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 12],
      ['null', null],
      ['an object', { value: 'x' }],
      ['an object with a constructor key', { constructor: 'x' }],
    ])('is rejected when %s, naming the field', (_case, value) => {
      const body: Record<string, unknown> = valid();
      if (value === undefined) delete body[field];
      else body[field] = value;
      expect(rejection(body)).toMatchObject({
        httpStatus: 400,
        message: `${field} is required and must be a non-empty string`,
      });
    });
  });

  it('reports the first offending field in CleverTap field order', () => {
    expect(rejection({ when: 'tomorrow', properties: [], 'c-by': '', name: 1 })?.message).toBe(
      'business_event is required and must be a non-empty string',
    );
    expect(rejection({ ...valid(), when: 'tomorrow', properties: [] })?.message).toBe(
      'properties must be an object of string values (got array)',
    );
  });

  it.each([
    ['missing', undefined, '"when" has an incorrect value - null'],
    ['null', null, '"when" has an incorrect value - null'],
    ['a word', 'tomorrow', '"when" has an incorrect value - tomorrow'],
    ['an object with a constructor key', { constructor: 1 }, '"when" has an incorrect value - {"constructor":1}'],
  ])('rejects a "when" that is %s with the vendor message', (_case, when, message) => {
    const body: Record<string, unknown> = valid();
    if (when === undefined) delete body.when;
    else body.when = when;
    expect(rejection(body)?.message).toBe(message);
  });

  it('rejects a property value over 512 UTF-8 bytes that is under 512 characters', () => {
    const body = { ...valid(), properties: { program_id: '€'.repeat(171) } };
    expect(rejection(body)?.message).toBe('properties.program_id is 513 bytes in UTF-8; at most 512 bytes are allowed');
  });

  // Property names are the partner's own, so names that are also Object.prototype members are ordinary keys.
  describe('properties whose keys are also Object.prototype member names', () => {
    const withRawProperties = (json: string) => ({ ...valid(), properties: JSON.parse(json) });

    it('accepts a string property named constructor', () => {
      const body = withRawProperties('{"program_id": "1", "constructor": "Ferrari"}');
      expect(rejection(body)).toBeUndefined();
      expect(validateBulletin(body).properties).toEqual(body.properties);
    });

    it.each(['toString', 'valueOf', 'hasOwnProperty', '__proto__'])('checks the value of a property named %s', (key) => {
      expect(rejection(withRawProperties(`{"program_id": "1", "${key}": 5}`))?.message).toBe(
        `properties.${key} must be a string (CleverTap accepts string values only; got number)`,
      );
    });

    it('checks the byte limit of a property named __proto__', () => {
      expect(rejection(withRawProperties(`{"__proto__": "${'x'.repeat(513)}"}`))?.message).toBe(
        'properties.__proto__ is 513 bytes in UTF-8; at most 512 bytes are allowed',
      );
    });
  });
});
