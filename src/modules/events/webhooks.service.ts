import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export interface Subscription {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  createdAt: string;
}

/** HMAC-SHA256 over `${timestamp}.${body}`, hex; sent as `Switchyard-Signature: t=<ts>,v1=<hex>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Webhook subscriptions and their deliveries (the read/redeliver side; the dispatcher sends). */
export class WebhookService {
  constructor(private readonly database: Database) {}

  async subscribe(i: { url: string; eventTypes?: string[]; secret?: string }): Promise<Subscription & { secret: string }> {
    let u: URL;
    try {
      u = new URL(i.url);
    } catch {
      throw invalid('invalid_url', 'url is not a valid URL', 'url');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid('invalid_url', 'url must be http(s)', 'url');
    const secret = i.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const id = uuidv7();
    await sql`insert into webhook_subscriptions (id, url, secret, event_types) values (${id}, ${i.url}, ${secret}, ${i.eventTypes ?? ['*']})`.execute(this.database.db);
    return { ...(await this.get(id)), secret };
  }

  async get(id: string): Promise<Subscription> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('subscription', id);
    const r = await sql<any>`select * from webhook_subscriptions where id = ${id}`.execute(this.database.db);
    if (!r.rows[0]) throw notFound('subscription', id);
    return toSub(r.rows[0]);
  }

  async list(): Promise<Subscription[]> {
    const r = await sql<any>`select * from webhook_subscriptions order by created_at`.execute(this.database.db);
    return r.rows.map(toSub);
  }

  async deactivate(id: string): Promise<Subscription> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('subscription', id);
    const r = await sql`update webhook_subscriptions set active = false where id = ${id}`.execute(this.database.db);
    if (Number(r.numAffectedRows ?? 0) === 0) throw notFound('subscription', id);
    return this.get(id);
  }

  async deliveries(opts: { status?: string; subscriptionId?: string; limit: number; afterId?: number }) {
    const r = await sql<any>`select d.id, d.subscription_id, d.outbox_id, o.topic, d.status, d.attempts, d.next_attempt_at, d.last_error,
        d.last_status_code, d.delivered_at, d.created_at
      from webhook_deliveries d join outbox o on o.id = d.outbox_id
      where (${opts.status ?? null}::text is null or d.status = ${opts.status ?? null})
        and (${opts.subscriptionId ?? null}::uuid is null or d.subscription_id = ${opts.subscriptionId ?? null}::uuid)
        and d.id > ${opts.afterId ?? 0}
      order by d.id limit ${opts.limit}`.execute(this.database.db);
    return r.rows.map((d) => ({
      id: String(d.id), subscriptionId: d.subscription_id, eventId: String(d.outbox_id), topic: d.topic, status: d.status,
      attempts: d.attempts, nextAttemptAt: d.next_attempt_at, lastError: d.last_error, lastStatusCode: d.last_status_code,
      deliveredAt: d.delivered_at, createdAt: d.created_at,
    }));
  }

  /** Puts a delivery (typically dead-lettered) back in the queue for an immediate new attempt. */
  async redeliver(id: string) {
    const r = await sql`update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = null
      where id = ${Number(id)}`.execute(this.database.db);
    if (Number(r.numAffectedRows ?? 0) === 0) throw notFound('delivery', id);
    return (await this.deliveries({ limit: 1, afterId: Number(id) - 1 }))[0];
  }
}

function toSub(r: any): Subscription {
  return { id: r.id, url: r.url, eventTypes: r.event_types, active: r.active, createdAt: r.created_at };
}
