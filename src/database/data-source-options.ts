import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/** One definition of the connection, shared by the app, the CLI, ormconfig.ts and the tests. */
export function dataSourceOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'bulletin-gateway' },
  };
}
