import { Global, Module } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsCollector } from './metrics-collector.js';
import { MetricsController } from './metrics.controller.js';

/** Global, so any handler can count what it does by injecting GatewayMetrics. */
@Global()
@Module({
  imports: [DispatchModule],
  controllers: [MetricsController],
  providers: [GatewayMetrics, MetricsCollector],
  exports: [GatewayMetrics],
})
export class MetricsModule {}
