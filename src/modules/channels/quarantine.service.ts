import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export interface QuarantineEntry {
  id: string;
  channel: string;
  source: string;
  externalRef: string;
  errorCode: string;
  errorField: string | null;
  errorDetail: string;
  attempts: number;
  createdAt: string;
  resolvedAt: string | null;
  orderId: string | null;
}

/**
 * Authentic channel payloads that cannot be captured as they are. A channel order is a fact (the customer paid),
 * so it is neither dropped nor half-applied: it waits here, whole, until ops fix the cause and replay it.
 */
export class QuarantineService {
  constructor(private readonly database: Database) {}

  /** Keeps the payload; a redelivery of the same open item counts an attempt instead of adding a row. */
  async hold(i: { channelId: string; source: string; externalRef: string; payload: string; code: string; field?: string | null; detail: string }): Promise<string> {
    const id = uuidv7();
    const r = await sql<{ id: string }>`insert into channel_quarantine (id, channel_id, source, external_ref, payload, error_code, error_field, error_detail)
      values (${id}, ${i.channelId}, ${i.source}, ${i.externalRef}, ${i.payload}, ${i.code}, ${i.field ?? null}, ${i.detail})
      on conflict (channel_id, source, external_ref) where resolved_at is null
      do update set attempts = channel_quarantine.attempts + 1, payload = excluded.payload, error_code = excluded.error_code,
        error_field = excluded.error_field, error_detail = excluded.error_detail
      returning id`.execute(this.database.db);
    return r.rows[0]!.id;
  }

  async list(opts: { open?: boolean; limit: number }): Promise<QuarantineEntry[]> {
    const r = await sql<any>`select q.*, c.code as channel from channel_quarantine q join channels c on c.id = q.channel_id
      where (${opts.open ?? null}::boolean is null or (q.resolved_at is null) = ${opts.open ?? null}::boolean)
      order by q.created_at desc limit ${opts.limit}`.execute(this.database.db);
    return r.rows.map(toEntry);
  }

  async get(id: string): Promise<QuarantineEntry & { payload: string; channelId: string }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('quarantine_entry', id);
    const r = await sql<any>`select q.*, c.code as channel from channel_quarantine q join channels c on c.id = q.channel_id where q.id = ${id}`.execute(this.database.db);
    if (!r.rows[0]) throw notFound('quarantine_entry', id);
    return { ...toEntry(r.rows[0]), payload: r.rows[0].payload, channelId: r.rows[0].channel_id };
  }

  async resolve(id: string, orderId: string) {
    await sql`update channel_quarantine set resolved_at = now(), order_id = ${orderId} where id = ${id}`.execute(this.database.db);
  }

  /** The channel sent the order again, fixed, and it was captured: its open entry (if any) is resolved by that order. */
  async resolveByRef(channelId: string, source: string, externalRef: string, orderId: string): Promise<boolean> {
    const r = await sql`update channel_quarantine set resolved_at = now(), order_id = ${orderId}
      where channel_id = ${channelId} and source = ${source} and external_ref = ${externalRef} and resolved_at is null`.execute(this.database.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  async failedAgain(id: string, code: string, field: string | null, detail: string) {
    await sql`update channel_quarantine set attempts = attempts + 1, error_code = ${code}, error_field = ${field}, error_detail = ${detail} where id = ${id}`.execute(this.database.db);
  }
}

function toEntry(r: any): QuarantineEntry {
  return {
    id: r.id, channel: r.channel, source: r.source, externalRef: r.external_ref, errorCode: r.error_code, errorField: r.error_field,
    errorDetail: r.error_detail, attempts: r.attempts, createdAt: new Date(r.created_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null, orderId: r.order_id,
  };
}
