import { EventListQuery } from '../event-log/event-filter.dto.js';
import { ReplayRequestDto } from '../replay/replay-request.dto.js';
import { GatewayError } from './gateway.error.js';
import { strictValidation } from './query-validation.pipe.js';

async function refusalOf(metatype: new () => object, value: unknown, type: 'body' | 'query' = 'body'): Promise<GatewayError> {
  try {
    await strictValidation.transform(value, { type, metatype });
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('the value was accepted');
}

describe('strictValidation', () => {
  it('says once, and rightly, that a replay needs a reason', async () => {
    const refusal = await refusalOf(ReplayRequestDto, { status: 'failed' });
    expect(refusal.code).toBe('invalid_request');
    expect(refusal.errors).toEqual([{ field: 'reason', message: 'reason is required: say why these events are being replayed' }]);
    expect(refusal.message).toBe('reason is required: say why these events are being replayed');
  });

  it('says once that limit=abc is not a number, however many checks it fails', async () => {
    const refusal = await refusalOf(EventListQuery, { limit: 'abc' }, 'query');
    expect(refusal.errors).toEqual([{ field: 'limit', message: 'limit must be an integer from 1 to 500' }]);
  });

  it('lists each invalid field, unknown ones by name', async () => {
    const refusal = await refusalOf(EventListQuery, { limit: '0', status: 'nope', colour: 'red' }, 'query');
    expect(refusal.errors).toEqual(
      expect.arrayContaining([
        { field: 'limit', message: 'limit must be an integer from 1 to 500' },
        { field: 'status', message: expect.stringMatching(/^status must be one of /) },
        { field: 'colour', message: 'property colour should not exist' },
      ]),
    );
    expect(refusal.errors).toHaveLength(3);
  });
});
