import { Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { AccessModule } from '../access/access.module.js';
import { AccountOperationsController } from './account-operations.controller.js';
import { AccountsController } from './accounts.controller.js';
import { AccountCircuit } from './account-circuit.js';
import { AccountSlots } from './account-slots.js';
import { CleverTapClient } from './clevertap-client.js';
import { DeliveryAttempts } from './delivery-attempts.js';
import { Dispatcher } from './dispatcher.service.js';
import { OperationsReadModel } from './operations-read-model.js';
import { QueueModule } from './queue.module.js';
import { WakeDispatcher } from './wake-dispatcher.handler.js';

export const EventHandlers = [WakeDispatcher];

@Module({
  imports: [EventLogModule, AccessModule, QueueModule],
  controllers: [AccountsController, AccountOperationsController],
  providers: [CleverTapClient, AccountSlots, AccountCircuit, DeliveryAttempts, Dispatcher, OperationsReadModel, ...EventHandlers],
  exports: [Dispatcher, AccountCircuit, QueueModule],
})
export class DispatchModule {}
