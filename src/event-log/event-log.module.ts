import { Module } from '@nestjs/common';
import { EventLogRepository } from './event-log.repository.js';

@Module({ providers: [EventLogRepository], exports: [EventLogRepository] })
export class EventLogModule {}
