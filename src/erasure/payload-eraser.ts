import { Inject, Injectable } from '@nestjs/common';
import { GatewayError, invalidField } from '../common/gateway.error.js';
import { refuseSecrets, secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type ErasureOutcome, type ErasureRequest, PayloadErasuresRepository, type RecordedErasure } from './payload-erasures.repository.js';

export const MAX_REASON_LENGTH = 1000;

/**
 * The rules of an erasure, the same for the API and the CLI: a reason that says something, holds no
 * secret (it is kept in the log for good), and an answer in the gateway's error shape for every refusal.
 */
@Injectable()
export class PayloadEraser {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly erasures: PayloadErasuresRepository,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  async eraseEvent(eventId: string, request: ErasureRequest): Promise<RecordedErasure> {
    return outcome(await this.erasures.eraseEvent(eventId, this.checked(request)), 'event');
  }

  async eraseRejectionExcerpt(position: number, request: ErasureRequest): Promise<RecordedErasure> {
    return outcome(await this.erasures.eraseRejectionExcerpt(position, this.checked(request)), 'rejection');
  }

  private checked(request: ErasureRequest): ErasureRequest {
    const reason = request.reason.trim();
    // The route's body validation says the same; the CLI comes through here only.
    if (!reason) throw invalidField('reason', 'reason is required: say why this payload is erased');
    if (reason.length > MAX_REASON_LENGTH) throw invalidField('reason', `reason must be at most ${MAX_REASON_LENGTH} characters`);
    refuseSecrets(reason, this.scrub, 'The erasure reason');
    return { ...request, reason };
  }
}

function outcome(result: ErasureOutcome, what: 'event' | 'rejection'): RecordedErasure {
  switch (result.kind) {
    case 'erased':
      return result.erasure;
    case 'not_found':
      return fail(new GatewayError('not_found', 404, what === 'event' ? 'No such event' : 'No such rejection'));
    case 'already_erased':
      return fail(new GatewayError('already_erased', 409, `The ${what === 'event' ? "event's payload" : "rejection's excerpt"} was already erased`));
    case 'pending':
      return fail(
        new GatewayError('event_pending', 409, `The event is still ${result.status}: erase it once delivery has ended (sent, failed, exhausted or uncertain)`),
      );
    case 'nothing_to_erase':
      return fail(new GatewayError('nothing_to_erase', 409, 'The rejection kept no payload excerpt: there is nothing to erase'));
  }
}

const fail = (error: GatewayError): never => {
  throw error;
};
