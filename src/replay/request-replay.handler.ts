import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { GatewayError } from '../common/gateway.error.js';
import { refuseSecrets, secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { filterOf } from './replay-request.dto.js';
import { ReplayRepository } from './replay.repository.js';
import { RequestReplayCommand, type ReplayResult } from './request-replay.command.js';
import { ReplayRequestedEvent } from './replay-requested.event.js';

@CommandHandler(RequestReplayCommand)
export class RequestReplayHandler implements ICommandHandler<RequestReplayCommand> {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly replays: ReplayRepository,
    private readonly eventBus: EventBus,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  async execute({ principal, request }: RequestReplayCommand): Promise<ReplayResult> {
    if (request.force && principal.role !== 'admin')
      throw new GatewayError('forbidden', 403, 'Only an admin may force sent events to be sent again');
    const scope = { filter: filterOf(request), includeUncertain: request.include_uncertain ?? false, force: request.force ?? false };
    // The reason and the filter are kept with the replay and shown to auditors.
    refuseSecrets(request, this.scrub, 'The replay request');
    if (request.dry_run) return { dry_run: true, ...(await this.replays.preview(scope)) };

    const replay = await this.replays.requeue(scope, { id: principal.partnerId, name: principal.name }, request.reason.trim());
    this.eventBus.publish(new ReplayRequestedEvent(replay.id));
    return { dry_run: false, id: replay.id, matched: replay.matched, queued: replay.queued, status_url: `/v1/replays/${replay.id}` };
  }
}
