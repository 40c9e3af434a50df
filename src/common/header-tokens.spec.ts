import { isSafeHeaderToken } from './header-tokens.js';
import { secretScrubber } from './secret-scrubber.js';

const scrub = secretScrubber({ adminKey: 'admin-key-of-this-gateway-0123456789', accounts: [{ id: 'a', passcode: 'SHORT-PASS-42', baseUrl: '' }] });

describe('isSafeHeaderToken (what may be copied from X-Request-Id or an account id header)', () => {
  it.each(['0f8fad5b-d9cb-469f-a165-70867728950e', '4bf92f3577b34da6a3ce929d0e0e4736', 'corr-redaction-42', 'W9R-486-4W5Z', 'a.b:c'])('keeps %s', (value) => {
    expect(isSafeHeaderToken(value, scrub)).toBe(true);
  });

  it.each([
    ['a gateway key', 'bgk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'],
    ['a gateway key without its underscore', 'leak-bgkabcdef'],
    ['a long random run', 'a'.repeat(33)],
    ['the admin key', 'admin-key-of-this-gateway-0123456789'],
    ['a passcode inside it', 'x-SHORT-PASS-42'],
    ['spaces', 'two words'],
    ['more than 64 characters', 'a-'.repeat(40)],
    ['nothing', ''],
  ])('refuses %s', (_what, value) => {
    expect(isSafeHeaderToken(value, scrub)).toBe(false);
  });
});
