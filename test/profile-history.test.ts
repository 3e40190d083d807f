import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';

/** A profile's versions: who saved each, what it changed, and rolling back by saving an earlier one again. */
for (const engine of ENGINES) {
  describe(`routing profile history and restore [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 10 } });
    });
    afterAll(async () => t?.close());

    const v1 = { id: 'eu-first', name: 'EU first', priority: 10, conditions: { '==': [{ var: 'channel' }, 'web'] }, constraints: { maxSplits: 2 } };

    it('lists every version newest first, each with who saved it and the settings it changed', async () => {
      expect((await t.call('ops', 'POST', '/v1/routing/profiles', v1)).status).toBe(201);
      const v2 = { ...v1, name: 'EU first, one shipment', constraints: { maxSplits: 1, excludedLocationTypes: ['store'] }, weights: { lateness: 2 } };
      expect((await t.call('admin', 'POST', '/v1/routing/profiles', v2)).status).toBe(201);
      const h = await t.call('ops', 'GET', '/v1/routing/profiles/eu-first');
      expect(h.status).toBe(200);
      expect(h.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const [second, first] = h.body.items;
      expect(first.changes).toBeNull();
      expect(first.restoredFrom).toBeNull();
      expect(second.createdBy).not.toBe(first.createdBy); // admin, then ops: each save names its principal
      expect(second.changes).toEqual([
        { path: 'name', from: 'EU first', to: 'EU first, one shipment' },
        { path: 'constraints.maxSplits', from: 2, to: 1 },
        { path: 'constraints.excludedLocationTypes', from: [], to: ['store'] },
        { path: 'weights.lateness', from: 1, to: 2 },
      ]);
    });

    it('restores an earlier version as the next one; the history says so and the restored settings are in force', async () => {
      const r = await t.call('ops', 'POST', '/v1/routing/profiles/eu-first/restore', { version: 1 });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: 'eu-first', version: 3, name: 'EU first', restoredFrom: 1, constraints: { maxSplits: 2, excludedLocationTypes: [] } });
      const inForce = (await t.call('ops', 'GET', '/v1/routing/profiles')).body.items.find((p: { id: string }) => p.id === 'eu-first');
      expect(inForce).toMatchObject({ version: 3, name: 'EU first', constraints: { maxSplits: 2 } });
      const [third] = (await t.call('ops', 'GET', '/v1/routing/profiles/eu-first')).body.items;
      expect(third.restoredFrom).toBe(1);
      expect(third.changes.map((c: { path: string }) => c.path)).toEqual(['name', 'constraints.maxSplits', 'constraints.excludedLocationTypes', 'weights.lateness']);
      // the next order is decided by the restored version
      const o = await t.call('channel', 'POST', '/v1/orders', orderBody('restored-1'));
      expect(o.status).toBe(201);
      const d = (await t.call('ops', 'GET', `/v1/orders/${o.body.id}/routing`)).body.decisions[0];
      expect(d.profile).toMatchObject({ id: 'eu-first', version: 3 });
    });

    it('refuses an unknown profile or version, and a bad body, changing nothing', async () => {
      const before = await tableCounts(t.app);
      const versions = (await t.call('ops', 'GET', '/v1/routing/profiles/eu-first')).body.items.length;
      const noVersion = await t.call('ops', 'POST', '/v1/routing/profiles/eu-first/restore', { version: 9 });
      expect(noVersion.status).toBe(404);
      expect(noVersion.body).toMatchObject({ code: 'routing_profile_version_not_found', field: 'version' });
      const noProfile = await t.call('ops', 'POST', '/v1/routing/profiles/nope/restore', { version: 1 });
      expect(noProfile.status).toBe(404);
      expect(noProfile.body.code).toBe('routing_profile_not_found');
      for (const body of [{}, { version: 0 }, { version: 'one' }, { version: 1, extra: true }]) {
        const bad = await t.call('ops', 'POST', '/v1/routing/profiles/eu-first/restore', body);
        expect(bad.status, JSON.stringify(body)).toBe(400);
        expect(String(bad.headers['content-type'])).toMatch(/problem\+json/);
      }
      expect((await t.call('ops', 'GET', '/v1/routing/profiles/eu-first')).body.items.length).toBe(versions);
      expect(await tableCounts(t.app)).toEqual(before);
    });

    it('checks a restored version as a save would: one saved under looser rules is refused, naming the setting', async () => {
      // a version as an older release might have stored it, before maxSplits had to be >= 1
      const legacy = { ...(await t.app.routingProfiles.list()).find((p) => p.id === 'eu-first')!, version: 90, constraints: { ...(await t.app.routingProfiles.list()).find((p) => p.id === 'eu-first')!.constraints, maxSplits: 0 } };
      await sql`insert into routing_profiles (id, version, name, priority, active, definition, created_by)
        values ('eu-first', 90, ${legacy.name}, ${legacy.priority}, ${legacy.active}, ${JSON.stringify(legacy)}, 'legacy')`.execute(t.app.database.db);
      const r = await t.call('ops', 'POST', '/v1/routing/profiles/eu-first/restore', { version: 90 });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'invalid_profile', field: 'version/constraints.maxSplits' });
      expect((await t.call('ops', 'GET', '/v1/routing/profiles/eu-first')).body.items[0].version).toBe(90);
    });
  });
}
