import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { displayPrefix, generateKey, hashKey } from './partner-keys.js';
import type { Principal, Role } from './principal.js';

export interface CreatedPartner {
  id: string;
  key: string;
}

export interface PartnerSummary {
  id: string;
  name: string;
  role: Role;
  accounts: string[];
  key_prefixes: string[];
  created_at: string;
  revoked_at: string | null;
}

/** A partner's dispatch weight and ingress limits; null means the gateway's configured default. */
export interface PartnerSettings {
  weight: number | null;
  ratePerSecond: number | null;
  burst: number | null;
  maxBacklog: number | null;
}

/** NOTIFY channel telling every gateway process that keys were revoked or added. */
export const KEYS_CHANGED_CHANNEL = 'partner_keys_changed';

@Injectable()
export class PartnersRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates a partner with one key; the key is returned once and only its hash is stored. */
  async create(name: string, role: Role, accounts: string[]): Promise<CreatedPartner> {
    return this.db.transaction(async (tx) => {
      const [{ id }]: { id: string }[] = await tx.query(`INSERT INTO partners (name, role) VALUES ($1, $2) RETURNING id`, [name, role]);
      for (const account of new Set(accounts)) {
        await tx.query(`INSERT INTO partner_accounts (partner_id, account_id) VALUES ($1, $2)`, [id, account]);
      }
      const key = generateKey();
      await tx.query(`INSERT INTO partner_keys (partner_id, key_sha256, key_prefix) VALUES ($1, $2, $3)`, [
        id,
        hashKey(key),
        displayPrefix(key),
      ]);
      return { id, key };
    });
  }

  /** Revokes every key of the partner and issues a new one (used for the simulator's demo partner). */
  async rotateKey(partnerId: string): Promise<string> {
    const key = generateKey();
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE partner_keys SET revoked_at = now() WHERE partner_id = $1 AND revoked_at IS NULL`, [partnerId]);
      await tx.query(`INSERT INTO partner_keys (partner_id, key_sha256, key_prefix) VALUES ($1, $2, $3)`, [
        partnerId,
        hashKey(key),
        displayPrefix(key),
      ]);
      await tx.query(`SELECT pg_notify('${KEYS_CHANGED_CHANNEL}', $1)`, [partnerId]);
    });
    return key;
  }

  /** Issues one more key to an active partner; undefined when there is no such partner. */
  async addKey(partnerId: string): Promise<string | undefined> {
    const key = generateKey();
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO partner_keys (partner_id, key_sha256, key_prefix)
       SELECT id, $2, $3 FROM partners WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [partnerId, hashKey(key), displayPrefix(key)],
    );
    return rows.length > 0 ? key : undefined;
  }

  /** Looks a key up by its hash: an index probe, so its timing tells nothing about other keys. */
  async findByKey(key: string): Promise<Principal | undefined> {
    const rows: { id: string; name: string; role: Role; accounts: string[] }[] = await this.db.query(
      `SELECT p.id, p.name, p.role,
              COALESCE(array_agg(a.account_id) FILTER (WHERE a.account_id IS NOT NULL), '{}') AS accounts
         FROM partner_keys k
         JOIN partners p ON p.id = k.partner_id
         LEFT JOIN partner_accounts a ON a.partner_id = p.id
        WHERE k.key_sha256 = $1 AND k.revoked_at IS NULL AND p.revoked_at IS NULL
        GROUP BY p.id`,
      [hashKey(key)],
    );
    if (rows.length === 0) return undefined;
    const [row] = rows;
    return { partnerId: row.id, name: row.name, role: row.role, accounts: row.accounts };
  }

  async findIdByName(name: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM partners WHERE name = $1 AND revoked_at IS NULL LIMIT 1`, [name]);
    return rows[0]?.id;
  }

  async list(): Promise<PartnerSummary[]> {
    return this.summaries('', []);
  }

  /** One partner as listed (revoked ones too), or undefined. */
  async get(partnerId: string): Promise<PartnerSummary | undefined> {
    return (await this.summaries('WHERE p.id = $1', [partnerId]))[0];
  }

  private async summaries(where: string, params: unknown[]): Promise<PartnerSummary[]> {
    const rows: { id: string; name: string; role: Role; created_at: Date; revoked_at: Date | null; accounts: string[]; key_prefixes: string[] }[] =
      await this.db.query(
      `SELECT p.id, p.name, p.role, p.created_at, p.revoked_at,
              COALESCE((SELECT array_agg(account_id ORDER BY account_id) FROM partner_accounts WHERE partner_id = p.id), '{}') AS accounts,
              COALESCE((SELECT array_agg(key_prefix ORDER BY created_at) FROM partner_keys
                         WHERE partner_id = p.id AND revoked_at IS NULL), '{}') AS key_prefixes
         FROM partners p ${where} ORDER BY p.created_at`,
      params,
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      accounts: row.accounts,
      key_prefixes: row.key_prefixes,
      created_at: new Date(row.created_at).toISOString(),
      revoked_at: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    }));
  }

  /** Revokes a partner and all its keys at once; returns false when no such active partner exists. */
  async revoke(partnerId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [, count] = await tx.query<[unknown[], number]>(`UPDATE partners SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [partnerId]);
      await tx.query(`UPDATE partner_keys SET revoked_at = now() WHERE partner_id = $1 AND revoked_at IS NULL`, [partnerId]);
      await tx.query(`SELECT pg_notify('${KEYS_CHANGED_CHANNEL}', $1)`, [partnerId]);
      return count > 0;
    });
  }

  /** Sets the given settings of an active partner (null resets one to the default); undefined when there is no such partner. */
  async updateSettings(partnerId: string, patch: Partial<PartnerSettings>): Promise<PartnerSettings | undefined> {
    const set = (key: keyof PartnerSettings) => (key in patch ? 'true' : 'false');
    const rows: { dispatch_weight: number | null; rate_per_second: number | null; burst: number | null; max_backlog: number | null }[] =
      await this.db.query(
        `INSERT INTO partner_settings AS s (partner_id, dispatch_weight, rate_per_second, burst, max_backlog)
         SELECT id, $2, $3, $4, $5 FROM partners WHERE id = $1 AND revoked_at IS NULL
         ON CONFLICT (partner_id) DO UPDATE SET
           dispatch_weight = CASE WHEN ${set('weight')} THEN EXCLUDED.dispatch_weight ELSE s.dispatch_weight END,
           rate_per_second = CASE WHEN ${set('ratePerSecond')} THEN EXCLUDED.rate_per_second ELSE s.rate_per_second END,
           burst = CASE WHEN ${set('burst')} THEN EXCLUDED.burst ELSE s.burst END,
           max_backlog = CASE WHEN ${set('maxBacklog')} THEN EXCLUDED.max_backlog ELSE s.max_backlog END,
           updated_at = now()
         RETURNING dispatch_weight, rate_per_second, burst, max_backlog`,
        [partnerId, patch.weight ?? null, patch.ratePerSecond ?? null, patch.burst ?? null, patch.maxBacklog ?? null],
      );
    if (rows.length === 0) return undefined;
    const [row] = rows;
    return { weight: row.dispatch_weight, ratePerSecond: row.rate_per_second, burst: row.burst, maxBacklog: row.max_backlog };
  }

  /** Every partner's settings that differ from the defaults. */
  async allSettings(): Promise<Map<string, PartnerSettings>> {
    const rows: { partner_id: string; dispatch_weight: number | null; rate_per_second: number | null; burst: number | null; max_backlog: number | null }[] =
      await this.db.query(`SELECT partner_id, dispatch_weight, rate_per_second, burst, max_backlog FROM partner_settings`);
    return new Map(
      rows.map((row) => [
        row.partner_id,
        { weight: row.dispatch_weight, ratePerSecond: row.rate_per_second, burst: row.burst, maxBacklog: row.max_backlog },
      ]),
    );
  }
}
