import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';
import { SYSTEM } from '../src/platform/context.ts';
import { siteDay } from '../src/domain/promise/index.ts';
import { fulfilmentSite } from '../src/modules/locations/locations.service.ts';

const boston = { country: 'US', postcode: '02110' };

for (const engine of ENGINES) {
  describe(`routing through capture and the API [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
    });
    afterAll(async () => t?.close());
    const setCapacity = (code: string, dailyCapacity: number) => t.call('ops', 'PATCH', `/v1/locations/${code}`, { dailyCapacity });

    it('preview routes a hypothetical order, explains every candidate and touches nothing', async () => {
      const before = await tableCounts(t.app);
      const r = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', destination: boston, lines: [{ sku: 'SKU-00003', quantity: 2 }] });
      expect(r.status).toBe(200);
      const d = r.body.decision;
      expect(d.outcome).toBe('routed');
      expect(d.shipments).toHaveLength(1);
      expect(d.candidates).toHaveLength(10);
      for (const c of d.candidates) expect(c.excluded !== null || c.score !== undefined).toBe(true);
      // from Boston, the east coast wins over the west coast and over the border
      expect(['WH-NJ', 'ST-NYC']).toContain(d.shipments[0].code);
      const ca = d.candidates.find((c: any) => c.code === 'WH-CA');
      expect(ca.score.costMinor).toBeGreaterThan(d.totalCostMinor);
      const sz = d.candidates.find((c: any) => c.code === 'FC-SZ');
      expect(sz.score?.components?.landed ?? 0).toBeGreaterThan(0);
      expect(d.explanation).toMatch(/WH-NJ|ST-NYC/);
      expect(await tableCounts(t.app)).toEqual(before);
    });

    it('captured orders carry their routing decision: GET /v1/orders/{id}/routing', async () => {
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('r-1', [['SKU-00003', 1], ['SKU-00004', 1]]))).body;
      const r = await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`);
      expect(r.status).toBe(200);
      expect(r.body.decisions).toHaveLength(1);
      const d = r.body.decisions[0];
      expect(d.profile.id).toBe('switchyard-default');
      expect(d.shipments.flatMap((s: any) => s.lines).length).toBe(2);
      const reservedAt = new Set(o.reservations.map((x: any) => x.location));
      expect(new Set(d.shipments.map((s: any) => s.code))).toEqual(reservedAt);
      expect(d.shipments[0].quote.deliveryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // stored packed (lines without their SKU, no promise), read back whole: SKU ids from the order's lines
      const stored = await (await import('kysely')).sql<{ data: any }>`select data from order_events where order_id = ${o.id} and type = 'order.routed'`.execute(t.app.database.db);
      expect(stored.rows[0]!.data.v).toBe(2);
      expect(stored.rows[0]!.data.promise).toBeUndefined();
      const skuOfLine = await (await import('kysely')).sql<{ id: string; sku_id: string }>`select id, sku_id from order_lines where order_id = ${o.id}`.execute(t.app.database.db);
      const expected = new Map(skuOfLine.rows.map((r) => [r.id, r.sku_id]));
      for (const l of d.shipments.flatMap((s: any) => s.lines)) expect(l.skuId).toBe(expected.get(l.lineId));
      expect(d.promise.deliveryDate).toBe(d.shipments.map((s: any) => s.quote.deliveryDate).sort().at(-1));
    });

    it('hazmat lines only from hazmat-licensed locations', async () => {
      const r = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', destination: { country: 'US', postcode: '94105' }, lines: [{ sku: 'SKU-00007', quantity: 1 }] });
      const d = r.body.decision;
      expect(['WH-NJ', 'WH-TX', 'FC-SZ']).toContain(d.shipments[0].code);
      for (const c of d.candidates.filter((x: any) => !['WH-NJ', 'WH-TX', 'FC-SZ'].includes(x.code))) {
        expect(c.chosen ?? false).toBe(false);
        if (!c.excluded) expect(JSON.stringify(c)).toMatch(/hazmat/);
      }
    });

    it('ops-configured, versioned profiles are selected by conditions and recorded with the decision', async () => {
      const body = {
        id: 'amazon-no-stores',
        name: 'Amazon: warehouses only, one shipment',
        priority: 10,
        conditions: { '==': [{ var: 'channel' }, 'amazon-us'] },
        constraints: { excludedLocationTypes: ['store', '3pl'], maxSplits: 1 },
      };
      const v1 = await t.call('ops', 'POST', '/v1/routing/profiles', body);
      expect(v1.status).toBe(201);
      expect(v1.body.version).toBe(1);
      const v2 = await t.call('ops', 'POST', '/v1/routing/profiles', { ...body, penalties: { splitMinor: 900 } });
      expect(v2.body.version).toBe(2);
      expect((await t.call('viewer', 'GET', '/v1/routing/profiles/amazon-no-stores')).body.items.map((x: any) => x.version)).toEqual([2, 1]);
      const bad = await t.call('ops', 'POST', '/v1/routing/profiles', { ...body, constraints: { maxSplits: -1 } });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('invalid_profile');
      const r = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'amazon-us', destination: { country: 'US', postcode: '10001' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] });
      const d = r.body.decision;
      expect(d.profile).toMatchObject({ id: 'amazon-no-stores', version: 2 });
      expect(d.shipments[0].code).not.toBe('ST-NYC');
      expect(d.candidates.find((c: any) => c.code === 'ST-NYC').excluded.rule).toBe('excluded_location_type');
      // other channels are untouched by it
      const web = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', destination: { country: 'US', postcode: '10001' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] });
      expect(web.body.decision.profile.id).toBe('switchyard-default');
    });

    it("a profile's search level is saved, versioned, validated and used ('optimal' searches a large order exactly)", async () => {
      const body = { id: 'b2b-optimal', name: 'B2B: prove the cheapest plan', priority: 5, conditions: { in: ['b2b-optimal-test', { var: 'tags' }] } };
      const lines = Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(5, '0')}`, quantity: 1 }));
      const preview = async () => (await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', tags: ['b2b-optimal-test'], destination: boston, lines })).body.decision;
      expect((await t.call('ops', 'POST', '/v1/routing/profiles', body)).body.search).toBe('balanced');
      const balanced = await preview();
      expect(balanced.method).toBe('heuristic'); // 8 lines over the demo network: too large for the default's exact search
      const saved = await t.call('ops', 'POST', '/v1/routing/profiles', { ...body, search: 'optimal' });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ version: 2, search: 'optimal' });
      const history = (await t.call('viewer', 'GET', '/v1/routing/profiles/b2b-optimal')).body.items;
      expect(history[0].changes).toEqual([{ path: 'search', from: 'balanced', to: 'optimal' }]);
      const optimal = await preview();
      expect(optimal.profile).toMatchObject({ id: 'b2b-optimal', version: 2 });
      expect(optimal.method).toBe('exact');
      expect(optimal.totalCostMinor).toBeLessThanOrEqual(balanced.totalCostMinor);
      const bad = await t.call('ops', 'POST', '/v1/routing/profiles', { ...body, search: 'thorough' });
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(bad.body)).toContain('search');
      expect((await t.call('viewer', 'GET', '/v1/routing/profiles/b2b-optimal')).body.items).toHaveLength(2);
      await t.call('ops', 'POST', '/v1/routing/profiles', { ...body, active: false, search: 'optimal' });
    });

    it('a location out of capacity today is excluded with its reason', async () => {
      await setCapacity('ST-NYC', 0);
      await setCapacity('WH-NJ', 0);
      const r = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', destination: { country: 'US', postcode: '10001' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] });
      const d = r.body.decision;
      for (const code of ['ST-NYC', 'WH-NJ']) expect(d.candidates.find((c: any) => c.code === code).excluded.rule).toBe('capacity_exhausted');
      expect(['ST-NYC', 'WH-NJ']).not.toContain(d.shipments[0].code);
      await setCapacity('ST-NYC', 200);
      await setCapacity('WH-NJ', 50000);
    });

    it('daily capacity is counted as orders are captured: seen at once here, written behind for other processes', async () => {
      const { sql } = await import('kysely');
      const { CapacityCounter } = await import('../src/modules/routing/capacity.ts');
      const db = t.app.database.db;
      await t.app.capacity.flush();
      const nj = (await sql<{ id: string; used: number | null }>`select l.id, (select sum(used)::int from location_capacity c where c.location_id = l.id) as used
        from locations l where l.code = 'WH-NJ'`.execute(db)).rows[0]!;
      const usedBefore = nj.used ?? 0;
      await setCapacity('ST-NYC', 0);
      await setCapacity('WH-NJ', usedBefore + 2);
      try {
        const codes: string[][] = [];
        for (let i = 0; i < 3; i++) {
          const o = (await t.call('ops', 'POST', '/v1/orders', orderBody(`cap-${i}`, [['SKU-00003', 1]]))).body;
          const d = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions[0];
          codes.push(d.shipments.map((s: any) => s.code));
          if (i === 2) expect(d.candidates.find((c: any) => c.code === 'WH-NJ').excluded.rule).toBe('capacity_exhausted');
        }
        // the first two fill WH-NJ's last two slots; the third is routed elsewhere without waiting for a write
        expect(codes.slice(0, 2)).toEqual([['WH-NJ'], ['WH-NJ']]);
        expect(codes[2]).not.toContain('WH-NJ');
        // written within the flush interval, then another process (its own counter) sees the location full
        await t.app.capacity.flush();
        const after = (await sql<{ used: number }>`select sum(used)::int as used from location_capacity where location_id = ${nj.id}`.execute(db)).rows[0]!;
        expect(after.used).toBe(usedBefore + 2);
        const other = new CapacityCounter(t.app.database);
        const locs = await t.app.locations.listCached(db as never);
        const left = await other.left(db as never, locs.map((l) => (l.id === nj.id ? { ...l, dailyCapacity: usedBefore + 2 } : l)), new Date());
        expect(left.get(nj.id)).toBe(0);
        await other.close();
      } finally {
        await setCapacity('ST-NYC', 200);
        await setCapacity('WH-NJ', 50000);
      }
    });

    it('daily capacity counts that cannot be written (database trouble) are kept and written on the next flush', async () => {
      const { sql } = await import('kysely');
      const { CapacityCounter } = await import('../src/modules/routing/capacity.ts');
      const db = t.app.database.db;
      const counter = new CapacityCounter(t.app.database, { maxAgeMs: 250, flushMs: 60_000 });
      const locs = await t.app.locations.listCached(db as never);
      const wa = locs.find((l) => l.code === 'WH-WA')!;
      const used = async () => (await sql<{ n: number | null }>`select sum(used)::int as n from location_capacity where location_id = ${wa.id}`.execute(db)).rows[0]!.n ?? 0;
      const now = new Date();
      const before = await counter.left(db as never, locs, now);
      const start = await used();
      counter.record(locs, now, before, new Map([...before, [wa.id, before.get(wa.id)! - 3]]));
      // counted here at once, before any write
      expect((await counter.left(db as never, locs, now)).get(wa.id)).toBe(before.get(wa.id)! - 3);
      await sql`alter table location_capacity rename to location_capacity_away`.execute(db);
      try {
        await expect(counter.flush()).rejects.toThrow();
      } finally {
        await sql`alter table location_capacity_away rename to location_capacity`.execute(db);
      }
      expect(await used()).toBe(start);
      expect((await counter.left(db as never, locs, now)).get(wa.id)).toBe(before.get(wa.id)! - 3);
      await counter.close();
      expect(await used()).toBe(start + 3);
    });

    it('promise: a delivery date and a price per service level, faster levels no later', async () => {
      const r = await t.call('viewer', 'POST', '/v1/promise', { channel: 'web', destination: boston, lines: [{ sku: 'SKU-00011', quantity: 1 }] });
      expect(r.status).toBe(200);
      const q = Object.fromEntries(r.body.quotes.map((x: any) => [x.serviceLevel, x]));
      expect(q.standard.available).toBe(true);
      expect(q.standard.deliveryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(q.express.available).toBe(true);
      expect(q.express.deliveryDate <= q.standard.deliveryDate).toBe(true);
      expect(q.express.shippingMinor).toBeGreaterThan(q.standard.shippingMinor);
      const none = await t.call('viewer', 'POST', '/v1/promise', { channel: 'web', destination: boston, lines: [{ sku: 'SKU-00011', quantity: 100000 }] });
      expect(none.body.quotes.every((x: any) => x.available === false)).toBe(true);
    });

    it('promise: until when it holds ("order within"), the release cut-off at the shipping location', async () => {
      // the day before Thanksgiving, 13:00 in New York: a New Jersey site (15:00 cut-off) still releases today;
      // an hour after its cut-off, the next release is the Friday, and so is the cut-off to beat
      const input = { channel: 'web', destination: boston, lines: [{ sku: 'SKU-00011', quantity: 1 }] };
      const before = await t.app.preview.promise(SYSTEM, input, new Date('2026-11-25T18:00:00Z'));
      const std = before.quotes.find((q) => q.serviceLevel === 'standard')!;
      const from = std.shipments![0]!.location;
      const loc = await t.app.locations.getByCode(from);
      const expected = siteDay(fulfilmentSite(loc), '2026-11-25T18:00:00.000Z').releaseCutoffInstant;
      expect(std.orderBy).toBe(expected);
      expect(std.orderWithinMinutes).toBe(Math.floor((Date.parse(expected) - Date.parse('2026-11-25T18:00:00Z')) / 60_000));
      expect(Date.parse(std.orderBy!)).toBeGreaterThan(Date.parse('2026-11-25T18:00:00Z'));
      if (from === 'WH-NJ') expect(std).toMatchObject({ orderBy: '2026-11-25T20:00:00Z', orderWithinMinutes: 120 });
      const after = await t.app.preview.promise(SYSTEM, input, new Date('2026-11-25T21:00:00Z'));
      const later = after.quotes.find((q) => q.serviceLevel === 'standard')!;
      expect(later.orderBy! > std.orderBy!).toBe(true);
      expect(later.deliveryDate! >= std.deliveryDate!).toBe(true);
      // over HTTP too
      const r = await t.call('viewer', 'POST', '/v1/promise', input);
      expect(r.body.quotes[0].orderWithinMinutes).toBeGreaterThanOrEqual(0);
    });

    it('re-routes the units a location rejects, never back to it, with the explanation trail', async () => {
      const o = (await t.call('ops', 'POST', '/v1/orders', { ...orderBody('r-2', [['SKU-00012', 2]]), shippingAddress: { line1: '1 Main', city: 'Austin', postcode: '73301', country: 'US' } })).body;
      const first = o.reservations[0].location;
      const r = await t.call('ops', 'POST', `/v1/orders/${o.id}/reroute`, { location: first, reason: 'damaged in pick' });
      expect(r.status).toBe(200);
      const active = r.body.reservations.filter((x: any) => x.status === 'active');
      expect(active.reduce((a: number, x: any) => a + x.qty, 0)).toBe(2);
      expect(active.every((x: any) => x.location !== first)).toBe(true);
      expect(r.body.status).toBe('allocated');
      const routing = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions;
      expect(routing).toHaveLength(2);
      // the re-route is a decision like the first, with what the location handed back
      expect(routing[1].reroute.rejectedUnits).toBe(2);
      expect(routing[1].outcome).toBe('routed');
      expect(routing[1].shipments.every((s: any) => s.code !== first)).toBe(true);
      expect(routing[1].rejection).toMatchObject({ rejectedLocation: first, reason: 'damaged in pick' });
      expect(routing[1].candidates.find((c: any) => c.code === first).excluded.rule).toBe('rejected_by_location');
      const again = await t.call('ops', 'POST', `/v1/orders/${o.id}/reroute`, { location: first, reason: 'twice' });
      expect(again.status).toBe(409);
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
    });

    it('decisions carry the order promise (ship-by, delivery window) and, across a border, the customs data', async () => {
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('r-4', [['SKU-00003', 1]]))).body;
      const d = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions[0];
      expect(d.promise.shipBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.promise.window.earliest).toBe(d.promise.deliveryDate);
      expect(d.promise.window.latest >= d.promise.window.earliest).toBe(true);
      expect(d.promise.shipBy <= d.promise.deliveryDate).toBe(true);
      // the order itself shows its promise
      expect((await t.call('viewer', 'GET', `/v1/orders/${o.id}`)).body.promise).toEqual(d.promise);
      const au = await t.call('viewer', 'POST', '/v1/routing/preview', { channel: 'web', destination: { country: 'AU', postcode: '2000' }, currency: 'USD', lines: [{ sku: 'SKU-00003', quantity: 2, unitPriceMinor: 2500 }] });
      const s = au.body.decision.shipments[0];
      expect(s).toBeDefined();
      expect(s.quote.crossBorder.customs.lines[0]).toMatchObject({ hsCode: '610910', qty: 2 });
      expect(typeof s.quote.crossBorder.regime).toBe('string');
      const q = (await t.call('viewer', 'POST', '/v1/promise', { channel: 'web', destination: { country: 'AU', postcode: '2000' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] })).body.quotes;
      expect(q.find((x: any) => x.serviceLevel === 'standard')).toMatchObject({ available: true });
      expect(q.find((x: any) => x.serviceLevel === 'standard').window.latest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it("a profile whose rules nothing fits can hold the order for ops (whenNothingFits: 'hold')", async () => {
      const p = await t.call('ops', 'POST', '/v1/routing/profiles', {
        id: 'vip-local-only', name: 'VIP: within 5 km or hold', priority: 5,
        conditions: { in: ['vip-local', { var: 'tags' }] },
        constraints: { maxDistanceKm: 5 },
        whenNothingFits: 'hold',
      });
      expect(p.status).toBe(201);
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('r-5', [['SKU-00014', 1]], { tags: ['vip-local'] }))).body;
      expect(o.status).toBe('on_hold');
      expect(o.reservations).toHaveLength(0);
      const d = (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions[0];
      expect(d.outcome).toBe('hold');
      expect(d.profile.id).toBe('vip-local-only');
      expect(d.candidates.every((c: any) => c.excluded !== undefined)).toBe(true);
      const timeline = (await t.call('viewer', 'GET', `/v1/orders/${o.id}`)).body.timeline;
      expect(timeline.find((e: any) => e.type === 'order.held').reason).toBe('routing:vip-local-only');
      // ops retire the rule and release the hold: the waiting units are routed and reserved at once
      await t.call('ops', 'POST', '/v1/routing/profiles', { id: 'vip-local-only', name: 'VIP (retired)', active: false });
      const released = await t.call('ops', 'POST', `/v1/orders/${o.id}/release-hold`, { reason: 'rule retired' });
      expect(released.body.status).toBe('allocated');
      expect(released.body.reservations.filter((r: any) => r.status === 'active')).toHaveLength(1);
    });

    it('back-orders filled later obey the same constraints: hazmat units only from licensed sites', async () => {
      const inv = (await t.call('viewer', 'GET', '/v1/inventory/SKU-00007')).body;
      const licensed = inv.locations.filter((l: any) => ['WH-NJ', 'WH-TX', 'FC-SZ'].includes(l.location)).reduce((a: number, l: any) => a + l.available, 0);
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('r-haz', [['SKU-00007', licensed + 2]]))).body;
      // the unlicensed sites' stock is not used, even though it would cover the order
      expect(o.lines[0].quantities).toMatchObject({ reserved: licensed, backordered: 2 });
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00007', location: 'WH-CA', qty: 5 });
      const still = (await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body;
      expect(still.reservations.some((r: any) => r.location === 'WH-CA' && r.status === 'active')).toBe(false);
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00007', location: 'WH-NJ', qty: 5 });
      const filled = (await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body;
      expect(filled.lines[0].quantities.backordered).toBe(0);
      expect(filled.reservations.filter((r: any) => r.status === 'active').every((r: any) => ['WH-NJ', 'WH-TX', 'FC-SZ'].includes(r.location))).toBe(true);
    });

    it('the simple strategy is still there behind the same seam', async () => {
      t.app.setAllocation('simple');
      try {
        const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('r-3', [['SKU-00013', 1]]))).body;
        expect(o.status).toBe('allocated');
        expect((await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions).toHaveLength(0);
      } finally {
        t.app.setAllocation('routing');
      }
    });
  });
}
