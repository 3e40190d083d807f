import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, type TestApp } from './support/engines.ts';

for (const engine of ENGINES) {
  describe(`order capture [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
    });
    afterAll(async () => t?.close());

    const stockOf = async (sku: string) => (await t.call('admin', 'GET', `/v1/inventory/${sku}`)).body;

    it('captures an order, reserves stock and records the audit trail and outbox events', async () => {
      const before = await stockOf('SKU-00003');
      const res = await t.call('ops', 'POST', '/v1/orders', orderBody('c-1', [['SKU-00003', 2]]));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('allocated');
      expect(res.body.lines[0].quantities).toMatchObject({ ordered: 2, reserved: 2, backordered: 0 });
      expect(res.body.reservations.reduce((a: number, r: any) => a + r.qty, 0)).toBe(2);
      const after = await stockOf('SKU-00003');
      expect(after.reserved).toBe(before.reserved + 2);
      const got = await t.call('viewer', 'GET', `/v1/orders/${res.body.id}`);
      expect(got.body.timeline.map((e: any) => e.type)).toContain('order.created');
      expect(got.body.reservations).toHaveLength(res.body.reservations.length);
      const { sql } = await import('kysely');
      const ev = await sql<any>`select topic from outbox where aggregate_id = ${res.body.id}`.execute(t.app.database.db);
      expect(ev.rows.map((r) => r.topic)).toContain('order.created');
    });

    it('is idempotent on channel + external id: a repeat returns the same order and reserves nothing more', async () => {
      const a = await t.call('ops', 'POST', '/v1/orders', orderBody('c-2', [['SKU-00004', 1]]));
      const mid = await stockOf('SKU-00004');
      const b = await t.call('ops', 'POST', '/v1/orders', orderBody('c-2', [['SKU-00004', 1]]));
      expect(a.status).toBe(201);
      expect(b.status).toBe(200);
      expect(b.headers['switchyard-replayed']).toBe('true');
      expect(b.body.id).toBe(a.body.id);
      expect((await stockOf('SKU-00004')).reserved).toBe(mid.reserved);
    });

    it('honours Idempotency-Key: same payload → same order, different payload → 409', async () => {
      const h = { 'idempotency-key': 'key-123' };
      const a = await t.call('ops', 'POST', '/v1/orders', orderBody('c-3'), h);
      const b = await t.call('ops', 'POST', '/v1/orders', orderBody('c-3'), h);
      expect(a.status).toBe(201);
      expect(b.body.id).toBe(a.body.id);
      const c = await t.call('ops', 'POST', '/v1/orders', orderBody('c-3-other'), h);
      expect(c.status).toBe(409);
      expect(c.body.code).toBe('idempotency_key_reused');
      const list = await t.call('admin', 'GET', '/v1/orders?q=c-3-other');
      expect(list.body.items).toHaveLength(0);
    });

    it('honours an Idempotency-Key for its TTL only; housekeeping deletes expired keys and keeps fresh ones', async () => {
      const { sql } = await import('kysely');
      const db = t.app.database.db;
      const h = { 'idempotency-key': 'key-ttl' };
      const a = await t.call('ops', 'POST', '/v1/orders', orderBody('c-ttl-1'), h);
      expect(a.status).toBe(201);
      expect((await t.call('ops', 'POST', '/v1/orders', orderBody('c-ttl-other'), h)).status).toBe(409);
      // first used 25 h ago (TTL 24 h): not honoured any more, even before the sweep has run
      await sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'key-ttl'`.execute(db);
      const b = await t.call('ops', 'POST', '/v1/orders', orderBody('c-ttl-2'), h);
      expect(b.status).toBe(201);
      expect(b.body.id).not.toBe(a.body.id);
      // the new use took the key over: it now stands for the new order, from now
      const row = await sql<any>`select order_id, created_at > now() - interval '1 hour' as fresh from idempotency_keys where key = 'key-ttl'`.execute(db);
      expect(row.rows).toEqual([{ order_id: b.body.id, fresh: true }]);
      const again = await t.call('ops', 'POST', '/v1/orders', orderBody('c-ttl-2'), h);
      expect(again.body.id).toBe(b.body.id);
      // housekeeping: an expired key (not reused) goes, a fresh one stays
      expect((await t.call('ops', 'POST', '/v1/orders', orderBody('c-ttl-3'), { 'idempotency-key': 'key-old' })).status).toBe(201);
      await sql`update idempotency_keys set created_at = now() - interval '30 hours' where key = 'key-old'`.execute(db);
      const swept = await t.app.housekeeping.runOnce();
      expect(swept.idempotencyKeysExpired).toBeGreaterThanOrEqual(1);
      const keys = await sql<any>`select key from idempotency_keys where key in ('key-old', 'key-ttl', 'key-123') order by key`.execute(db);
      expect(keys.rows.map((r) => r.key)).toEqual(['key-123', 'key-ttl']);
      // and the sweep deletes in chunks until nothing expired is left
      await sql`insert into idempotency_keys (principal, key, request_hash, order_id, created_at)
        select 'p', 'bulk-' || g, 'h', ${a.body.id}, now() - interval '2 days' from generate_series(1, 25) g`.execute(db);
      expect(await t.app.orders.expireIdempotencyKeys(new Date(Date.now() - 24 * 3_600_000), 10)).toBe(25);
      expect((await sql<any>`select count(*)::int as n from idempotency_keys where key like 'bulk-%'`.execute(db)).rows[0].n).toBe(0);
    });

    it('back-orders what cannot be reserved and fills it, oldest first, when stock arrives', async () => {
      const s = await stockOf('SKU-00005');
      const avail = s.available;
      const res = await t.call('ops', 'POST', '/v1/orders', orderBody('c-4', [['SKU-00005', avail + 3]]));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('partially_allocated');
      expect(res.body.lines[0].quantities).toMatchObject({ reserved: avail, backordered: 3 });
      const second = await t.call('ops', 'POST', '/v1/orders', orderBody('c-4b', [['SKU-00005', 1]]));
      expect(second.body.status).toBe('backordered');
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00005', location: 'WH-NJ', qty: 3, reason: 'PO 77' });
      const first = await t.call('ops', 'GET', `/v1/orders/${res.body.id}`);
      expect(first.body.status).toBe('allocated');
      expect(first.body.lines[0].quantities).toMatchObject({ reserved: avail + 3, backordered: 0 });
      expect((await t.call('ops', 'GET', `/v1/orders/${second.body.id}`)).body.status).toBe('backordered');
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00005', location: 'WH-CA', qty: 1 });
      expect((await t.call('ops', 'GET', `/v1/orders/${second.body.id}`)).body.status).toBe('allocated');
    });

    it('reserves a kit whole or not at all (components × quantity)', async () => {
      const res = await t.call('ops', 'POST', '/v1/orders', orderBody('c-5', [['KIT-STARTER', 2]]));
      expect(res.status).toBe(201);
      const kit = res.body.lines[0];
      expect(kit.kit).toBe(true);
      expect(kit.components.map((c: any) => [c.sku, c.quantities.ordered])).toEqual([['SKU-00001', 2], ['SKU-00002', 4]]);
      expect(kit.quantities.reserved).toBe(2);
      const kitAvail = (await stockOf('KIT-STARTER')).available;
      const s2 = (await stockOf('SKU-00002')).available;
      expect(kitAvail).toBeLessThanOrEqual(Math.floor(s2 / 2));
    });

    it('pre-orders a SKU with a future availability date; holds an order that back-orders a no-back-order SKU', async () => {
      const pre = await t.call('ops', 'POST', '/v1/orders', orderBody('c-6', [['PRE-LAUNCH', 1]]));
      expect(pre.body.status).toBe('preordered');
      expect(pre.body.lines[0].quantities.preordered).toBe(1);
      const nobo = await t.call('ops', 'POST', '/v1/orders', orderBody('c-7', [['LTD-NOBO', 1]]));
      expect(nobo.body.status).toBe('on_hold');
      expect(nobo.body.heldFrom).toBe('backordered');
    });

    it('holds and releases with reasons, each an audit event', async () => {
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('c-8'))).body;
      const held = await t.call('ops', 'POST', `/v1/orders/${o.id}/hold`, { reason: 'fraud review' });
      expect(held.body.status).toBe('on_hold');
      const again = await t.call('ops', 'POST', `/v1/orders/${o.id}/hold`, { reason: 'twice' });
      expect(again.status).toBe(409);
      const rel = await t.call('ops', 'POST', `/v1/orders/${o.id}/release-hold`, { reason: 'cleared' });
      expect(rel.body.status).toBe('allocated');
      const tl = rel.body.timeline.map((e: any) => [e.type, e.reason, e.actor]);
      expect(tl).toContainEqual(['order.held', 'fraud review', 'key:test-ops']);
      expect(tl).toContainEqual(['order.hold_released', 'cleared', 'key:test-ops']);
    });

    it('cancels lines and whole orders, releasing their stock', async () => {
      const before = (await stockOf('SKU-00006')).reserved;
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('c-9', [['SKU-00006', 3], ['SKU-00008', 1]]))).body;
      expect((await stockOf('SKU-00006')).reserved).toBe(before + 3);
      const part = await t.call('ops', 'POST', `/v1/orders/${o.id}/cancel`, { reason: 'customer changed mind', lines: [{ lineId: o.lines[0].id, qty: 2 }] });
      expect(part.status).toBe(200);
      expect(part.body.lines[0].quantities).toMatchObject({ reserved: 1, cancelled: 2 });
      expect((await stockOf('SKU-00006')).reserved).toBe(before + 1);
      const tooMany = await t.call('ops', 'POST', `/v1/orders/${o.id}/cancel`, { reason: 'x', lines: [{ lineId: o.lines[0].id, qty: 5 }] });
      expect(tooMany.status).toBe(422);
      const all = await t.call('ops', 'POST', `/v1/orders/${o.id}/cancel`, { reason: 'fraud' });
      expect(all.body.status).toBe('cancelled');
      expect((await stockOf('SKU-00006')).reserved).toBe(before);
      const again = await t.call('ops', 'POST', `/v1/orders/${o.id}/cancel`, { reason: 'again' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('transition_not_allowed');
    });

    it('a cycle count below what is reserved gives up the newest reservations (they become back-orders)', async () => {
      const inv = await stockOf('SKU-00009');
      const loc = inv.locations.find((l: any) => l.available > 2);
      // take everything at every location so the count hits reserved units
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('c-10', [['SKU-00009', inv.available]]))).body;
      expect(o.status).toBe('allocated');
      const r = await t.call('ops', 'POST', '/v1/inventory/counts', { sku: 'SKU-00009', location: loc.location, counted: 0, reason: 'damaged' });
      expect(r.status).toBe(200);
      const after = (await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body;
      expect(after.status).toBe('partially_allocated');
      expect(after.lines[0].quantities.backordered).toBe(loc.onHand);
      expect(after.timeline.map((e: any) => e.type)).toContain('order.backordered');
      expect((await t.app.inventory.verify()).problems).toEqual([]);
      expect((await t.app.orders.verify()).problems).toEqual([]);
    });

    it('protected quantities: other channels cannot take them; ATS per channel reflects them and the buffer', async () => {
      await t.call('admin', 'PUT', '/v1/channels/wholesale/protections/SKU-00010', { qty: 0 });
      const total = (await stockOf('SKU-00010')).available;
      await t.call('ops', 'PUT', '/v1/channels/wholesale/protections/SKU-00010', { qty: total - 5 });
      const web = await t.call('viewer', 'GET', '/v1/channels/web/availability?sku=SKU-00010');
      expect(web.body.availableToSell).toBe(5);
      const amazon = await t.call('viewer', 'GET', '/v1/channels/amazon-us/availability?sku=SKU-00010');
      expect(amazon.body.availableToSell).toBe(3); // buffer 2
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('c-11', [['SKU-00010', 8]]))).body;
      expect(o.lines[0].quantities).toMatchObject({ reserved: 5, backordered: 3 });
      const w = (await t.call('ops', 'POST', '/v1/orders', { ...orderBody('c-12', [['SKU-00010', 8]]), channel: 'wholesale' })).body;
      expect(w.lines[0].quantities.reserved).toBe(8);
    });

    it('lists with filters and cursor pagination', async () => {
      for (let i = 0; i < 5; i++) await t.call('ops', 'POST', '/v1/orders', orderBody(`list-${i}`, [['SKU-00011', 1]], { tags: ['vip'], customer: { name: `Grace ${i}`, email: `grace${i}@example.org` } }));
      const p1 = await t.call('viewer', 'GET', '/v1/orders?tag=vip&limit=2');
      expect(p1.body.items).toHaveLength(2);
      const p2 = await t.call('viewer', 'GET', `/v1/orders?tag=vip&limit=2&cursor=${p1.body.nextCursor}`);
      const p3 = await t.call('viewer', 'GET', `/v1/orders?tag=vip&limit=2&cursor=${p2.body.nextCursor}`);
      const ids = [...p1.body.items, ...p2.body.items, ...p3.body.items].map((o: any) => o.externalId);
      expect(new Set(ids).size).toBe(5);
      expect(p3.body.nextCursor).toBeNull();
      expect((await t.call('viewer', 'GET', '/v1/orders?q=grace3@example')).body.items.map((o: any) => o.externalId)).toEqual(['list-3']);
      expect((await t.call('viewer', 'GET', '/v1/orders?sku=SKU-00011&channel=web')).body.items.length).toBe(5);
      expect((await t.call('viewer', 'GET', '/v1/orders?status=cancelled')).body.items.every((o: any) => o.status === 'cancelled')).toBe(true);
      const future = new Date(Date.now() + 86400_000).toISOString();
      expect((await t.call('viewer', 'GET', `/v1/orders?from=${encodeURIComponent(future)}`)).body.items).toHaveLength(0);
    });

    it('a channel key sees and acts only for its channel', async () => {
      const own = await t.call('channel', 'POST', '/v1/orders', orderBody('ch-1'));
      expect(own.status).toBe(201);
      const other = await t.call('channel', 'POST', '/v1/orders', { ...orderBody('ch-2'), channel: 'amazon-us' });
      expect(other.status).toBe(403);
      const amazonOrder = (await t.call('channel_amazon', 'POST', '/v1/orders', { ...orderBody('amz-1'), channel: 'amazon-us' })).body;
      expect((await t.call('channel', 'GET', `/v1/orders/${amazonOrder.id}`)).status).toBe(404);
      const listed = await t.call('channel', 'GET', '/v1/orders?limit=200');
      expect(listed.body.items.every((o: any) => o.channel === 'web')).toBe(true);
      expect((await t.call('channel', 'GET', '/v1/orders?channel=amazon-us')).status).toBe(403);
    });

    it('transfers, safety stock and the ledger: every movement recorded with reason, reference and actor', async () => {
      const before = await stockOf('SKU-00015');
      const from = before.locations.find((l: any) => l.available >= 5)!.location;
      const to = before.locations.find((l: any) => l.location !== from)!.location;
      const tr = await t.call('ops', 'POST', '/v1/inventory/transfers', { sku: 'SKU-00015', from, to, qty: 5, reference: 'TO-1001' });
      expect(tr.status).toBe(200);
      const at = (code: string) => tr.body.locations.find((l: any) => l.location === code);
      expect(at(from).onHand).toBe(before.locations.find((l: any) => l.location === from).onHand - 5);
      expect(at(to).onHand).toBe(before.locations.find((l: any) => l.location === to).onHand + 5);
      expect(tr.body.onHand).toBe(before.onHand);
      const ss = await t.call('ops', 'POST', '/v1/inventory/safety-stock', { sku: 'SKU-00015', location: to, qty: 3 });
      expect(ss.body.locations.find((l: any) => l.location === to).available).toBe(at(to).available - 3);
      const ledger = (await t.call('viewer', 'GET', '/v1/inventory/SKU-00015/ledger?limit=500')).body.items;
      const moves = ledger.filter((e: any) => e.reference === 'TO-1001');
      expect(moves.map((e: any) => [e.kind, e.location, e.onHandDelta])).toEqual([['transfer_out', from, -5], ['transfer_in', to, 5]]);
      expect(moves.every((e: any) => e.actor === 'key:test-ops')).toBe(true);
      expect(ledger.some((e: any) => e.kind === 'safety_stock' && e.location === to)).toBe(true);
      // a kit is as available as its scarcest component allows
      const kit = await stockOf('KIT-STARTER');
      const c1 = (await stockOf('SKU-00001')).available;
      const c2 = (await stockOf('SKU-00002')).available;
      expect(kit.available).toBe(Math.min(c1, Math.floor(c2 / 2)));
    });

    it('a kit waiting on a short component is reserved whole when that component arrives', async () => {
      await t.call('ops', 'POST', '/v1/skus', { sku: 'KIT-PAIR', name: 'Pair kit', components: [{ sku: 'SKU-00016', qty: 1 }, { sku: 'SKU-00017', qty: 2 }] });
      const short = (await stockOf('SKU-00017')).available;
      const kits = Math.floor(short / 2) + 2; // two more kits than SKU-00017 allows
      const o = (await t.call('ops', 'POST', '/v1/orders', orderBody('kit-wait', [['KIT-PAIR', kits]]))).body;
      const kit = o.lines[0];
      expect(kit.quantities).toMatchObject({ reserved: kits - 2, backordered: 2 });
      // components are held only for complete kits
      expect(kit.components.find((c: any) => c.sku === 'SKU-00016').quantities.reserved).toBe(kits - 2);
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00017', location: 'WH-NJ', qty: 3 });
      const mid = (await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body.lines[0];
      expect(mid.quantities).toMatchObject({ reserved: kits - 1, backordered: 1 });
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00017', location: 'WH-CA', qty: 2 });
      const done = (await t.call('ops', 'GET', `/v1/orders/${o.id}`)).body;
      expect(done.status).toBe('allocated');
      expect(done.lines[0].quantities).toMatchObject({ reserved: kits, backordered: 0 });
      expect(done.lines[0].components.map((c: any) => c.quantities.reserved)).toEqual([kits, kits * 2]);
    });

    it('the optimistic check: reservations apply only when every row still has what was counted on, else nothing moves', async () => {
      const { sql } = await import('kysely');
      const db = t.app.database.db;
      const rows = (await sql<{ sku_id: string; location_id: string; free: number }>`select sku_id, location_id, greatest(0, on_hand - safety_stock - reserved)::int as free
        from stock where greatest(0, on_hand - safety_stock - reserved) > 2 order by sku_id, location_id limit 3`.execute(db)).rows;
      expect(rows).toHaveLength(3);
      const snapshot = async () => (await sql<{ reserved: number }>`select reserved from stock where (sku_id, location_id) in
        (select * from unnest(${rows.map((r) => r.sku_id)}::uuid[], ${rows.map((r) => r.location_id)}::uuid[])) order by sku_id, location_id`.execute(db)).rows.map((r) => r.reserved);
      const item = (r: (typeof rows)[number], qty: number) => ({ orderId: 'x', orderLineId: 'x', skuId: r.sku_id, locationId: r.location_id, qty });
      const apply = (items: ReturnType<typeof item>[]) => t.app.database.transaction((trx) => t.app.inventory.applyReservations(trx, 'test', items, true));
      const before = await snapshot();
      // one row short (its free stock + 1 asked, in two items that add up): refused, no row changed
      expect(await apply([item(rows[0]!, 1), item(rows[1]!, rows[1]!.free), item(rows[1]!, 1), item(rows[2]!, 1)])).toBe(false);
      expect(await snapshot()).toEqual(before);
      // a row that does not exist: refused
      expect(await apply([item(rows[0]!, 1), { ...item(rows[2]!, 1), locationId: '00000000-0000-7000-8000-000000000000' }])).toBe(false);
      expect(await snapshot()).toEqual(before);
      // exactly the free stock of one row and some of the others: applied
      expect(await apply([item(rows[0]!, rows[0]!.free), item(rows[2]!, 2)])).toBe(true);
      expect(await snapshot()).toEqual([before[0]! + rows[0]!.free, before[1]!, before[2]! + 2]);
      // put it back (a direct reservation has no ledger rows: the ledger check below must still hold)
      await sql`update stock set reserved = reserved - ${rows[0]!.free} where sku_id = ${rows[0]!.sku_id} and location_id = ${rows[0]!.location_id}`.execute(db);
      await sql`update stock set reserved = reserved - 2 where sku_id = ${rows[2]!.sku_id} and location_id = ${rows[2]!.location_id}`.execute(db);
      expect(await snapshot()).toEqual(before);
    });

    it('the audit insert writes every field of every event, past the per-statement limit, and data already serialised as it is', async () => {
      const { sql } = await import('kysely');
      const db = t.app.database.db;
      const res = await t.call('ops', 'POST', '/v1/orders', orderBody('c-audit-bulk', [['SKU-00011', 1]]));
      const orderId = res.body.id as string;
      const events = Array.from({ length: 9_400 }, (_, k) => ({
        orderId, type: `test.bulk`, from: k % 2 ? 'allocated' : null, to: k % 3 ? null : 'held', actor: `tester-${k}`,
        reason: k === 7 ? `it's "quoted" \\ and ünïcode` : null,
        data: { k, nested: { list: [k, 'x'] } },
        ...(k === 9 ? { dataJson: '{"pre":"serialised","n":[1,2]}' } : {}),
      }));
      await t.app.database.transaction((trx) => t.app.orders.insertEvents(trx, events));
      const rows = (await sql<any>`select from_status, to_status, actor, reason, data from order_events where order_id = ${orderId} and type = 'test.bulk' order by id`.execute(db)).rows;
      expect(rows).toHaveLength(9_400); // more than the 65,535 parameters of one statement at 7 a row
      const by = new Map(rows.map((r) => [r.actor, r]));
      expect(by.get('tester-7')).toMatchObject({ from_status: 'allocated', to_status: null, reason: `it's "quoted" \\ and ünïcode`, data: { k: 7, nested: { list: [7, 'x'] } } });
      expect(by.get('tester-9')!.data).toEqual({ pre: 'serialised', n: [1, 2] });
      expect(by.get('tester-1233')).toMatchObject({ from_status: 'allocated', to_status: 'held', data: { k: 1233 } });
      expect(by.get('tester-1000')).toMatchObject({ from_status: null, to_status: null, data: { k: 1000 } });
      expect(by.get('tester-1200')).toMatchObject({ from_status: null, to_status: 'held' });
      // a bad event fails the whole set: nothing half-written
      const bad = [...events.slice(0, 1_100).map((e) => ({ ...e, type: 'test.bulk2' })), { ...events[0]!, type: 'test.bulk2', dataJson: '{not json' }];
      await expect(t.app.database.transaction((trx) => t.app.orders.insertEvents(trx, bad))).rejects.toThrow();
      const n = (await sql<any>`select count(*)::int as n from order_events where order_id = ${orderId} and type = 'test.bulk2'`.execute(db)).rows[0].n;
      expect(n).toBe(0);
    });

    it('every balance equals its ledger and every reservation belongs to a live line', async () => {
      expect(await t.app.inventory.verify()).toEqual({ ok: true, problems: [] });
      expect(await t.app.orders.verify()).toEqual({ ok: true, problems: [] });
    });
  });
}
