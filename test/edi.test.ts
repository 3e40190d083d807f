import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp } from './support/engines.ts';

/** B2B purchase orders in: an X12 850 interchange posted to an EDI channel, answered with a 997. */
const SAMPLE = readFileSync('fixtures/edi/850.edi', 'utf8');
const ITEMS = ['AB3542', 'RD5322', 'XY5266', 'VX2332', 'RV0524', 'DX1875'];
const X12 = { 'content-type': 'application/edi-x12' };

for (const engine of ENGINES) {
  describe(`EDI 850 intake [${engine}]`, () => {
    let t: TestApp;
    let wholesaleKey = '';
    const orderCount = async () => (await sql<any>`select count(*)::int as n from orders`.execute(t.app.database.db)).rows[0].n as number;
    const post = (body: string, key: string | null = null, code = 'wholesale', headers: Record<string, string> = X12) =>
      t.server.inject({ method: 'POST', url: `/v1/channels/${code}/edi/850`, payload: body, headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : { authorization: `Bearer ${t.keys.ops}` }) } });

    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
      for (const sku of ITEMS) {
        expect((await t.call('ops', 'POST', '/v1/skus', { sku, name: `Widget ${sku}`, weightGrams: 400 })).status).toBe(201);
        expect((await t.call('ops', 'POST', '/v1/inventory/receipts', { sku, location: 'WH-NJ', qty: 1000 })).status).toBe(200);
      }
      wholesaleKey = (await t.app.apiKeys.create({ name: 'edi-partner', role: 'channel', channel: 'wholesale' })).key;
    });
    afterAll(async () => t?.close());

    it('captures the purchase order, answers with the 997, and a redelivered file captures nothing twice', async () => {
      const res = await post(SAMPLE, wholesaleKey);
      expect(res.statusCode).toBe(200);
      const body = JSON.parse(res.body);
      expect(body.purchaseOrders).toEqual([expect.objectContaining({ poNumber: '08292233294', result: 'created', status: 'allocated' })]);
      expect(body.interchangeControl).toBe('000003438');
      expect(body.acknowledgment).toContain('ST*997*0001~');
      expect(body.acknowledgment).toContain('AK2*850*000000010~\nAK5*A~');
      // the 855: every line reserved as ordered
      expect(body.purchaseOrderAcknowledgment).toContain('ST*855*0001~\nBAK*00*AD*08292233294*20101127~\nPO1*1*120*EA*9.25**VN*AB3542~\nACK*IA*120*EA~');
      expect(body.purchaseOrderAcknowledgment).not.toMatch(/ACK\*I[BR]/);
      const order = (await t.call('ops', 'GET', `/v1/orders/${body.purchaseOrders[0].orderId}`)).body;
      expect(order).toMatchObject({ channel: 'wholesale', externalId: '08292233294', requestedDeliveryDate: '2010-12-14' });
      expect(order.lines.map((l: any) => [l.sku, l.quantities.ordered, l.unitPriceMinor])).toEqual([
        ['AB3542', 120, 925], ['RD5322', 220, 1379], ['XY5266', 126, 1099], ['VX2332', 76, 435], ['RV0524', 72, 750], ['DX1875', 696, 955],
      ]);
      expect(order.totals.subtotalMinor).toBe(1304594); // AMT*1*13045.94
      const before = await orderCount();
      const again = JSON.parse((await post(SAMPLE, wholesaleKey)).body);
      expect(again.purchaseOrders[0]).toMatchObject({ result: 'repeat', orderId: body.purchaseOrders[0].orderId });
      expect(again.acknowledgment.replace(/\*\d{6}\*\d{4}\*U/, '').replace(/\*\d{8}\*\d{4}\*/, '')).toBe(body.acknowledgment.replace(/\*\d{6}\*\d{4}\*U/, '').replace(/\*\d{8}\*\d{4}\*/, ''));
      expect(await orderCount()).toBe(before);
    });

    it('acknowledges what cannot be reserved now as back-ordered in the 855', async () => {
      const available = (await t.call('ops', 'GET', '/v1/inventory/AB3542')).body.available as number;
      const file = SAMPLE.replace('08292233294', 'PO-SHORT-1').replace('PO1*1*120*EA', `PO1*1*${available + 40}*EA`);
      const body = JSON.parse((await post(file, wholesaleKey)).body);
      expect(body.purchaseOrders[0]).toMatchObject({ result: 'created', status: 'partially_allocated' });
      expect(body.purchaseOrderAcknowledgment).toContain(`BAK*00*AC*PO-SHORT-1`);
      expect(body.purchaseOrderAcknowledgment).toContain(`PO1*1*${available + 40}*EA*9.25**VN*AB3542~\nACK*IA*${available}*EA~\nACK*IB*40*EA~`);
    });

    it('refuses a broken interchange or another transaction set whole, with the problem, capturing nothing', async () => {
      const before = await orderCount();
      const broken = await post(SAMPLE.replace('BEG*00*SA*08292233294', 'BEG*00*SA*PO-BROKEN-1').replace('SE*33*', 'SE*34*'));
      expect(broken.statusCode).toBe(400);
      expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(broken.body)).toMatchObject({ code: 'invalid_x12', field: 'body' });
      expect(JSON.parse(broken.body).detail).toContain('SE01');
      const other = await post(readFileSync('fixtures/edi/855.edi', 'utf8'));
      expect(JSON.parse(other.body)).toMatchObject({ code: 'unsupported_transaction_set' });
      const json = await post(JSON.stringify({ po: 1 }), null, 'wholesale', { 'content-type': 'application/json' });
      expect(json.statusCode).toBe(400);
      expect(await orderCount()).toBe(before);
    });

    it('is for EDI channels only, and a channel key acts for its own channel only', async () => {
      expect((await post(SAMPLE, null, 'web')).statusCode).toBe(404);
      const webKey = await post(SAMPLE.replace('08292233294', 'PO-OTHER-KEY'), t.keys.channel);
      expect(webKey.statusCode).toBe(403);
      expect(JSON.parse(webKey.body).code).toBe('forbidden');
      const viewer = await post(SAMPLE, t.keys.viewer);
      expect(viewer.statusCode).toBe(403);
      expect((await t.server.inject({ method: 'POST', url: '/v1/channels/wholesale/edi/850', payload: SAMPLE, headers: X12 })).statusCode).toBe(401);
    });

    it('quarantines a purchase order naming an unknown item, captures it on replay once the item exists', async () => {
      const file = SAMPLE.replace('08292233294', 'PO-NEW-ITEM-7').replace('*VN*AB3542', '*VN*NEW-WIDGET-9');
      const res = JSON.parse((await post(file, wholesaleKey)).body);
      expect(res.purchaseOrders).toEqual([expect.objectContaining({ poNumber: 'PO-NEW-ITEM-7', result: 'quarantined', code: 'unknown_sku', field: 'lines/0/sku' })]);
      expect(res.acknowledgment).toContain('AK5*A'); // the file was well formed: the partner gets its 997
      const q = res.purchaseOrders[0].quarantineId;
      const entry = (await t.call('ops', 'GET', '/v1/quarantine?open=true')).body.items.find((x: any) => x.id === q);
      expect(entry).toMatchObject({ channel: 'wholesale', source: 'x12-850', externalRef: 'PO-NEW-ITEM-7' });
      expect((await t.call('ops', 'POST', `/v1/quarantine/${q}/replay`)).status).toBe(422);
      await t.call('ops', 'POST', '/v1/skus', { sku: 'NEW-WIDGET-9', name: 'New widget' });
      await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'NEW-WIDGET-9', location: 'WH-NJ', qty: 500 });
      const replay = await t.call('ops', 'POST', `/v1/quarantine/${q}/replay`);
      expect(replay.status).toBe(201);
      const order = (await t.call('ops', 'GET', `/v1/orders/${replay.body.orderId}`)).body;
      expect(order).toMatchObject({ channel: 'wholesale', externalId: 'PO-NEW-ITEM-7' });
      expect(order.lines[0]).toMatchObject({ sku: 'NEW-WIDGET-9', unitPriceMinor: 925 });
      // the partner corrects the item and sends the file again: captured, and the quarantined entry is settled
      const wrong = SAMPLE.replace('08292233294', 'PO-NEW-ITEM-8').replace('*VN*AB3542', '*VN*NO-SUCH-ITEM');
      const held = JSON.parse((await post(wrong, wholesaleKey)).body).purchaseOrders[0];
      expect(held.result).toBe('quarantined');
      const fixed = JSON.parse((await post(wrong.replace('NO-SUCH-ITEM', 'NEW-WIDGET-9'), wholesaleKey)).body).purchaseOrders[0];
      expect(fixed.result).toBe('created');
      expect((await t.call('ops', 'GET', '/v1/quarantine?open=true')).body.items.some((x: any) => x.id === held.quarantineId)).toBe(false);
    });
  });
}
