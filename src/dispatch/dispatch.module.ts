import { Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module.js';
import { AccessModule } from '../access/access.module.js';
import { AccountsController } from './accounts.controller.js';
import { AccountCircuit } from './account-circuit.js';
import { AccountSlots } from './account-slots.js';
import { CleverTapClient } from './clevertap-client.js';
import { DispatchBulletinHandler } from './dispatch-bulletin.handler.js';
import { DispatchQueue } from './dispatch-queue.js';
import { Dispatcher } from './dispatcher.service.js';
import { WakeDispatcher } from './wake-dispatcher.handler.js';

@Module({
  imports: [EventLogModule, AccessModule],
  controllers: [AccountsController],
  providers: [
    CleverTapClient,
    AccountSlots,
    AccountCircuit,
    DispatchQueue,
    Dispatcher,
    DispatchBulletinHandler,
    WakeDispatcher,
  ],
  exports: [Dispatcher, AccountCircuit],
})
export class DispatchModule {}
