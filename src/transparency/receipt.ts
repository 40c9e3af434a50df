import { isValidKeyName, NoteError, type NoteSigner, type NoteVerifier, openNote, signNote } from './signed-note.js';

/**
 * A partner receipt: the gateway's signed promise, made when it accepts an event, that the event with
 * this payload digest is in its log. Sigstore Rekor's signed entry timestamp is the model; the envelope
 * is a C2SP signed note signed by the log key, so the same verifier key checks checkpoints and receipts.
 *
 *   <origin>\n
 *   bulletin-gateway receipt/v1\n
 *   event <event id: lowercase UUID>\n
 *   payload-sha256 <lowercase hex SHA-256 of the payload's RFC 8785 canonical JSON>\n
 *   received <UTC time, exactly as JavaScript's toISOString writes it: YYYY-MM-DDTHH:MM:SS.sssZ>\n
 *
 * The second line can never be a checkpoint's decimal tree size, so neither note can pass for the other.
 */
export const RECEIPT_HEADER = 'bulletin-gateway receipt/v1';

export interface Receipt {
  origin: string;
  eventId: string;
  payloadSha256: string;
  receivedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function formatReceipt(receipt: Receipt): string {
  const { origin, eventId, payloadSha256, receivedAt } = receipt;
  if (!isValidKeyName(origin)) throw new NoteError('receipt origin must be non-empty, without white space or "+"');
  if (!UUID.test(eventId)) throw new NoteError('receipt event id must be a lowercase UUID');
  if (!SHA256_HEX.test(payloadSha256)) throw new NoteError('receipt payload digest must be 64 lowercase hex digits');
  if (Number.isNaN(receivedAt.getTime())) throw new NoteError('receipt time is not a valid date');
  const received = receivedAt.toISOString();
  if (!TIME.test(received)) throw new NoteError('receipt time must be within years 0000-9999');
  return `${origin}\n${RECEIPT_HEADER}\nevent ${eventId}\npayload-sha256 ${payloadSha256}\nreceived ${received}\n`;
}

/** Parses receipt text strictly: exactly the five lines above, so formatting what was parsed gives it back. */
export function parseReceipt(text: string): Receipt {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : [];
  if (lines.length !== 5 || lines[1] !== RECEIPT_HEADER) throw new NoteError('malformed receipt: not a receipt/v1');
  const field = (line: string, key: string, pattern: RegExp) => {
    const value = line.startsWith(`${key} `) ? line.slice(key.length + 1) : '';
    if (!pattern.test(value)) throw new NoteError(`malformed receipt: bad "${key}" line`);
    return value;
  };
  const receipt = {
    origin: lines[0],
    eventId: field(lines[2], 'event', UUID),
    payloadSha256: field(lines[3], 'payload-sha256', SHA256_HEX),
    receivedAt: new Date(field(lines[4], 'received', TIME)),
  };
  if (formatReceipt(receipt) !== text) throw new NoteError('malformed receipt: not in canonical form');
  return receipt;
}

export function signReceipt(receipt: Receipt, logSigner: NoteSigner): string {
  if (logSigner.name !== receipt.origin) throw new NoteError('the log key name must be the receipt origin');
  return signNote(formatReceipt(receipt), logSigner);
}

/** Verifies a receipt note against the log's verifier key and returns what it promises. */
export function openReceipt(note: string | Uint8Array, logVerifier: NoteVerifier): Receipt {
  const receipt = parseReceipt(openNote(note, [logVerifier]).text);
  if (receipt.origin !== logVerifier.name)
    throw new NoteError(`receipt origin ${receipt.origin} is not the log key name ${logVerifier.name}`);
  return receipt;
}
