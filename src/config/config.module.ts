import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { GatewayConfig } from './gateway-config.js';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Makes the configuration, validated once at boot, injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] };
  }
}
