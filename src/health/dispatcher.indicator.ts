import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Dispatcher } from '../dispatch/dispatcher.service.js';

@Injectable()
export class DispatcherIndicator {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly health: HealthIndicatorService,
  ) {}

  running(): HealthIndicatorResult<'dispatcher'> {
    const check = this.health.check('dispatcher');
    const owner = this.dispatcher.owner;
    return this.dispatcher.isRunning ? check.up({ owner }) : check.down({ owner, message: 'the dispatcher is not running' });
  }
}
