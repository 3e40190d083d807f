import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';

const WAREHOUSES = ['WH-NJ', 'WH-CA', 'WH-TX', 'WH-GA', 'WH-WA', 'WH-BER'];
const noWarehouses = { id: 'no-warehouses', name: 'Stores, 3PLs and factories only', priority: 5, constraints: { excludedLocationTypes: ['warehouse'] } };

for (const engine of ENGINES) {
  describe(`routing profile simulation [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
      const places = [
        { city: 'Boston', postcode: '02110', country: 'US' },
        { city: 'New York', postcode: '10001', country: 'US' },
        { city: 'Dallas', postcode: '75201', country: 'US' },
        { city: 'Seattle', postcode: '98101', country: 'US' },
      ];
      for (let i = 0; i < 12; i++) {
        const p = places[i % places.length]!;
        const r = await t.call('channel', 'POST', '/v1/orders', orderBody(`sim-${i}`, [[`SKU-0000${1 + (i % 9)}`, 1 + (i % 2)]], { shippingAddress: { name: 'A', line1: '1 Main St', ...p } }));
        expect(r.status).toBe(201);
      }
    });
    afterAll(async () => t?.close());

    it('replays recent orders with the draft in force: what changes, and nothing is saved or reserved', async () => {
      const before = await tableCounts(t.app);
      const stock = await sql<{ r: number }>`select sum(reserved)::int as r from stock`.execute(t.app.database.db);
      const r = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses });
      expect(r.status).toBe(200);
      const s = r.body;
      expect(s.profile).toMatchObject({ id: 'no-warehouses', version: 1, active: true });
      expect(s.basis.orders).toBe(12);
      expect(s.current.orders).toBe(12);
      expect(s.proposed.orders).toBe(12);
      expect(s.current.profiles).toEqual({ 'switchyard-default': 12 });
      expect(s.proposed.profiles).toEqual({ 'no-warehouses': 12 });
      // today's plans mostly use the warehouses; the draft's never do: those orders' plans moved
      expect(s.changed.orders).toBeGreaterThanOrEqual(6);
      expect(s.changed.listed).toHaveLength(s.changed.orders);
      for (const c of s.changed.listed) {
        expect(c.current.locations.some((l: string) => WAREHOUSES.includes(l))).toBe(true);
        for (const l of c.proposed.locations) expect(WAREHOUSES).not.toContain(l);
        expect(c.current.currency).toBe('USD');
      }
      // from farther away, dearer: the cost of the rule, component by component
      expect(s.proposed.cost.USD.total).toBeGreaterThan(s.current.cost.USD.total);
      expect(s.proposed.cost.USD.carrier + s.proposed.cost.USD.handling).toBeGreaterThan(0);
      expect(s.current.unitsAllocated).toBe(s.current.unitsRequested);
      expect(await tableCounts(t.app)).toEqual(before);
      expect((await sql<{ r: number }>`select sum(reserved)::int as r from stock`.execute(t.app.database.db)).rows[0]!.r).toBe(stock.rows[0]!.r);
      expect((await t.call('viewer', 'GET', '/v1/routing/profiles')).body.items.map((p: any) => p.id)).not.toContain('no-warehouses');
    });

    it('a draft the same as the profiles in force changes nothing; an inactive draft takes its profile out', async () => {
      const s0 = (await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses })).body;
      const saved = await t.call('ops', 'POST', '/v1/routing/profiles', { ...noWarehouses, conditions: { '==': [{ var: 'country' }, 'XX'] } });
      expect(saved.status).toBe(201);
      const same = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: { ...noWarehouses, conditions: { '==': [{ var: 'country' }, 'XX'] } }, orders: { limit: 5 } });
      expect(same.status).toBe(200);
      expect(same.body.profile.version).toBe(2);
      expect(same.body.basis.orders).toBe(5);
      expect(same.body.changed.orders).toBe(0);
      expect(same.body.proposed).toEqual(same.body.current);
      // now make it match everything in force, then simulate switching it off
      await t.call('ops', 'POST', '/v1/routing/profiles', noWarehouses);
      const off = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: { ...noWarehouses, active: false } });
      expect(off.body.current.profiles).toEqual({ 'no-warehouses': 12 });
      expect(off.body.proposed.profiles).toEqual({ 'switchyard-default': 12 });
      expect(off.body.changed.orders).toBe(s0.changed.orders);
      await t.call('ops', 'POST', '/v1/routing/profiles', { ...noWarehouses, active: false });
    });

    it("a draft at search 'optimal' shows what proving the cheapest plan would save on recent large orders", async () => {
      const since = new Date(Date.now() - 1).toISOString();
      const lines = Array.from({ length: 8 }, (_, k) => [`SKU-0000${1 + k}`, 1] as [string, number]);
      for (const [i, postcode] of ['02110', '75201', '98101'].entries()) {
        const r = await t.call('channel', 'POST', '/v1/orders', orderBody(`sim-large-${i}`, lines, { shippingAddress: { name: 'A', line1: '1 Main St', city: 'X', postcode, country: 'US' } }));
        expect(r.status).toBe(201);
      }
      const optimal = { id: 'prove-it', name: 'Prove the cheapest plan', priority: 1, search: 'optimal' };
      const s = (await t.call('ops', 'POST', '/v1/routing/simulate', { profile: optimal, orders: { since } })).body;
      expect(s.basis.orders).toBe(3);
      expect(s.proposed.profiles).toEqual({ 'prove-it': 3 });
      expect(s.proposed.unitsAllocated).toBeGreaterThanOrEqual(s.current.unitsAllocated);
      expect(s.proposed.cost.USD.total).toBeLessThanOrEqual(s.current.cost.USD.total);
    });

    it('filters the replayed orders by channel and time', async () => {
      const none = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses, orders: { channel: 'amazon-us' } });
      expect(none.status).toBe(200);
      expect(none.body.basis.orders).toBe(0);
      const later = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses, orders: { since: new Date(Date.now() + 60_000).toISOString() } });
      expect(later.body.basis.orders).toBe(0);
      const web = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses, orders: { channel: 'web', limit: 3 } });
      expect(web.body.basis.orders).toBe(3);
    });

    it('rejects a bad draft or filter with the offending field, and is for ops and admins only', async () => {
      const bad = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: { ...noWarehouses, constraints: { maxSplits: -1 } } });
      expect(bad.status).toBe(422);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body).toMatchObject({ code: 'invalid_profile', field: 'profile/constraints.maxSplits' });
      const reserved = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: { ...noWarehouses, id: 'switchyard-default' } });
      expect(reserved.body).toMatchObject({ code: 'reserved_profile_id', field: 'profile/id' });
      const saved = await t.call('ops', 'POST', '/v1/routing/profiles', { ...noWarehouses, id: 'switchyard-default' });
      expect(saved.status).toBe(422);
      expect(saved.body).toMatchObject({ code: 'reserved_profile_id', field: 'id' });
      const unknown = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses, orders: { channel: 'nope' } });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'unknown_channel', field: 'orders/channel' });
      const shape = await t.call('ops', 'POST', '/v1/routing/simulate', { profile: noWarehouses, orders: { limit: 0 } });
      expect(shape.status).toBe(400);
      expect((await t.call('viewer', 'POST', '/v1/routing/simulate', { profile: noWarehouses })).status).toBe(403);
      expect((await t.call('channel', 'POST', '/v1/routing/simulate', { profile: noWarehouses })).status).toBe(403);
      expect((await t.call(null, 'POST', '/v1/routing/simulate', { profile: noWarehouses })).status).toBe(401);
    });
  });
}
