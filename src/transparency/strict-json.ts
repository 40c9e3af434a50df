/**
 * JSON.parse that refuses what I-JSON (RFC 7493) forbids and RFC 8785 assumes away: an object that
 * repeats a member name. Parsers disagree on which duplicate wins, so such a record could hash one way
 * and display another; docs/audit-format.md §5 has verifiers reject it, and the gateway never writes it.
 */
export class StrictJsonError extends Error {
  override name = 'StrictJsonError';
}

export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StrictJsonError(`not JSON: ${(error as Error).message}`);
  }
  const repeated = firstRepeatedMember(text);
  if (repeated !== undefined) throw new StrictJsonError(`an object repeats the member name ${JSON.stringify(repeated)}`);
  return value;
}

/** Scans text already known to be valid JSON; returns the first member name an object repeats. */
function firstRepeatedMember(text: string): string | undefined {
  const open: (Set<string> | null)[] = []; // one entry per open object (its names) or array (null)
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectName) {
        const names = open[open.length - 1] as Set<string>;
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (names.has(name)) return name;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (ch === '{') {
      open.push(new Set());
      expectName = true;
    } else if (ch === '[') {
      open.push(null);
    } else if (ch === '}' || ch === ']') {
      open.pop();
      expectName = false;
    } else if (ch === ',') {
      expectName = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}
