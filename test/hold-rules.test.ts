import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';

/** Hold rules: ops policy as data that puts matching captured orders on hold, stock still reserved. */
for (const engine of ENGINES) {
  describe(`hold rules [${engine}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 10 } });
    });
    afterAll(async () => t?.close());

    const rule = {
      id: 'big-first', name: 'Large first orders', priority: 10, reason: 'review large first orders',
      conditions: { and: [{ in: ['new-customer', { var: 'tags' }] }, { '>': [{ var: 'orderValueMinor' }, 2500] }] },
    };

    it('holds a captured order the rule matches, with the rule and its version in the audit trail; its stock stays reserved', async () => {
      const saved = await t.call('ops', 'POST', '/v1/hold-rules', rule);
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ id: 'big-first', version: 1, active: true });
      const held = await t.call('channel', 'POST', '/v1/orders', orderBody('hold-1', [['SKU-00002', 2]], { tags: ['new-customer'] }));
      expect(held.status).toBe(201);
      expect(held.body.status).toBe('on_hold');
      expect(held.body.reservations.filter((r: { status: string }) => r.status === 'active').reduce((a: number, r: { qty: number }) => a + r.qty, 0)).toBe(2);
      const o = (await t.call('ops', 'GET', `/v1/orders/${held.body.id}`)).body;
      const ev = o.timeline.find((e: { type: string }) => e.type === 'order.held');
      expect(ev).toMatchObject({ reason: 'hold_rule:big-first: review large first orders', data: { rule: { id: 'big-first', version: 1 } } });
      // not new, or small: not held
      expect((await t.call('channel', 'POST', '/v1/orders', orderBody('hold-2', [['SKU-00002', 2]]))).body.status).toBe('allocated');
      expect((await t.call('channel', 'POST', '/v1/orders', orderBody('hold-3', [['SKU-00002', 1]], { tags: ['new-customer'] }))).body.status).toBe('allocated');
      // the same order delivered again is the same order, still held once
      const again = await t.call('channel', 'POST', '/v1/orders', orderBody('hold-1', [['SKU-00002', 2]], { tags: ['new-customer'] }));
      expect(again.body.id).toBe(held.body.id);
      expect((await t.call('ops', 'GET', `/v1/orders/${held.body.id}`)).body.timeline.filter((e: { type: string }) => e.type === 'order.held')).toHaveLength(1);
      // ops look, then release it: it goes on as allocated
      const released = await t.call('ops', 'POST', `/v1/orders/${held.body.id}/release-hold`, { reason: 'customer verified' });
      expect(released.body.status).toBe('allocated');
    });

    it('a new version takes effect at once: switched off, it holds nothing; the history lists both', async () => {
      expect((await t.call('ops', 'POST', '/v1/hold-rules', { ...rule, active: false })).body.version).toBe(2);
      expect((await t.call('channel', 'POST', '/v1/orders', orderBody('hold-4', [['SKU-00003', 2]], { tags: ['new-customer'] }))).body.status).toBe('allocated');
      const h = await t.call('viewer', 'GET', '/v1/hold-rules/big-first');
      expect(h.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(h.body.items[0].changes).toEqual([{ path: 'active', from: true, to: false }]);
      expect(h.body.items[1].changes).toBeNull();
      expect((await t.call('viewer', 'GET', '/v1/hold-rules')).body.items).toEqual([expect.objectContaining({ id: 'big-first', version: 2, active: false })]);
      expect((await t.call('viewer', 'GET', '/v1/hold-rules/nope')).status).toBe(404);
    });

    it('refuses a rule that would hold every order, an unknown fact or a bad id, naming the setting; nothing saved', async () => {
      const before = await tableCounts(t.app);
      const rules = (await t.call('viewer', 'GET', '/v1/hold-rules')).body.items.length;
      const cases: Array<[Record<string, unknown>, number, string | null]> = [
        [{ ...rule, id: 'all', conditions: true }, 422, 'conditions'],
        [{ ...rule, id: 'colour', conditions: { '==': [{ var: 'colour' }, 'red'] } }, 422, 'conditions'],
        [{ ...rule, id: 'Has Spaces' }, 422, 'id'],
        [{ ...rule, id: 'no-reason', reason: '' }, 400, null],
        [{ ...rule, id: 'extra', extra: 1 }, 400, null],
      ];
      for (const [body, status, field] of cases) {
        const r = await t.call('ops', 'POST', '/v1/hold-rules', body);
        expect(r.status, JSON.stringify(body)).toBe(status);
        if (field) expect(r.body).toMatchObject({ code: 'invalid_hold_rule', field });
      }
      expect((await t.call('viewer', 'GET', '/v1/hold-rules')).body.items.length).toBe(rules);
      expect(await tableCounts(t.app)).toEqual(before);
    });
  });
}
