import { Module } from '@nestjs/common';
import { DispatchQueue } from './dispatch-queue.js';

/**
 * The dispatch queue, owner of `event_status`. No background work, so the CLI and the audit log's
 * projection check use it without starting a dispatcher.
 */
@Module({ providers: [DispatchQueue], exports: [DispatchQueue] })
export class QueueModule {}
