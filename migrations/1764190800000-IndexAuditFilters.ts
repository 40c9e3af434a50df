import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit list pages newest first within a filter; these let Postgres walk one partner's, account's
 * or business event's events in log order instead of filtering the whole log.
 */
export class IndexAuditFilters1764190800000 implements MigrationInterface {
  name = 'IndexAuditFilters1764190800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX bulletin_events_partner_position ON bulletin_events (partner_id, position);
      CREATE INDEX bulletin_events_account_position ON bulletin_events (account_id, position);
      CREATE INDEX bulletin_events_business_event_position ON bulletin_events (business_event, position);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX bulletin_events_partner_position;
      DROP INDEX bulletin_events_account_position;
      DROP INDEX bulletin_events_business_event_position;
    `);
  }
}
