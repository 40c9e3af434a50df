import { Command } from '@nestjs/cqrs';
import type { Principal } from '../access/principal.js';
import type { ReplayRequestDto } from './replay-request.dto.js';
import type { ReplayPreview } from './replay.repository.js';

export type ReplayResult =
  | ({ dry_run: true } & ReplayPreview)
  | { dry_run: false; id: string; matched: number; queued: number; status_url: string };

/** Put failed events back in the queue (or, with dry_run, say which would go). */
export class RequestReplayCommand extends Command<ReplayResult> {
  constructor(
    readonly principal: Pick<Principal, 'partnerId' | 'name' | 'role'>,
    readonly request: ReplayRequestDto,
  ) {
    super();
  }
}
