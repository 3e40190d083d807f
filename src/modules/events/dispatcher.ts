import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import { signWebhook } from './webhooks.service.ts';

export interface DispatcherOptions {
  maxAttempts: number;
  baseDelayMs: number;
  intervalMs: number;
  leaseMs?: number;
  batchSize?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Delivers outbox events to webhook subscriptions, at least once.
 *
 * Two steps, each a short transaction that claims rows with `FOR UPDATE SKIP LOCKED`, so any number of
 * processes can run it on one PostgreSQL without delivering a row twice concurrently:
 *  1. fan-out: each new outbox event becomes one delivery row per matching subscription;
 *  2. send: due deliveries are leased (lease_until), POSTed with an HMAC signature, then marked delivered or
 *     rescheduled with exponential back-off (base · 2^(attempt-1), with jitter) and dead-lettered after maxAttempts.
 * A crash mid-send leaves the lease to expire and the delivery is retried: at-least-once, receivers de-duplicate
 * on the `Switchyard-Event-Id` header.
 * Written here rather than with graphile-worker because it must run on PGlite too, where graphile-worker cannot.
 */
export class Dispatcher {
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #again = false;
  #stopped = true;
  #listener: pg.PoolClient | null = null;
  readonly #opts: Required<DispatcherOptions>;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    opts: DispatcherOptions,
  ) {
    this.#opts = { leaseMs: 30_000, batchSize: 50, timeoutMs: 10_000, fetch: globalThis.fetch, ...opts };
  }

  async start() {
    this.#stopped = false;
    if (this.database.pool) {
      try {
        this.#listener = await this.database.pool.connect();
        this.#listener.on('notification', () => this.poke());
        await this.#listener.query('listen switchyard_outbox');
      } catch (err) {
        this.log.warn({ err }, 'outbox LISTEN unavailable; polling only');
      }
    }
    const tick = () => {
      if (this.#stopped) return;
      this.poke();
      this.#timer = setTimeout(tick, this.#opts.intervalMs);
    };
    tick();
  }

  async stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#listener) {
      this.#listener.release();
      this.#listener = null;
    }
    while (this.#running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Runs a pass now (or right after the current one). */
  poke() {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.runOnce()
      .catch((err) => this.log.error({ err }, 'dispatcher pass failed'))
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  /** One pass: fan out new events, then send what is due. Returns counts (tests call it directly). */
  async runOnce(): Promise<{ fannedOut: number; sent: number; failed: number }> {
    let fannedOut = 0;
    for (;;) {
      const n = await this.#fanOut();
      fannedOut += n;
      if (n < 500) break;
    }
    let sent = 0;
    let failed = 0;
    for (;;) {
      const claimed = await this.#claim();
      if (claimed.length === 0) break;
      const results = await Promise.all(claimed.map((d) => this.#send(d)));
      sent += results.filter(Boolean).length;
      failed += results.filter((x) => !x).length;
      if (claimed.length < this.#opts.batchSize) break;
    }
    return { fannedOut, sent, failed };
  }

  async #fanOut(): Promise<number> {
    return this.database.transaction(async (trx) => {
      const ev = await sql<{ id: number; topic: string }>`select id, topic from outbox where not fanned_out order by id limit 500 for update skip locked`.execute(trx);
      if (ev.rows.length === 0) return 0;
      const ids = ev.rows.map((e) => e.id);
      await sql`insert into webhook_deliveries (subscription_id, outbox_id)
        select s.id, o.id from outbox o join webhook_subscriptions s on s.active and ('*' = any(s.event_types) or o.topic = any(s.event_types)
          or split_part(o.topic, '.', 1) || '.*' = any(s.event_types))
        where o.id = any(${ids}::bigint[])
        on conflict do nothing`.execute(trx);
      await sql`update outbox set fanned_out = true where id = any(${ids}::bigint[])`.execute(trx);
      return ev.rows.length;
    });
  }

  async #claim() {
    const leaseMs = this.#opts.leaseMs;
    return this.database.transaction(async (trx) => {
      const r = await sql<any>`
        with due as (
          select id from webhook_deliveries
          where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
          order by next_attempt_at, id limit ${this.#opts.batchSize} for update skip locked
        )
        update webhook_deliveries d set lease_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = d.attempts + 1
        from due where d.id = due.id
        returning d.id, d.attempts, d.outbox_id, d.subscription_id`.execute(trx);
      if (r.rows.length === 0) return [];
      const detail = await sql<any>`select d.id, s.url, s.secret, o.topic, o.payload, o.created_at, o.aggregate_id
        from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id join outbox o on o.id = d.outbox_id
        where d.id = any(${r.rows.map((x) => x.id)}::bigint[])`.execute(trx);
      const byId = new Map(detail.rows.map((x) => [Number(x.id), x]));
      return r.rows.map((x) => ({ ...byId.get(Number(x.id)), id: Number(x.id), attempts: x.attempts as number, outboxId: Number(x.outbox_id) }));
    });
  }

  async #send(d: any): Promise<boolean> {
    const body = JSON.stringify({ id: String(d.outboxId), type: d.topic, createdAt: d.created_at, data: d.payload });
    const ts = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.#opts.fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchyard-Webhooks/1',
          'switchyard-event-id': String(d.outboxId),
          'switchyard-event-type': d.topic,
          'switchyard-signature': signWebhook(d.secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        await sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), lease_until = null, last_status_code = ${status}, last_error = null
          where id = ${d.id}`.execute(this.database.db);
        return true;
      }
      error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message.slice(0, 500);
    }
    const dead = d.attempts >= this.#opts.maxAttempts;
    const delay = Math.round(this.#opts.baseDelayMs * 2 ** (d.attempts - 1) * (0.8 + Math.random() * 0.4));
    await sql`update webhook_deliveries set status = ${dead ? 'dead' : 'pending'}, lease_until = null, last_status_code = ${status},
        last_error = ${error}, next_attempt_at = now() + make_interval(secs => ${delay / 1000})
      where id = ${d.id}`.execute(this.database.db);
    if (dead) this.log.warn({ deliveryId: d.id, topic: d.topic, error }, 'webhook delivery dead-lettered');
    return false;
  }
}
