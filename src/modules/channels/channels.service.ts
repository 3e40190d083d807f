import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export type ChannelKind = 'shopify' | 'woocommerce' | 'amazon' | 'ebay' | 'etsy' | 'walmart' | 'edi' | 'pos' | 'api';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['shopify', 'woocommerce', 'amazon', 'ebay', 'etsy', 'walmart', 'edi', 'pos', 'api'];

export interface ChannelInput {
  code: string;
  name: string;
  kind: ChannelKind;
  buffer?: number;
  locations?: string[];
  webhookSecret?: string;
}

export interface Channel {
  id: string;
  code: string;
  name: string;
  kind: ChannelKind;
  buffer: number;
  active: boolean;
  locationIds: string[];
  locations: string[];
  protections: Array<{ sku: string; qty: number }>;
}

export interface ChannelSecrets {
  current: string | null;
  previous: string | null;
  rotatedAt: Date | null;
}

/** Sales channels as data: which locations feed each, a buffer, and protected quantities per SKU. */
export class ChannelService {
  #byCode = new Map<string, { at: number; channel: Channel }>();
  constructor(private readonly database: Database) {}

  async create(input: ChannelInput): Promise<Channel & { webhookSecret: string }> {
    const secret = input.webhookSecret ?? randomBytes(24).toString('base64url');
    await this.database.transaction(async (trx) => {
      const id = uuidv7();
      const r = await sql`insert into channels (id, code, name, kind, buffer, webhook_secret)
        values (${id}, ${input.code}, ${input.name}, ${input.kind}, ${input.buffer ?? 0}, ${secret})
        on conflict (code) do nothing`.execute(trx);
      if (Number(r.numAffectedRows ?? 0) === 0) throw conflict('channel_exists', `channel ${input.code} already exists`, 'code');
      if (input.locations) await this.setLocationsTx(trx, id, input.locations);
    });
    return { ...(await this.getByCode(input.code)), webhookSecret: secret };
  }

  async setLocations(code: string, locationCodes: string[]): Promise<Channel> {
    const ch = await this.getByCode(code);
    await this.database.transaction((trx) => this.setLocationsTx(trx, ch.id, locationCodes));
    this.#byCode.delete(code);
    return this.getByCode(code);
  }

  private async setLocationsTx(trx: Tx, channelId: string, locationCodes: string[]) {
    const locs = (await sql<{ id: string; code: string }>`select id, code from locations where code = any(${locationCodes}::text[])`.execute(trx)).rows;
    const missing = locationCodes.findIndex((c) => !locs.some((l) => l.code === c));
    if (missing >= 0) throw invalid('unknown_location', `location ${locationCodes[missing]} does not exist`, `locations/${missing}`);
    await sql`delete from channel_locations where channel_id = ${channelId}`.execute(trx);
    if (locs.length > 0) {
      await sql`insert into channel_locations (channel_id, location_id) select ${channelId}, unnest(${locs.map((l) => l.id)}::uuid[])`.execute(trx);
    }
  }

  async update(code: string, patch: { name?: string; buffer?: number; active?: boolean }): Promise<Channel> {
    const ch = await this.getByCode(code);
    await sql`update channels set name = coalesce(${patch.name ?? null}, name), buffer = coalesce(${patch.buffer ?? null}::int, buffer),
      active = coalesce(${patch.active ?? null}::boolean, active) where id = ${ch.id}`.execute(this.database.db);
    this.#byCode.delete(code);
    return this.getByCode(code);
  }

  /** Protected quantity: `qty` units of the SKU that other channels cannot take. */
  async setProtection(code: string, sku: string, qty: number): Promise<Channel> {
    const ch = await this.getByCode(code);
    const s = await sql<{ id: string }>`select id from skus where sku = ${sku}`.execute(this.database.db);
    if (s.rows.length === 0) throw invalid('unknown_sku', `SKU ${sku} does not exist`, 'sku');
    await sql`insert into channel_protections (channel_id, sku_id, qty) values (${ch.id}, ${s.rows[0]!.id}, ${qty})
      on conflict (channel_id, sku_id) do update set qty = excluded.qty`.execute(this.database.db);
    this.#byCode.delete(code);
    return this.getByCode(code);
  }

  /** Replaces the webhook secret; the previous one stays valid for an hour (Shopify's rotation rule). */
  async rotateSecret(code: string): Promise<{ webhookSecret: string }> {
    const secret = randomBytes(24).toString('base64url');
    const r = await sql`update channels set previous_webhook_secret = webhook_secret, webhook_secret = ${secret}, secret_rotated_at = now()
      where code = ${code}`.execute(this.database.db);
    if (Number(r.numAffectedRows ?? 0) === 0) throw notFound('channel', code);
    return { webhookSecret: secret };
  }

  async secrets(channelId: string): Promise<ChannelSecrets> {
    const r = await sql<any>`select webhook_secret, previous_webhook_secret, secret_rotated_at from channels where id = ${channelId}`.execute(this.database.db);
    const row = r.rows[0];
    if (!row) throw notFound('channel', channelId);
    return { current: row.webhook_secret, previous: row.previous_webhook_secret, rotatedAt: row.secret_rotated_at };
  }

  async list(): Promise<Channel[]> {
    const r = await sql<{ code: string }>`select code from channels order by code`.execute(this.database.db);
    return Promise.all(r.rows.map((row) => this.getByCode(row.code)));
  }

  async getByCode(code: string, trx?: Tx): Promise<Channel> {
    const r = await sql<any>`
      select c.id, c.code, c.name, c.kind, c.buffer, c.active,
        coalesce((select array_agg(l.id::text order by l.priority, l.code) from channel_locations cl join locations l on l.id = cl.location_id where cl.channel_id = c.id), '{}') as location_ids,
        coalesce((select array_agg(l.code order by l.priority, l.code) from channel_locations cl join locations l on l.id = cl.location_id where cl.channel_id = c.id), '{}') as location_codes,
        coalesce((select json_agg(json_build_object('sku', s.sku, 'qty', p.qty) order by s.sku) from channel_protections p join skus s on s.id = p.sku_id where p.channel_id = c.id), '[]') as protections
      from channels c where c.code = ${code}`.execute(trx ?? this.database.db);
    const row = r.rows[0];
    if (!row) throw notFound('channel', code);
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      kind: row.kind,
      buffer: row.buffer,
      active: row.active,
      locationIds: row.location_ids,
      locations: row.location_codes,
      protections: typeof row.protections === 'string' ? JSON.parse(row.protections) : row.protections,
    };
  }

  /** The channel a request names (cached), or 422 `unknown_channel` on the request's `field`. */
  async require(code: string, field: string): Promise<Channel> {
    const channel = await this.getCached(this.database.db as unknown as Tx, code);
    if (!channel) throw invalid('unknown_channel', `channel ${code} does not exist`, field);
    return channel;
  }

  /** Cached lookup for the capture hot path; configuration changes made in another process are seen within `maxAgeMs`. */
  async getCached(trx: Tx, code: string, maxAgeMs = 5000): Promise<Channel | null> {
    const hit = this.#byCode.get(code);
    const now = Date.now();
    if (hit && now - hit.at < maxAgeMs) return hit.channel;
    try {
      const channel = await this.getByCode(code, trx);
      this.#byCode.set(code, { at: now, channel });
      return channel;
    } catch {
      return null;
    }
  }
}
