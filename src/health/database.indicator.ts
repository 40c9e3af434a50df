import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { within } from './within.js';

/** Names as TypeORM records them in `schema_migrations`. */
const EXPECTED_MIGRATIONS = migrations.map((Migration) => new Migration().name ?? Migration.name);

/**
 * Checks the database through the application's own pool, so "ready" means the connections that serve
 * requests work, not merely that some connection could be opened.
 */
@Injectable()
export class DatabaseIndicator {
  constructor(
    private readonly db: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  reachable(timeoutMs: number): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.health
      .check('database')
      .attempt(() => this.db.query('SELECT 1').then(() => undefined))
      .withTimeout(timeoutMs);
  }

  /** Down when a migration this build knows has not been applied (e.g. a new build on an old schema). */
  async migrated(timeoutMs: number): Promise<HealthIndicatorResult<'migrations'>> {
    const check = this.health.check('migrations');
    try {
      const rows: { name: string }[] = await within(timeoutMs, this.db.query('SELECT name FROM schema_migrations'));
      const applied = new Set(rows.map((row) => row.name));
      const pending = EXPECTED_MIGRATIONS.filter((name) => !applied.has(name));
      if (pending.length > 0) return check.down({ message: 'migrations are pending', pending });
      return check.up({ applied: EXPECTED_MIGRATIONS.length });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
