import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { seedDemo } from '../src/seed.ts';
import { signShopify } from '../src/adapters/channels/shopify/shopify.adapter.ts';
import { HAS_POSTGRES, freshPostgresDatabase } from './support/engines.ts';
import { postJson, startServerProcess, type ServerProcess } from './support/process.ts';

/** Several Switchyard OS processes on one PostgreSQL (a PGlite data directory belongs to one process). */
describe.skipIf(!HAS_POSTGRES)('several processes on one PostgreSQL', () => {
  let app: App;
  let drop: () => Promise<void>;
  let url: string;
  let procs: ServerProcess[] = [];
  let key = '';
  let secret = '';
  beforeAll(async () => {
    const fresh = await freshPostgresDatabase();
    url = fresh.url;
    drop = fresh.drop;
    app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: url, runDispatcher: false }));
    await seedDemo(app, { skuCount: 20 });
    key = (await app.apiKeys.create({ name: 'mp-ops', role: 'ops' })).key;
    // the Shopify channel's secret, for signing webhooks
    secret = (await app.channels.rotateSecret('web')).webhookSecret;
    procs = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: url, DB_POOL_SIZE: '6' })));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    await app?.close();
    await drop?.();
  });

  it('1,200 concurrent orders racing for a hot SKU over 3 processes: exactly the stock is reserved, the rest back-ordered', async () => {
    const before = await app.inventory.availability('SKU-00001');
    const stock = before.available;
    const demand = 1200;
    expect(stock).toBeLessThan(demand);
    const results = await Promise.all(
      Array.from({ length: demand }, (_, i) =>
        postJson(`${procs[i % procs.length]!.url}/v1/orders`, {
          channel: 'web', externalId: `hot-${i}`, currency: 'USD',
          shippingAddress: { line1: '1 Hot St', city: 'Newark', postcode: '07102', country: 'US' },
          lines: [{ sku: 'SKU-00001', quantity: 1, unitPriceMinor: 1000 }],
        }, { authorization: `Bearer ${key}` }),
      ),
    );
    expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    const reservedUnits = results.reduce((a, r) => a + r.body.lines[0].quantities.reserved, 0);
    const backordered = results.reduce((a, r) => a + r.body.lines[0].quantities.backordered, 0);
    expect(reservedUnits).toBe(stock);
    expect(backordered).toBe(demand - stock);
    const after = await app.inventory.availability('SKU-00001');
    expect(after.available).toBe(0);
    expect(after.reserved).toBe((before.reserved ?? 0) + stock);
    const neg = await sql<any>`select count(*)::int as n from stock where on_hand < 0 or reserved < 0 or reserved > greatest(on_hand - safety_stock, 0)`.execute(app.database.db);
    expect(neg.rows[0].n).toBe(0);
    expect((await app.inventory.verify()).problems).toEqual([]);
    expect((await app.orders.verify()).problems).toEqual([]);
  }, 120_000);

  it('the same Shopify webhook delivered 10 times concurrently (to 3 processes) creates one order', async () => {
    const order = JSON.parse(readFileSync('fixtures/channels/shopify/order.json', 'utf8')).order;
    order.id = 987654321;
    order.line_items = [{ ...order.line_items[0], sku: 'SKU-00004', quantity: 2, price: '19.99', total_discount: '0.00' }];
    const body = JSON.stringify(order);
    const headers = { 'x-shopify-hmac-sha256': signShopify(body, secret), 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': 'wh-dup-1' };
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => postJson(`${procs[i % procs.length]!.url}/v1/channels/web/webhooks/shopify`, body, headers)));
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(res.map((r) => r.body.orderId)).size).toBe(1);
    const n = await sql<any>`select count(*)::int as n from orders where external_id = '987654321'`.execute(app.database.db);
    expect(n.rows[0].n).toBe(1);
    const reserved = await sql<any>`select coalesce(sum(qty), 0)::int as q from reservations where order_id = ${res[0]!.body.orderId} and status = 'active'`.execute(app.database.db);
    expect(reserved.rows[0].q).toBe(2);
  }, 60_000);
});
