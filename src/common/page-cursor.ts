import { GatewayError } from './gateway.error.js';

/** Lists page backwards through log positions; the cursor is the position the next page starts before. */
export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ before: position })).toString('base64url');
}

/** A cursor is opaque to clients; anything that is not one we issued is a 400, not a 500. */
export function decodeCursor(cursor: string): number {
  try {
    const { before } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(before) && before > 0) return before;
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_cursor', 400, 'cursor is not valid: use next_cursor from a previous page');
}
