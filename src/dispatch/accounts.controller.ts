import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AllowRoles, ApiAuthGuard } from '../access/api-auth.guard.js';
import { AccountCircuit } from './account-circuit.js';
import { DispatchQueue } from './dispatch-queue.js';
import { ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, PROBLEMS } from '../openapi/api-docs.js';
import { ACCOUNT_LIST_EXAMPLE, AccountListView } from './account-views.js';

export interface AccountOverview {
  account_id: string;
  circuit: string;
  reason: string | null;
  open_until: string | null;
  in_flight: number;
  limit: number;
  queue_depth: number;
  oldest_queued_age_seconds: number | null;
}

/** Each configured CleverTap account as the whole fleet sees it, for operators (and the console). */
@Controller('v1/accounts')
@UseGuards(ApiAuthGuard)
@AllowRoles('operator', 'admin')
@ApiV1Controller('operations')
export class AccountsController {
  constructor(
    private readonly queue: DispatchQueue,
    private readonly circuit: AccountCircuit,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiV1Operation({ id: 'listAccounts', summary: 'CleverTap accounts: circuits, slots and queues', roles: ['operator', 'admin'] })
  @ApiJsonResponse(200, AccountListView, { description: 'Every configured account', example: ACCOUNT_LIST_EXAMPLE })
  @ApiProblems(PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
  async list(): Promise<{ data: AccountOverview[] }> {
    const circuits = new Map((await this.circuit.states()).map((state) => [state.accountId, state]));
    const queues = await this.queue.backlogs();
    const queueOf = new Map(queues.map((row) => [row.accountId, row]));
    return {
      data: this.config.accounts.map(({ id }) => {
        const circuit = circuits.get(id);
        const queue = queueOf.get(id);
        return {
          account_id: id,
          circuit: circuit?.state ?? 'closed',
          reason: circuit?.reason ?? null,
          open_until: circuit?.openUntil ? new Date(circuit.openUntil).toISOString() : null,
          in_flight: queue?.inFlight ?? 0,
          limit: this.config.dispatch.concurrencyPerAccount,
          queue_depth: queue?.queueDepth ?? 0,
          oldest_queued_age_seconds: queue ? Math.round(queue.oldestQueuedAgeSeconds) : null,
        };
      }),
    };
  }
}
