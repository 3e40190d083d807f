import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, type TestApp } from './support/engines.ts';

/** What GET /v1/routing/stats must say, recounted from each order's decisions as the API gives them. */
function recount(decisions: any[], currencies: string[]) {
  const r = {
    decisions: decisions.length, outcomes: { routed: 0, partial: 0, backorder: 0, hold: 0 } as Record<string, number>, profiles: {} as Record<string, number>,
    shipmentsPerOrder: { '0': 0, '1': 0, '2': 0, '3+': 0 } as Record<string, number>, locations: new Map<string, { shipments: number; late: number }>(),
    lateShipments: 0, exclusions: new Map<string, number>(), cost: {} as Record<string, number>, units: { requested: 0, allocated: 0 },
  };
  decisions.forEach((d, i) => {
    r.outcomes[d.outcome]++;
    r.profiles[d.profile.id] = (r.profiles[d.profile.id] ?? 0) + 1;
    const n = d.shipments.length;
    r.shipmentsPerOrder[n >= 3 ? '3+' : String(n)]++;
    for (const s of d.shipments) {
      const l = r.locations.get(s.code) ?? { shipments: 0, late: 0 };
      l.shipments++;
      if ((s.quote.lateDays ?? 0) > 0) {
        l.late++;
        r.lateShipments++;
      }
      r.locations.set(s.code, l);
    }
    for (const c of d.candidates) if (c.excluded) r.exclusions.set(c.excluded.rule, (r.exclusions.get(c.excluded.rule) ?? 0) + 1);
    r.cost[currencies[i]!] = (r.cost[currencies[i]!] ?? 0) + d.totalCostMinor;
    r.units.requested += d.units.requested;
    r.units.allocated += d.units.allocated;
  });
  return r;
}

for (const engine of ENGINES) {
  describe(`routing stats [${engine}]`, () => {
    let t: TestApp;
    const placed: Array<{ id: string; currency: string; channel: string }> = [];
    const start = new Date(Date.now() - 1000).toISOString();
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
      const places = [
        { city: 'Boston', postcode: '02110', country: 'US', currency: 'USD' },
        { city: 'London', postcode: 'SW1A 1AA', country: 'GB', currency: 'GBP' },
        { city: 'Berlin', postcode: '10115', country: 'DE', currency: 'EUR' },
        { city: 'Seattle', postcode: '98101', country: 'US', currency: 'USD' },
      ];
      for (let i = 0; i < 16; i++) {
        const p = places[i % places.length]!;
        const channel = i % 5 === 4 ? 'amazon-us' : 'web';
        if (channel === 'amazon-us' && p.country !== 'US') continue;
        // a large quantity now and then: more than one location holds
        const lines: Array<[string, number]> = [[`SKU-0000${1 + (i % 9)}`, i % 7 === 3 ? 40 : 1], ['SKU-00012', 1 + (i % 2)]];
        const r = await t.call('ops', 'POST', '/v1/orders', orderBody(`st-${i}`, lines, {
          channel, currency: p.currency, shippingAddress: { name: 'A', line1: '1 Main St', city: p.city, postcode: p.postcode, country: p.country },
          ...(i % 6 === 5 ? { serviceLevel: 'next_day' } : {}),
        }));
        expect(r.status).toBe(201);
        placed.push({ id: r.body.id, currency: p.currency, channel });
      }
    });
    afterAll(async () => t?.close());

    const decisionsOf = async (orders: typeof placed) => Promise.all(orders.map(async (o) => (await t.call('viewer', 'GET', `/v1/orders/${o.id}/routing`)).body.decisions[0]));

    it('counts outcomes, profiles, splits, locations, late shipments, exclusions and cost exactly as the stored decisions say', async () => {
      const r = await t.call('viewer', 'GET', `/v1/routing/stats?from=${encodeURIComponent(start)}`);
      expect(r.status).toBe(200);
      const s = r.body;
      const want = recount(await decisionsOf(placed), placed.map((p) => p.currency));
      expect(s.decisions).toBe(placed.length);
      expect(s.outcomes).toEqual(want.outcomes);
      expect(s.profiles).toEqual(want.profiles);
      expect(s.shipmentsPerOrder).toEqual(want.shipmentsPerOrder);
      expect(s.units).toEqual(want.units);
      expect(s.lateShipments).toBe(want.lateShipments);
      expect(new Map(s.locations.map((l: any) => [l.code, { shipments: l.shipments, late: l.late }]))).toEqual(want.locations);
      expect(new Map(s.exclusions.map((e: any) => [e.rule, e.candidates]))).toEqual(want.exclusions);
      expect(Object.fromEntries(Object.entries(s.cost).map(([c, v]: [string, any]) => [c, v.totalMinor]))).toEqual(want.cost);
      // the mix was not trivial: three currencies, a split, candidates excluded for more than one reason
      expect(Object.keys(s.cost).sort()).toEqual(['EUR', 'GBP', 'USD']);
      expect(s.shipmentsPerOrder['2'] + s.shipmentsPerOrder['3+']).toBeGreaterThan(0);
      expect(s.splitRate).toBeGreaterThan(0);
      expect(s.exclusions.length).toBeGreaterThan(1);
      expect(s.methods.exact + (s.methods.heuristic ?? 0)).toBe(placed.length);
    });

    it('narrows to a channel and a window', async () => {
      const amazon = placed.filter((p) => p.channel === 'amazon-us');
      const r = await t.call('ops', 'GET', `/v1/routing/stats?channel=amazon-us&from=${encodeURIComponent(start)}`);
      expect(r.body.decisions).toBe(amazon.length);
      expect(r.body.channel).toBe('amazon-us');
      const past = await t.call('ops', 'GET', `/v1/routing/stats?to=${encodeURIComponent(start)}`);
      expect(past.body.decisions).toBe(0);
      expect(past.body.splitRate).toBe(0);
      // by default the last 24 hours
      expect((await t.call('ops', 'GET', '/v1/routing/stats')).body.decisions).toBe(placed.length);
    });

    it('rejects a bad window or channel with the field, and is for staff only', async () => {
      const now = new Date().toISOString();
      const bad = await t.call('ops', 'GET', `/v1/routing/stats?from=${encodeURIComponent(now)}&to=${encodeURIComponent(start)}`);
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'invalid_window', field: 'from' });
      expect((await t.call('ops', 'GET', '/v1/routing/stats?channel=nope')).body).toMatchObject({ code: 'unknown_channel', field: 'channel' });
      expect((await t.call('ops', 'GET', '/v1/routing/stats?from=yesterday')).status).toBe(400);
      expect((await t.call('channel', 'GET', '/v1/routing/stats')).status).toBe(403);
      expect((await t.call(null, 'GET', '/v1/routing/stats')).status).toBe(401);
    });
  });
}
