import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { GatewayError } from '../common/gateway.error.js';
import { filterOf } from './replay-request.dto.js';
import { ReplayRepository } from './replay.repository.js';
import { RequestReplayCommand, type ReplayResult } from './request-replay.command.js';
import { ReplayRequestedEvent } from './replay-requested.event.js';

@CommandHandler(RequestReplayCommand)
export class RequestReplayHandler implements ICommandHandler<RequestReplayCommand> {
  constructor(
    private readonly replays: ReplayRepository,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ principal, request }: RequestReplayCommand): Promise<ReplayResult> {
    if (request.force && principal.role !== 'admin')
      throw new GatewayError('forbidden', 403, 'Only an admin may force sent events to be sent again');
    const scope = { filter: filterOf(request), includeUncertain: request.include_uncertain ?? false, force: request.force ?? false };
    if (request.dry_run) return { dry_run: true, ...(await this.replays.preview(scope)) };

    const replay = await this.replays.requeue(scope, { id: principal.partnerId, name: principal.name }, request.reason.trim());
    this.eventBus.publish(new ReplayRequestedEvent(replay.id));
    return { dry_run: false, id: replay.id, matched: replay.matched, queued: replay.queued, status_url: `/v1/replays/${replay.id}` };
  }
}
