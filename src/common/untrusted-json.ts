/**
 * Checks for request bodies that come from anyone: how deep they nest (measured on the text, before
 * anything recursive runs) and whether every string can be stored by Postgres, which refuses U+0000 in
 * text and jsonb, and cannot encode a lone UTF-16 surrogate as UTF-8.
 */

/** True when the JSON text nests arrays and objects deeper than `maxDepth`; one pass, no recursion. */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
  }
  return false;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (such as \\ud800), which is not valid Unicode';
  return undefined;
}

/**
 * The first key or string value, at any depth, that cannot be stored, described by its path
 * (`properties.language`, `tags[2]`); keys are not quoted back, as they are what is wrong.
 * Expects a value whose depth was already bounded.
 */
export function findUnstorableText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason && `${path || 'the body'} ${reason}`;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnstorableText(value[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unstorableReason(key);
      if (keyReason) return `a key of ${path || 'the body'} ${keyReason}`;
      const found = findUnstorableText(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Text made storable for a log or a diagnostic column: NULs and lone surrogates become visible escapes. */
export function storableText(text: string): string {
  return text
    .replace(/\u0000/g, '\\u0000')
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/**
 * JSON text of an untrusted value for a log or a diagnostic column: never throws (a cycle, a BigInt,
 * a value nested too deep for the stack all give a placeholder) and never exceeds `maxChars`.
 */
export function boundedJson(value: unknown, maxChars: number): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value ?? null) ?? 'undefined');
  } catch {
    text = '(a value that cannot be shown as JSON)';
  }
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
