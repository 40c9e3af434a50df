import type { QueryRunner } from 'typeorm';

/**
 * Makes Postgres itself refuse UPDATE, DELETE and TRUNCATE on a log table. The triggers are ENABLE
 * ALWAYS, so `session_replication_role = replica` does not skip them; only a superuser who drops or
 * disables them can rewrite history, and the audit chain exists to expose that.
 */
export async function makeAppendOnly(db: QueryRunner, table: string): Promise<void> {
  await db.query(`
    CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION reject_log_mutation();
    CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION reject_log_mutation();
    ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_append_only;
    ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate;
    REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC;
  `);
}
