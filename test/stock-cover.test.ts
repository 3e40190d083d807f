import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOCATIONS } from '../src/seed.ts';
import { ENGINES, orderBody, startTestApp, type TestApp } from './support/engines.ts';

/** Days of cover per SKU from the orders of the window and the network's free stock. */
for (const engine of ENGINES) {
  describe(`stock cover [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 10 } });
    });
    afterAll(async () => t?.close());

    /** `units` of the SKU at WH-NJ, none elsewhere. */
    const stockOnly = async (sku: string, units: number) => {
      for (const l of DEMO_LOCATIONS) await t.call('ops', 'POST', '/v1/inventory/counts', { sku, location: l.code, counted: l.code === 'WH-NJ' ? units : 0 });
    };

    it('reports the SKUs that run out within the warning, with their rate and date; back-orders count against stock', async () => {
      await stockOnly('SKU-00008', 30);
      await stockOnly('SKU-00009', 3);
      // 28 units of SKU-00008 in the window (1 a day over 28 days), 6 of SKU-00009 (3 captured, 3 waiting)
      for (let i = 0; i < 14; i++) expect((await t.call('channel', 'POST', '/v1/orders', orderBody(`cov-${i}`, [['SKU-00008', 2]]))).status).toBe(201);
      for (let i = 0; i < 2; i++) expect((await t.call('channel', 'POST', '/v1/orders', orderBody(`cov-b-${i}`, [['SKU-00009', 3]]))).status).toBe(201);
      const r = await t.call('viewer', 'GET', '/v1/planning/stock-cover?windowDays=28&warnDays=14');
      expect(r.status).toBe(200);
      const by = Object.fromEntries(r.body.items.map((x: { sku: string }) => [x.sku, x]));
      expect(by['SKU-00009']).toMatchObject({ demandUnits: 6, free: 0, backordered: 3, net: -3, daysOfCover: 0, status: 'out' });
      // 30 − 28 reserved = 2 free; 1 a day: 2 days
      expect(by['SKU-00008']).toMatchObject({ demandUnits: 28, free: 2, backordered: 0, dailyDemand: 1, daysOfCover: 2, status: 'at_risk' });
      expect(r.body.items[0].sku).toBe('SKU-00009'); // most urgent first
      // stock arrives: no longer at risk; all=true still lists it
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00008', location: 'WH-NJ', qty: 500 });
      const after = await t.call('viewer', 'GET', '/v1/planning/stock-cover');
      expect(after.body.items.map((x: { sku: string }) => x.sku)).not.toContain('SKU-00008');
      const all = await t.call('viewer', 'GET', '/v1/planning/stock-cover?all=true');
      expect(all.body.items.find((x: { sku: string }) => x.sku === 'SKU-00008')).toMatchObject({ free: 502, daysOfCover: 502, status: 'ok' });
    });

    it('a cancelled order is no demand', async () => {
      const before = (await t.call('viewer', 'GET', '/v1/planning/stock-cover?all=true')).body.items.find((x: { sku: string }) => x.sku === 'SKU-00008').demandUnits;
      const o = await t.call('channel', 'POST', '/v1/orders', orderBody('cov-cancel', [['SKU-00008', 5]]));
      await t.call('ops', 'POST', `/v1/orders/${o.body.id}/cancel`, { reason: 'changed mind' });
      const after = (await t.call('viewer', 'GET', '/v1/planning/stock-cover?all=true')).body.items.find((x: { sku: string }) => x.sku === 'SKU-00008').demandUnits;
      expect(after).toBe(before);
      expect((await t.call('viewer', 'GET', '/v1/planning/stock-cover?windowDays=0')).status).toBe(400);
    });
  });
}
