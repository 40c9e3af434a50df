import type { Status } from '../types';

const LABELS: Record<Status, string> = {
  queued: 'Queued',
  retrying: 'Retrying',
  sent: 'Sent',
  failed: 'Failed',
  exhausted: 'Exhausted',
  uncertain: 'Uncertain',
};

export const statusLabel = (status: string) => LABELS[status as Status] ?? status;

/** The status in words (colour only repeats it, for those who can see it). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{statusLabel(status)}</span>;
}
