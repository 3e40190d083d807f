/**
 * Storefront promise quotes: `POST /v1/promise` (stock read + one routing decision per service level) under
 * autocannon, against PostgreSQL (BENCH_DATABASE_URL, default local) with the demo network and 1,000 SKUs.
 *   npm run bench -- promise
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createScratchDatabase } from '../src/platform/db/scratch-database.ts';
import { seedDemo } from '../src/seed.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

export async function main() {
  const db = await createScratchDatabase(ADMIN_URL, 'sy_bench_promise');
  try {
    const app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: db.url, runDispatcher: false }));
    await seedDemo(app, { skuCount: 1000 });
    const key = (await app.apiKeys.create({ name: 'bench', role: 'channel', channel: 'web' })).key;
    await app.close();
    const port = 18441;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'error', RUN_DISPATCHER: 'false' }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout!.on('data', (d) => /Switchyard on/.test(String(d)) && r()));
    const zips = ['10001', '94105', '60607', '75201', '30318', '98101', '02110', '33101', '80202', '85004'];
    let i = 0;
    const body = () => JSON.stringify({ channel: 'web', destination: { country: 'US', postcode: zips[i % zips.length] }, lines: [{ sku: `SKU-${String(1 + ((i++ * 7919) % 1000)).padStart(5, '0')}`, quantity: 1 }] });
    const run = (connections: number, duration: number) =>
      autocannon({ url: `http://127.0.0.1:${port}/v1/promise`, method: 'POST', connections, duration, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, requests: [{ setupRequest: (req: any) => ({ ...req, body: body() }) }] } as any);
    await run(8, 2);
    const rows = [];
    for (const c of [1, 16]) {
      const r = await run(c, SECONDS);
      rows.push({ connections: c, 'quotes/s': Math.round(r['2xx'] / SECONDS), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, errors: r.errors + r.non2xx });
    }
    await new Promise((r) => {
      child.once('exit', r);
      child.kill();
    });
    console.log('\nPOST /v1/promise — 3 service levels per quote, 1 SKU, 10 US destinations (PostgreSQL)');
    console.table(rows);
  } finally {
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
