import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, type TestApp } from './support/engines.ts';

/**
 * `inventory.changed` leaves through the outbox, in one shape, whatever changed a SKU's available-to-sell: a
 * capture's reservations, a cancel's release, a receipt, an adjustment, a count, safety stock, a transfer.
 * (Channel stock sync listens to it; a change that did not publish would leave a channel selling stale stock.)
 */
for (const engine of ENGINES) {
  describe(`inventory.changed on every stock change [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 10 } });
    });
    afterAll(async () => t?.close());

    /** inventory.changed events written since `after` (outbox id), oldest first. */
    const since = async (after: number) =>
      (await sql<{ id: number; aggregate_id: string; payload: any }>`select id, aggregate_id, payload from outbox where topic = 'inventory.changed' and id > ${after} order by id`.execute(t.app.database.db)).rows;
    const last = async () => Number((await sql<{ m: string | null }>`select max(id)::text as m from outbox`.execute(t.app.database.db)).rows[0]!.m ?? 0);

    it('publishes each change once, in one shape: the SKU codes and the cause', async () => {
      const cases: Array<[string, () => Promise<{ status: number }>, string[], string]> = [
        ['receipt', () => t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00002', location: 'WH-NJ', qty: 4 }), ['SKU-00002'], 'receipt'],
        ['adjustment', () => t.call('ops', 'POST', '/v1/inventory/adjustments', { sku: 'SKU-00002', location: 'WH-NJ', delta: -1, reason: 'damaged' }), ['SKU-00002'], 'adjustment'],
        ['count', () => t.call('ops', 'POST', '/v1/inventory/counts', { sku: 'SKU-00003', location: 'WH-CA', counted: 40 }), ['SKU-00003'], 'cycle_count'],
        ['safety stock', () => t.call('ops', 'POST', '/v1/inventory/safety-stock', { sku: 'SKU-00003', location: 'WH-CA', qty: 2 }), ['SKU-00003'], 'safety_stock'],
        ['transfer', () => t.call('ops', 'POST', '/v1/inventory/transfers', { sku: 'SKU-00004', from: 'WH-NJ', to: 'WH-TX', qty: 1 }), ['SKU-00004'], 'transfer'],
        ['capture', () => t.call('channel', 'POST', '/v1/orders', orderBody('inv-ev-1', [['SKU-00005', 1], ['SKU-00006', 1]])), ['SKU-00005', 'SKU-00006'], 'reservation'],
      ];
      for (const [what, run, skus, cause] of cases) {
        const before = await last();
        const r = await run();
        expect(r.status, what).toBeLessThan(300);
        const ev = await since(before);
        expect(ev.map((e) => e.payload), what).toEqual([{ skus, cause }]);
        expect(ev[0]!.aggregate_id, what).toBe(skus.length === 1 ? skus[0] : 'batch');
      }
      // a cancel gives the units back: the SKUs it released
      const o = await t.call('channel', 'POST', '/v1/orders', orderBody('inv-ev-2', [['SKU-00007', 2]]));
      const before = await last();
      expect((await t.call('ops', 'POST', `/v1/orders/${o.body.id}/cancel`, { reason: 'customer asked' })).status).toBe(200);
      expect((await since(before)).map((e) => e.payload)).toEqual([{ skus: ['SKU-00007'], cause: 'release' }]);
    });

    it('a refused change publishes nothing', async () => {
      const before = await last();
      expect((await t.call('ops', 'POST', '/v1/inventory/adjustments', { sku: 'SKU-00002', location: 'WH-NJ', delta: -100000, reason: 'x' })).status).toBe(409);
      expect((await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'NOPE', location: 'WH-NJ', qty: 1 })).status).toBe(422);
      expect(await since(before)).toEqual([]);
    });
  });
}
