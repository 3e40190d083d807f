/**
 * What the routing ops tools cost on a database with history: `GET /v1/routing/stats` over a day of orders,
 * `POST /v1/routing/simulate` replaying 200, 2,000 and 5,000 recent orders (each routed twice), and the other
 * reports over the same history (`GET /v1/planning/stock-cover`, `GET /v1/network/status`), on PostgreSQL.
 *   npm run bench -- routing-ops            (BENCH_DATABASE_URL or postgres://postgres:postgres@127.0.0.1:5432/postgres)
 *   BENCH_ORDERS=20000 npm run bench -- routing-ops
 * Orders of 1–5 lines over 1,000 SKUs and 10 locations, to 10 US destinations, captured through the capture workflow.
 */
import { cpus, totalmem } from 'node:os';
import { createApp } from '../src/app.ts';
import { buildServer } from '../src/http/server.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createScratchDatabase } from '../src/platform/db/scratch-database.ts';
import { seedDemo } from '../src/seed.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const ZIPS = ['10001', '94105', '60607', '75201', '30318', '98101', '02110', '33101', '80202', '85004'];

export async function main(): Promise<void> {
  const db = await createScratchDatabase(ADMIN_URL, 'sy_bench_ops');
  try {
    const app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: db.url, runDispatcher: false, routingWorkers: 0 }));
    await seedDemo(app, { skuCount: 1000, locations: 10, unitsPerSkuLocation: 100_000, varied: false });
    const key = (await app.apiKeys.create({ name: 'bench', role: 'ops' })).key;
    const server = await buildServer(app);
    await server.ready();
    const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const res = await server.inject({ method, url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { payload: JSON.stringify(body) } : {}) });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body);
    };
    // history: captured 200 at a time through the capture workflow (group commit, routing engine on)
    const ctx = { principal: { role: 'ops', keyId: 'bench' }, actor: 'bench' } as any;
    for (let done = 0; done < ORDERS; done += 200) {
      await Promise.all(Array.from({ length: Math.min(200, ORDERS - done) }, (_, j) => {
        const i = done + j;
        const n = 1 + (i % 5);
        return app.capture.capture(ctx, {
          channel: 'web', externalId: `ops-${i}`, currency: 'USD',
          shippingAddress: { name: 'A', line1: '1 Main St', city: 'X', postcode: ZIPS[i % ZIPS.length]!, country: 'US' },
          lines: Array.from({ length: n }, (_, k) => ({ sku: `SKU-${String(1 + ((i * 7919 + k * 104729) % 1000)).padStart(5, '0')}`, quantity: 1 + ((i + k) % 2), unitPriceMinor: 1000 + ((i * 31 + k) % 9000) })),
        } as any);
      }));
    }
    const rows: Array<Record<string, string | number>> = [];
    const time = async (name: string, fn: () => Promise<unknown>, orders: number) => {
      await fn(); // warm
      const runs: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        await fn();
        runs.push(performance.now() - t0);
      }
      runs.sort((a, b) => a - b);
      rows.push({ case: name, orders, 'median ms': Math.round(runs[1]!), 'min ms': Math.round(runs[0]!), 'orders/s': Math.round((orders / runs[1]!) * 1000) });
    };
    await time(`stats, last 24 h`, () => call('GET', '/v1/routing/stats'), ORDERS);
    const draft = { id: 'no-stores', name: 'No stores', priority: 5, constraints: { excludedLocationTypes: ['store'] } };
    for (const limit of [200, 2000, 5000]) await time(`simulate, ${limit} recent orders (2 decisions each)`, () => call('POST', '/v1/routing/simulate', { profile: draft, orders: { limit } }), Math.min(limit, ORDERS));
    await time('stock cover, 28 days, every SKU with demand', () => call('GET', '/v1/planning/stock-cover?all=true'), ORDERS);
    await time('network status (10 locations)', () => call('GET', '/v1/network/status'), ORDERS);
    await server.close();
    await app.close();
    console.log(`\nrouting ops tools — ${ORDERS} orders of history, ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.table(rows);
  } finally {
    await db.drop();
  }
}
