import { formatTraceparent, parseTraceparent } from './traceparent.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads a version-00 traceparent as a remote span context, keeping only the sampled flag', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.traceFlags).toBe(0);
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-ff`)?.traceFlags).toBe(1);
  });

  it('reads a later version by its first four fields, ignoring what follows', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01-what-comes-next`)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it.each([
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with more fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['two headers joined by Node', `00-${TRACE_ID}-${SPAN_ID}-01, 00-${TRACE_ID}-${SPAN_ID}-01`],
    ['a gateway key', 'bgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an over-long later version', `01-${TRACE_ID}-${SPAN_ID}-01-${'a'.repeat(300)}`],
    ['a control character in a later version', `01-${TRACE_ID}-${SPAN_ID}-01-\u0001`],
    ['nothing', ''],
  ])('refuses %s', (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('refuses a header sent twice (an array) and a missing one', () => {
    expect(parseTraceparent([`00-${TRACE_ID}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}-01`])).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 and round-trips through the parser', () => {
    const header = formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(header).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(parseTraceparent(header)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 })).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
  });
});
