const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** Parses `5s`, `2m`, `1h`, `250ms`; returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : undefined;
}

/** Parses a retry schedule such as `5s,30s,2m`; undefined when any item is not a duration. */
export function parseDurationList(text: string): number[] | undefined {
  const items = text.split(',').map(parseDuration);
  return items.length > 0 && items.every((ms) => ms !== undefined) ? (items as number[]) : undefined;
}
