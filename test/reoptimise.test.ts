import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_LOCATIONS } from '../src/seed.ts';
import { ENGINES, HAS_POSTGRES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';
import { loadConfig } from '../src/platform/config.ts';

/**
 * Re-optimisation: an order split because no single location had everything is routed again once stock
 * arrives, and the better plan moves its reservations — or, when nothing is better, nothing changes.
 */
/** Each SKU held at one location only (`units` there), nowhere else. */
async function onlyAt(t: TestApp, place: Record<string, string>, units = 5) {
  for (const [sku, code] of Object.entries(place)) {
    for (const l of DEMO_LOCATIONS) {
      const r = await t.call('ops', 'POST', '/v1/inventory/counts', { sku, location: l.code, counted: l.code === code ? units : 0, reason: 'test setup' });
      expect(r.status).toBe(200);
    }
  }
}
const boston = { name: 'A', line1: '1 Main St', city: 'Boston', postcode: '02110', country: 'US' };

for (const engine of ENGINES) {
  describe(`re-optimisation of unreleased orders [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
    });
    afterAll(async () => t?.close());

    const activeAt = async (id: string) => {
      const o = (await t.call('ops', 'GET', `/v1/orders/${id}`)).body;
      return o.reservations.filter((r: any) => r.status === 'active').map((r: any) => `${r.sku}@${r.location}:${r.qty}`).sort();
    };
    const reserved = async (sku: string, location: string) =>
      (await sql<{ r: number }>`select s.reserved as r from stock s join skus k on k.id = s.sku_id join locations l on l.id = s.location_id where k.sku = ${sku} and l.code = ${location}`.execute(t.app.database.db)).rows[0]!.r;

    it('takes fewer shipments once stock has come in; a dry run and a second look change nothing', async () => {
      await onlyAt(t, { 'SKU-00015': 'WH-CA', 'SKU-00016': 'WH-NJ' });
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('re-1', [['SKU-00015', 1], ['SKU-00016', 1]], { shippingAddress: boston }))).body;
      expect(await activeAt(o.id)).toEqual(['SKU-00015@WH-CA:1', 'SKU-00016@WH-NJ:1']);
      // nothing better yet: kept, nothing written
      let counts = await tableCounts(t.app);
      const same = await t.call('ops', 'POST', `/v1/orders/${o.id}/reoptimise`, {});
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ changed: false, reason: 'routed again to the same plan' });
      expect(await tableCounts(t.app)).toEqual(counts);

      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00015', location: 'WH-NJ', qty: 5 });
      counts = await tableCounts(t.app);
      const dry = await t.call('ops', 'POST', `/v1/orders/${o.id}/reoptimise`, { dryRun: true });
      expect(dry.body).toMatchObject({ changed: true, reason: '2 → 1 shipments', before: { locations: ['WH-CA', 'WH-NJ'], units: 2 }, after: { locations: ['WH-NJ'], units: 2 } });
      expect(await tableCounts(t.app)).toEqual(counts);
      expect(await activeAt(o.id)).toEqual(['SKU-00015@WH-CA:1', 'SKU-00016@WH-NJ:1']);

      const r = await t.call('ops', 'POST', `/v1/orders/${o.id}/reoptimise`, {});
      expect(r.body).toMatchObject({ changed: true, after: { locations: ['WH-NJ'] } });
      expect(await activeAt(o.id)).toEqual(['SKU-00015@WH-NJ:1', 'SKU-00016@WH-NJ:1']);
      expect(await reserved('SKU-00015', 'WH-CA')).toBe(0);
      expect(await reserved('SKU-00015', 'WH-NJ')).toBe(1);
      // explained like any decision, with what moved; the outbox tells the world
      const decisions = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions;
      expect(decisions).toHaveLength(2);
      expect(decisions[1].shipments.map((s: any) => s.code)).toEqual(['WH-NJ']);
      expect(decisions[1].reoptimisation).toMatchObject({ reason: 're-optimised: 2 → 1 shipments', released: expect.arrayContaining([expect.objectContaining({ location: 'WH-CA' })]) });
      const ev = await sql<{ n: number }>`select count(*)::int as n from outbox where topic = 'order.rerouted' and aggregate_id = ${o.id}`.execute(t.app.database.db);
      expect(ev.rows[0]!.n).toBe(1);
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
      // and again: the plan is already the best
      expect((await t.call('ops', 'POST', `/v1/orders/${o.id}/reoptimise`, {})).body.changed).toBe(false);
    });

    it('a run looks at split orders only, oldest first, and moves the ones that gain', async () => {
      await onlyAt(t, { 'SKU-00017': 'WH-TX', 'SKU-00018': 'WH-GA' });
      const a = (await t.call('ops', 'POST', '/v1/orders', orderBody('re-2', [['SKU-00017', 1], ['SKU-00018', 1]], { shippingAddress: boston }))).body;
      const b = (await t.call('ops', 'POST', '/v1/orders', orderBody('re-3', [['SKU-00017', 1], ['SKU-00018', 1]], { shippingAddress: boston }))).body;
      expect(new Set((await activeAt(a.id)).map((x: string) => x.split('@')[1]!.split(':')[0]))).toEqual(new Set(['WH-TX', 'WH-GA']));
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00018', location: 'WH-TX', qty: 1 });
      const counts = await tableCounts(t.app);
      const dry = await t.call('ops', 'POST', '/v1/routing/reoptimise', { dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, examined: 2, changed: 2 });
      expect(await tableCounts(t.app)).toEqual(counts);
      // one unit came in: the older order gets it, the newer one stays split
      const run = await t.call('ops', 'POST', '/v1/routing/reoptimise', {});
      expect(run.body).toMatchObject({ dryRun: false, examined: 2, changed: 1, shipments: { before: 4, after: 3 } });
      expect(run.body.orders.map((x: any) => x.externalId)).toEqual(['re-2']);
      expect(await activeAt(a.id)).toEqual(['SKU-00017@WH-TX:1', 'SKU-00018@WH-TX:1']);
      expect((await t.call('ops', 'POST', '/v1/routing/reoptimise', {})).body).toMatchObject({ examined: 1, changed: 0 });
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      void b;
    });

    it('ops assign an order to one location: taken when it has every unit, refused saying what it lacks, explained', async () => {
      await onlyAt(t, { 'SKU-00017': 'WH-TX', 'SKU-00018': 'WH-TX' });
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00017', location: 'WH-GA', qty: 3 });
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('assign-1', [['SKU-00017', 1], ['SKU-00018', 1]], { shippingAddress: boston }))).body;
      expect(await activeAt(o.id)).toEqual(['SKU-00017@WH-TX:1', 'SKU-00018@WH-TX:1']);
      const counts = await tableCounts(t.app);
      // WH-GA has one of the two SKUs: refused, naming what it lacks; nothing changed
      const lacking = await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'WH-GA', reason: 'customer collects in Atlanta' });
      expect(lacking.status).toBe(409);
      expect(lacking.body).toMatchObject({ code: 'location_cannot_take_order', field: 'location' });
      expect(lacking.body.detail).toMatch(/WH-GA can take 1 of the 2 units reserved now: .*SKU-00018/);
      expect(await tableCounts(t.app)).toEqual(counts);
      // stock arrives there: a dry run says what would happen, then the assignment moves both units
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00018', location: 'WH-GA', qty: 3 });
      const dry = await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'WH-GA', reason: 'customer collects in Atlanta', dryRun: true });
      expect(dry.body).toMatchObject({ changed: true, before: { locations: ['WH-TX'] }, after: { locations: ['WH-GA'], units: 2 } });
      expect(await activeAt(o.id)).toEqual(['SKU-00017@WH-TX:1', 'SKU-00018@WH-TX:1']);
      const [tx0, ga0] = [await reserved('SKU-00017', 'WH-TX'), await reserved('SKU-00017', 'WH-GA')];
      const r = await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'WH-GA', reason: 'customer collects in Atlanta' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ changed: true, reason: 'assigned to WH-GA: customer collects in Atlanta' });
      expect(await activeAt(o.id)).toEqual(['SKU-00017@WH-GA:1', 'SKU-00018@WH-GA:1']);
      expect([await reserved('SKU-00017', 'WH-TX'), await reserved('SKU-00017', 'WH-GA')]).toEqual([tx0 - 1, ga0 + 1]);
      const last = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions.at(-1);
      expect(last.assignment).toMatchObject({ assigned: 'WH-GA', reason: 'assigned to WH-GA: customer collects in Atlanta' });
      expect(last.profile.id).toBe('switchyard-default');
      expect(last.shipments.map((s: any) => s.code)).toEqual(['WH-GA']);
      // a split-order re-optimisation run does not look at it (one location), and assigning again changes nothing
      expect((await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'WH-GA', reason: 'again' })).body).toMatchObject({ changed: false, reason: 'already at WH-GA' });
      // a location out of routing, or unknown, is refused
      await t.call('ops', 'PATCH', '/v1/locations/WH-WA', { active: false });
      const out = await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'WH-WA', reason: 'x' });
      expect(out.body).toMatchObject({ code: 'location_cannot_take_order', detail: 'WH-WA is out of routing' });
      await t.call('ops', 'PATCH', '/v1/locations/WH-WA', { active: true });
      expect((await t.call('ops', 'POST', `/v1/orders/${o.id}/assign`, { location: 'NOPE', reason: 'x' })).body).toMatchObject({ code: 'unknown_location', field: 'location' });
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
    });

    it('leaves held, released and unknown orders alone, with a clear error; ops and admins only', async () => {
      await onlyAt(t, { 'SKU-00019': 'WH-WA', 'SKU-00020': 'WH-NJ' });
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('re-4', [['SKU-00019', 1], ['SKU-00020', 1]], { shippingAddress: boston }))).body;
      await t.call('ops', 'POST', `/v1/orders/${o.id}/hold`, { reason: 'fraud check' });
      const held = await t.call('ops', 'POST', `/v1/orders/${o.id}/reoptimise`, {});
      expect(held.status).toBe(409);
      expect(held.body.code).toBe('not_reoptimisable');
      expect((await t.call('ops', 'POST', '/v1/orders/00000000-0000-7000-8000-000000000000/reoptimise', {})).status).toBe(404);
      expect((await t.call('ops', 'POST', '/v1/routing/reoptimise', { orders: { channel: 'nope' } })).body).toMatchObject({ code: 'unknown_channel', field: 'orders/channel' });
      expect((await t.call('ops', 'POST', '/v1/routing/reoptimise', { minSavingMinor: 0 })).status).toBe(400);
      expect((await t.call('viewer', 'POST', `/v1/orders/${o.id}/reoptimise`, {})).status).toBe(403);
      expect((await t.call('channel', 'POST', '/v1/routing/reoptimise', {})).status).toBe(403);
    });
  });
}

// several connections at once: PGlite has one session, so this runs on PostgreSQL
describe('automatic re-optimisation (REOPTIMISE_EVERY_MINUTES)', () => {
  it('is off by default; when on, a scheduled pass consolidates a split order once stock has come in', async () => {
    expect(loadConfig({}).reoptimiseEveryMinutes).toBe(0);
    expect(() => loadConfig({ REOPTIMISE_EVERY_MINUTES: '-5' })).toThrow(/REOPTIMISE_EVERY_MINUTES/);
    const off = await startTestApp('pglite', { seed: false });
    expect(off.app.reoptimiseSchedule).toBeNull();
    await off.close();
    const t = await startTestApp('pglite', { seed: { skuCount: 20 }, config: { reoptimiseEveryMinutes: 60, reoptimiseBatch: 50 } });
    try {
      await onlyAt(t, { 'SKU-00013': 'WH-CA', 'SKU-00014': 'WH-NJ' });
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('auto-1', [['SKU-00013', 1], ['SKU-00014', 1]], { shippingAddress: boston }))).body;
      const at = async () => new Set((await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body.reservations.filter((r: any) => r.status === 'active').map((r: any) => r.location));
      expect(await at()).toEqual(new Set(['WH-CA', 'WH-NJ']));
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00013', location: 'WH-NJ', qty: 5 });
      const r = (await t.app.reoptimiseSchedule!.runNow()) as { changed: number };
      expect(r.changed).toBeGreaterThanOrEqual(1);
      expect(await at()).toEqual(new Set(['WH-NJ']));
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(!HAS_POSTGRES)('re-optimisation under concurrent captures, receipts and runs [postgres]', () => {
  it('never oversells, never loses or doubles a unit, never fails a capture', async () => {
    const t = await startTestApp('postgres', { seed: { skuCount: 20 } });
    try {
      await onlyAt(t, { 'SKU-00013': 'WH-CA', 'SKU-00014': 'WH-NJ' }, 100);
      const body = (i: number) => orderBody(`cc-${i}`, [['SKU-00013', 1], ['SKU-00014', 1 + (i % 2)]], { shippingAddress: boston });
      const first = await Promise.all(Array.from({ length: 20 }, (_, i) => t.call('channel', 'POST', '/v1/orders', body(i))));
      expect(first.every((r) => r.status === 201)).toBe(true);
      // receipts at the NJ warehouse, more captures, single and batch re-optimisation, all at once
      const work: Array<Promise<{ status: number; body: any }>> = [];
      for (let i = 20; i < 50; i++) {
        work.push(t.call('channel', 'POST', '/v1/orders', body(i)));
        if (i % 5 === 0) work.push(t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00013', location: 'WH-NJ', qty: 3 }));
        if (i % 7 === 0) work.push(t.call('ops', 'POST', '/v1/routing/reoptimise', { orders: { limit: 10 } }));
        if (i % 4 === 0) work.push(t.call('ops', 'POST', `/v1/orders/${first[i % 20]!.body.id}/reoptimise`, {}));
      }
      const done = await Promise.all(work);
      // a single re-optimisation may find its order already moved by a run (409 not_reoptimisable never: both leave it allocated)
      for (const r of done) expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      const after = await t.call('ops', 'POST', '/v1/routing/reoptimise', {});
      expect(after.status).toBe(200);
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
      const over = await sql<{ n: number }>`select count(*)::int as n from stock where reserved > greatest(on_hand - safety_stock, 0)`.execute(t.app.database.db);
      expect(over.rows[0]!.n).toBe(0);
      // every unit of every order is reserved exactly once (there was stock for all of them)
      const units = await sql<{ ordered: number; held: number }>`select sum(l.qty_ordered)::int as ordered,
        (select sum(r.qty)::int from reservations r join orders o on o.id = r.order_id where r.status = 'active' and o.external_id like 'cc-%') as held
        from order_lines l join orders o on o.id = l.order_id where o.external_id like 'cc-%'`.execute(t.app.database.db);
      expect(units.rows[0]!.held).toBe(units.rows[0]!.ordered);
      // and the runs did consolidate: fewer split orders than were captured split
      const split = await t.app.orders.reoptimisable({ limit: 1000 });
      expect(split.length).toBeLessThan(50);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('a cancel racing a receipt that fills the same order: both succeed, balances hold', async () => {
    const t = await startTestApp('postgres', { seed: { skuCount: 20 } });
    try {
      await onlyAt(t, { 'SKU-00011': 'WH-NJ' }, 2);
      for (let i = 0; i < 10; i++) {
        const o = (await t.call('ops', 'POST', '/v1/orders', orderBody(`race-${i}`, [['SKU-00011', 4]]))).body;
        expect(o.status).toBe('partially_allocated');
        const [c, r] = await Promise.all([
          t.call('ops', 'POST', `/v1/orders/${o.id}/cancel`, { reason: 'race' }),
          t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00011', location: 'WH-NJ', qty: 2 }),
        ]);
        expect([c.status, r.status]).toEqual([200, 200]);
        await t.call('ops', 'POST', '/v1/inventory/counts', { sku: 'SKU-00011', location: 'WH-NJ', counted: 2 });
      }
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
