const RECEIVED_BYTES = Symbol('bulletin-gateway.receivedBytes');

/**
 * The parsed body remembers how many bytes arrived, so that a refusal further on (validation, in the
 * handler) records the size the partner sent rather than that of the body re-serialized. A symbol,
 * not enumerable: JSON, hashing and validation never see it.
 */
export function withReceivedBytes<T>(parsed: T, bytes: number): T {
  if (parsed !== null && typeof parsed === 'object') Object.defineProperty(parsed, RECEIVED_BYTES, { value: bytes });
  return parsed;
}

export function receivedBytesOf(body: unknown): number | undefined {
  return body !== null && typeof body === 'object' ? (body as { [RECEIVED_BYTES]?: number })[RECEIVED_BYTES] : undefined;
}
