import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { seedDemo } from '../src/seed.ts';
import { ENGINES, freshPostgresDatabase } from './support/engines.ts';
import { postJson, startReceiver, startServerProcess } from './support/process.ts';

/**
 * kill -9 a server under load: every order that got a 2xx is there afterwards with its reservations, and its
 * outbox events are delivered once the server is back.
 */
for (const engine of ENGINES) {
  describe(`crash safety [${engine}]`, () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('kill -9 under load loses no acknowledged order and no outbox event', async () => {
      let env: Record<string, string>;
      let cfg: Partial<Config>;
      if (engine === 'postgres') {
        const fresh = await freshPostgresDatabase();
        cleanups.push(fresh.drop);
        env = { DATABASE_URL: fresh.url };
        cfg = { databaseUrl: fresh.url };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'sy-crash-'));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        env = { DATA_DIR: dir, DATABASE_URL: '' };
        cfg = { databaseUrl: null, dataDir: dir };
      }
      const rx = await startReceiver();
      cleanups.push(rx.close);
      // prepare the database, then hand it to the server process (a PGlite directory has one owner at a time)
      let app: App = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { ...cfg, runDispatcher: false }));
      await seedDemo(app, { skuCount: 50 });
      const key = (await app.apiKeys.create({ name: 'crash-ops', role: 'ops' })).key;
      await app.webhooks.subscribe({ url: rx.url, eventTypes: ['order.created'] });
      await app.close();

      const proc = await startServerProcess(env);
      const acked = new Map<string, string>(); // externalId -> order id
      let stop = false;
      let n = 0;
      const worker = async () => {
        while (!stop) {
          const i = n++;
          try {
            const r = await postJson(`${proc.url}/v1/orders`, {
              channel: 'web', externalId: `crash-${i}`, currency: 'USD',
              shippingAddress: { line1: '1 Crash St', city: 'Newark', postcode: '07102', country: 'US' },
              lines: [{ sku: `SKU-000${String(10 + (i % 40)).padStart(2, '0')}`, quantity: 1 + (i % 3), unitPriceMinor: 1000 }],
            }, { authorization: `Bearer ${key}` });
            if (r.status === 201) acked.set(`crash-${i}`, r.body.id);
          } catch {
            return; // connection refused / reset: the server is gone
          }
        }
      };
      const workers = Array.from({ length: 24 }, worker);
      // under load until enough orders are acknowledged (a fixed time acknowledged too few on a busy machine),
      // then a little longer so the kill lands with requests in flight
      const ackBy = Date.now() + 60_000;
      while (acked.size <= 40 && Date.now() < ackBy) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      await proc.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      expect(acked.size).toBeGreaterThan(20);

      // restart: the dispatcher of the new process delivers whatever the dead one had not
      const again = await startServerProcess({ ...env, DISPATCHER_INTERVAL_MS: '50' });
      cleanups.push(() => again.kill());
      const ackedIds = new Set(acked.values());
      const deadline = Date.now() + 60_000;
      const delivered = () => new Set(rx.received.map((r) => r.body.data.orderId).filter((id: string) => ackedIds.has(id)));
      while (delivered().size < ackedIds.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(delivered().size).toBe(ackedIds.size);
      await again.kill();

      app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { ...cfg, runDispatcher: false }));
      cleanups.push(() => app.close());
      const rows = await sql<any>`select o.id, o.external_id, coalesce(sum(r.qty) filter (where r.status = 'active'), 0)::int as reserved,
          (select sum(qty_reserved)::int from order_lines l where l.order_id = o.id) as line_reserved
        from orders o left join reservations r on r.order_id = o.id where o.id = any(${[...ackedIds]}::uuid[]) group by o.id`.execute(app.database.db);
      expect(rows.rows.length).toBe(ackedIds.size);
      for (const r of rows.rows) {
        expect(r.reserved).toBeGreaterThan(0);
        expect(r.reserved).toBe(r.line_reserved);
      }
      expect((await app.inventory.verify()).problems).toEqual([]);
      expect((await app.orders.verify()).problems).toEqual([]);
    }, 180_000);
  });
}
