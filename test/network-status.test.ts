import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';

interface Status {
  code: string;
  active: boolean;
  reserved: { orders: number; units: number };
  capacity: { daily: number | null; taken: number | null; left: number | null };
  today: null | { localDate: string; working: boolean; closedReason: string | null; releasesToday: boolean; releaseDate: string; upcomingClosures: Array<{ date: string; reason: string }> };
}

/** The network today (GET /v1/network/status) and closing a site on a date. */
for (const engine of ENGINES) {
  describe(`network status and closures [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 10 } });
    });
    afterAll(async () => t?.close());

    const status = async (): Promise<Status[]> => {
      const r = await t.call('ops', 'GET', '/v1/network/status');
      expect(r.status).toBe(200);
      return r.body.items;
    };

    it('gives every location its day and its capacity taken, counting the shipments routing just placed', async () => {
      const before = await status();
      expect(before.map((s) => s.code).sort()).toEqual((await t.app.locations.list()).map((l) => l.code).sort());
      for (const s of before) expect(s.today, s.code).not.toBeNull();
      const shipments: Record<string, number> = {};
      for (let i = 0; i < 3; i++) {
        const o = await t.call('channel', 'POST', '/v1/orders', orderBody(`net-${i}`, [['SKU-00002', 1], ['SKU-00003', 2]]));
        expect(o.status).toBe(201);
        for (const loc of new Set<string>(o.body.reservations.map((r: { location: string }) => r.location))) shipments[loc] = (shipments[loc] ?? 0) + 1;
      }
      const after = await status();
      for (const s of after) {
        const was = before.find((b) => b.code === s.code)!;
        expect(s.capacity.taken! - was.capacity.taken!, s.code).toBe(shipments[s.code] ?? 0);
        expect(s.capacity.taken! + s.capacity.left!, s.code).toBe(s.capacity.daily);
      }
    });

    it('at a fixed instant: the day before Thanksgiving in New Jersey, after and before the cut-off', async () => {
      const at = async (iso: string) => (await t.app.network.status(new Date(iso))).items.find((s) => s.code === 'WH-NJ')!.today!;
      expect(await at('2026-11-25T19:59:00Z')).toMatchObject({ localDate: '2026-11-25', working: true, releasesToday: true, releaseDate: '2026-11-25' });
      const late = await at('2026-11-25T20:00:00Z'); // 15:00 EST, the cut-off
      expect(late).toMatchObject({ releasesToday: false, releaseDate: '2026-11-27' });
      expect(late.upcomingClosures[0]).toEqual({ date: '2026-11-26', reason: 'public holiday (Thanksgiving Day)' });
    });

    it('closes a site on a date and opens it again; closing twice keeps one entry', async () => {
      const nj = (await status()).find((s) => s.code === 'WH-NJ')!;
      // a weekday ahead that is not already closed
      let day = '';
      for (let k = 2; k < 14 && !day; k++) {
        const d = new Date(`${nj.today!.localDate}T12:00:00Z`);
        d.setUTCDate(d.getUTCDate() + k);
        const iso = d.toISOString().slice(0, 10);
        if (d.getUTCDay() % 6 !== 0 && !nj.today!.upcomingClosures.some((c) => c.date === iso)) day = iso;
      }
      for (let i = 0; i < 2; i++) {
        const r = await t.call('ops', 'POST', '/v1/locations/WH-NJ/closures', { date: day });
        expect(r.status).toBe(201);
        expect(r.body.closures.filter((c: string) => c === day)).toHaveLength(1);
      }
      expect((await status()).find((s) => s.code === 'WH-NJ')!.today!.upcomingClosures).toContainEqual({ date: day, reason: 'closure' });
      const open = await t.call('ops', 'DELETE', `/v1/locations/WH-NJ/closures/${day}`);
      expect(open.status).toBe(200);
      expect(open.body.closures).not.toContain(day);
      expect((await status()).find((s) => s.code === 'WH-NJ')!.today!.upcomingClosures.map((c) => c.date)).not.toContain(day);
    });

    it('evacuates a location: every order reserved there is re-routed elsewhere (dry run first), explained, ledger intact', async () => {
      for (let i = 0; i < 6; i++) {
        const o = await t.call('channel', 'POST', '/v1/orders', orderBody(`evac-${i}`, [[`SKU-0000${4 + (i % 3)}`, 1 + (i % 2)], ['SKU-00007', 1]]));
        expect(o.status).toBe(201);
      }
      // the location holding the most orders
      const held = new Map<string, number>();
      for (const l of await t.app.locations.list()) held.set(l.code, (await t.app.orders.reservedAt(l.id, 1000)).total);
      const [code, count] = [...held].sort((a, b) => b[1] - a[1])[0]!;
      expect(count).toBeGreaterThanOrEqual(2);
      const before = await tableCounts(t.app);
      const dry = await t.call('ops', 'POST', `/v1/locations/${code}/evacuate`, { reason: 'flooded', dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ location: code, dryRun: true, ordersHolding: count, examined: count, moved: 0 });
      expect(await tableCounts(t.app)).toEqual(before);
      const units = dry.body.orders.reduce((a: number, o: { units: number }) => a + o.units, 0);
      expect((await status()).find((s) => s.code === code)!.reserved).toEqual({ orders: count, units });

      // take it out of routing first (as ops would), then move what it holds
      expect((await t.call('ops', 'PATCH', `/v1/locations/${code}`, { active: false })).status).toBe(200);
      const run = await t.call('ops', 'POST', `/v1/locations/${code}/evacuate`, { reason: 'flooded' });
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ moved: count, examined: count, units: { moved: units } });
      expect(run.body.units.reservedElsewhere + run.body.units.waiting).toBe(units);
      const loc = await t.app.locations.getByCode(code);
      expect((await t.app.orders.reservedAt(loc.id, 10)).total).toBe(0);
      expect((await status()).find((s) => s.code === code)!.reserved).toEqual({ orders: 0, units: 0 });
      for (const o of run.body.orders) {
        expect(o.problem).toBeUndefined();
        expect(o.now).not.toContain(code);
        const r = (await t.call('ops', 'GET', `/v1/orders/${o.orderId}/routing`)).body;
        const last = r.decisions.at(-1);
        expect(last.rejection).toMatchObject({ rejectedLocation: code, reason: 'flooded' });
        // never routed back there: excluded, and said why
        expect(last.candidates.find((c: { code: string }) => c.code === code)).toMatchObject({ excluded: { rule: 'rejected_by_location' } });
      }
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
      const trail = (await t.call('ops', 'GET', `/v1/locations/${code}/history`)).body.items;
      expect(trail[0]).toMatchObject({ action: 'evacuated', reason: 'flooded', changes: { orders: count, units: { moved: units } } });
      // nothing left there: a second run moves nothing
      const again = await t.call('ops', 'POST', `/v1/locations/${code}/evacuate`, { reason: 'flooded' });
      expect(again.body).toMatchObject({ ordersHolding: 0, examined: 0, moved: 0 });
      expect((await t.call('ops', 'PATCH', `/v1/locations/${code}`, { active: true })).status).toBe(200);
      const unknown = await t.call('ops', 'POST', '/v1/locations/NOPE/evacuate', { reason: 'x' });
      expect(unknown.status).toBe(404);
      expect((await t.call('ops', 'POST', `/v1/locations/${code}/evacuate`, { reason: '' })).status).toBe(400);
    });

    it('an evacuation racing cancels and new orders: every order ends consistent, nothing left reserved there', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const o = await t.call('channel', 'POST', '/v1/orders', orderBody(`race-evac-${i}`, [['SKU-00008', 1], ['SKU-00009', 1 + (i % 2)]]));
        expect(o.status).toBe(201);
        ids.push(o.body.id);
      }
      const held = new Map<string, number>();
      for (const l of await t.app.locations.list()) held.set(l.code, (await t.app.orders.reservedAt(l.id, 1000)).total);
      const [code] = [...held].sort((a, b) => b[1] - a[1])[0]!;
      const loc = await t.app.locations.getByCode(code);
      await t.app.locations.update(code, { active: false }); // no new order goes there meanwhile
      const [run, ...others] = await Promise.all([
        t.call('ops', 'POST', `/v1/locations/${code}/evacuate`, { reason: 'race' }),
        ...ids.filter((_, i) => i % 2 === 0).map((id) => t.call('ops', 'POST', `/v1/orders/${id}/cancel`, { reason: 'race' })),
        ...[0, 1, 2].map((i) => t.call('channel', 'POST', '/v1/orders', orderBody(`race-evac-new-${i}`, [['SKU-00008', 1]]))),
      ]);
      expect(run.status).toBe(200);
      for (const r of others) expect(r.status).toBeLessThan(300);
      // an order cancelled first is reported with its problem; every other one moved
      for (const o of run.body.orders) if (o.problem) expect(o.problem.code).toMatch(/nothing_reserved_there|not_allowed|invalid_transition|order_cancelled/);
      expect((await t.app.orders.reservedAt(loc.id, 100)).total).toBe(0);
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
      await t.app.locations.update(code, { active: true });
    });

    it('keeps each location\'s audit trail: who changed what, closed and opened dates, with outbox events; no change, no entry', async () => {
      const history = async () => (await t.call('viewer', 'GET', '/v1/locations/WH-GA/history')).body.items as Array<{ action: string; actor: string; changes: any; reason: string | null }>;
      const n0 = (await history()).length;
      expect((await t.call('ops', 'PATCH', '/v1/locations/WH-GA', { dailyCapacity: 123, active: false })).status).toBe(200);
      let h = await history();
      expect(h).toHaveLength(n0 + 1);
      expect(h[0]).toMatchObject({ action: 'changed', changes: [{ field: 'dailyCapacity', from: 20000, to: 123 }, { field: 'active', from: true, to: false }] });
      expect(h[0]!.actor).not.toBe('system');
      // the same values again: nothing changed, nothing recorded
      await t.call('ops', 'PATCH', '/v1/locations/WH-GA', { dailyCapacity: 123, active: false });
      expect(await history()).toHaveLength(n0 + 1);
      // two changes at once to different fields both stick
      await Promise.all([
        t.call('ops', 'PATCH', '/v1/locations/WH-GA', { priority: 7 }),
        t.call('admin', 'PATCH', '/v1/locations/WH-GA', { handlingDays: 2 }),
      ]);
      expect(await t.app.locations.getByCode('WH-GA')).toMatchObject({ priority: 7, handlingDays: 2, dailyCapacity: 123, active: false });
      // a date closed (twice: one entry) and opened again
      await t.call('ops', 'POST', '/v1/locations/WH-GA/closures', { date: '2031-03-04' });
      await t.call('ops', 'POST', '/v1/locations/WH-GA/closures', { date: '2031-03-04' });
      await t.call('ops', 'DELETE', '/v1/locations/WH-GA/closures/2031-03-04');
      h = await history();
      expect(h.slice(0, 2).map((e) => [e.action, e.changes])).toEqual([['opened', { date: '2031-03-04' }], ['closed', { date: '2031-03-04' }]]);
      expect(h).toHaveLength(n0 + 5);
      const loc = await t.app.locations.getByCode('WH-GA');
      const topics = await sql<{ topic: string }>`select topic from outbox where aggregate_id = ${loc.id} order by id`.execute(t.app.database.db);
      expect(topics.rows.map((r) => r.topic).slice(-5)).toEqual(['location.changed', 'location.changed', 'location.changed', 'location.closed', 'location.opened']);
      await t.call('ops', 'PATCH', '/v1/locations/WH-GA', { dailyCapacity: 20000, active: true, priority: 50, handlingDays: 0 });
      expect((await t.call('ops', 'GET', '/v1/locations/NOPE/history')).status).toBe(404);
    });

    it('refuses an impossible date, an unknown site and a bad body, changing nothing', async () => {
      const before = await tableCounts(t.app);
      const closures = (await t.app.locations.getByCode('WH-NJ')).closures;
      const bad = await t.call('ops', 'POST', '/v1/locations/WH-NJ/closures', { date: '2026-02-30' });
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'invalid_date', field: 'date' });
      const badDelete = await t.call('ops', 'DELETE', '/v1/locations/WH-NJ/closures/2026-13-01');
      expect(badDelete.status).toBe(422);
      expect((await t.call('ops', 'POST', '/v1/locations/NOPE/closures', { date: '2026-12-01' })).body.code).toBe('location_not_found');
      for (const body of [{}, { date: '1 Dec' }, { date: '2026-12-01', reason: 'x' }]) {
        const r = await t.call('ops', 'POST', '/v1/locations/WH-NJ/closures', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
      }
      expect((await t.app.locations.getByCode('WH-NJ')).closures).toEqual(closures);
      expect(await tableCounts(t.app)).toEqual(before);
    });
  });
}
