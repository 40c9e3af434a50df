import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseNotifications } from './database-notifications.js';
import { DATABASE_URL } from './database.tokens.js';
import { NotificationSender } from './notification-sender.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), retryAttempts: 3, retryDelay: 1000 })],
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, DatabaseNotifications, NotificationSender],
      exports: [DATABASE_URL, DatabaseNotifications, NotificationSender],
    };
  }
}
