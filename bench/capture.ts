/**
 * Capture benchmark: HTTP order capture under autocannon (64 connections) against PostgreSQL, realistic
 * orders (1–5 lines over 1,000 SKUs, 10 locations), beside a one-statement ceiling endpoint in the same run;
 * then a hot-SKU variant (every order on one SKU, demand above stock) against the single-row-lock ceiling,
 * and the same capture on PGlite.
 *
 *   npm run bench -- capture            (BENCH_DATABASE_URL or postgres://postgres:postgres@127.0.0.1:5432/postgres)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 npm run bench -- capture
 *   BENCH_ONLY=postgres | pglite | engine   (engine: simple vs routing servers, alternated BENCH_ROUNDS times (2), and their ratio)
 *   BENCH_CPU_PROF=/abs/dir                 (servers write V8 CPU profiles there, one per thread)
 * Server settings (ROUTING_WORKERS, CAPTURE_FLUSHERS, ...) pass through from the environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { seedDemo } from '../src/seed.ts';
import { createScratchDatabase } from '../src/platform/db/scratch-database.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

const freshDb = () => createScratchDatabase(ADMIN_URL, 'sy_bench');

function startProcess(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { env: { ...process.env, LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (/ready|Switchyard on/.test(out)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`process exited ${code}: ${out}`)));
  });
}

/** Peak resident set size of a process, MB (VmHWM). */
function peakRssMb(pid: number): number {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(s)![1]) / 1024);
}

let seq = 0;
/** Orders of 1–5 lines over the 1,000 demo SKUs (deterministic). */
function realisticOrder(hot: boolean) {
  const i = seq++;
  const n = hot ? 1 : 1 + (i % 5);
  const lines = Array.from({ length: n }, (_, k) => ({
    sku: hot ? 'SKU-00001' : `SKU-${String(1 + ((i * 7919 + k * 104729) % 1000)).padStart(5, '0')}`,
    quantity: hot ? 1 : 1 + ((i + k) % 2),
    unitPriceMinor: 1000 + ((i * 31 + k) % 9000),
  }));
  const zips = ['10001', '94105', '60607', '75201', '30318', '98101', '02110', '33101', '80202', '85004'];
  return {
    channel: 'web',
    externalId: `bench-${process.pid}-${i}`,
    customer: { name: `Customer ${i}`, email: `c${i}@example.com` },
    shippingAddress: { name: `Customer ${i}`, line1: `${i} Market St`, city: 'Somewhere', postcode: zips[i % zips.length], country: 'US' },
    currency: 'USD',
    serviceLevel: i % 7 === 0 ? 'express' : 'standard',
    lines,
  };
}

async function cannon(url: string, headers: Record<string, string>, body: () => unknown, connections = CONNECTIONS, seconds = SECONDS) {
  const res = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify(body()) }) }],
  } as any);
  const ok = res['2xx'];
  return {
    rps: Math.round(ok / seconds),
    p50: res.latency.p50,
    p99: res.latency.p99,
    errors: res.errors + res.non2xx,
    total: ok,
  };
}

async function warm(url: string, headers: Record<string, string>, body: () => unknown) {
  await cannon(url, headers, body, 16, 2);
}

export async function main() {
  const rows: Array<Record<string, string | number>> = [];
  const extra = process.argv.includes('--quick');
  const secs = extra ? 3 : SECONDS;
  void secs;

  // ---------- PostgreSQL ----------
  const only = process.env.BENCH_ONLY;
  if (only !== 'pglite') {
  const db = await freshDb();
  try {
    const app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: db.url, runDispatcher: false }));
    await seedDemo(app, { skuCount: 1000, locations: 10, unitsPerSkuLocation: 100_000, varied: false });
    const key = (await app.apiKeys.create({ name: 'bench', role: 'ops' })).key;
    // hot SKU: 500 units at each location, well below the run's demand, to prove nothing is oversold under contention
    await sql`update stock set on_hand = 500 where sku_id = (select id from skus where sku = 'SKU-00001')`.execute(app.database.db);
    await sql`update inventory_ledger set on_hand_delta = 500 where sku_id = (select id from skus where sku = 'SKU-00001')`.execute(app.database.db);
    await app.close();
    const auth = { authorization: `Bearer ${key}` };

    const runServer = async (port: number, allocation: 'routing' | 'simple', hot: boolean) => {
      const server = await startProcess(['src/cli.ts', 'serve'], { DATABASE_URL: db.url, DB_POOL_SIZE: '8', RUN_DISPATCHER: 'false', ALLOCATION: allocation }, port);
      const url = `http://127.0.0.1:${port}/v1/orders`;
      await warm(url, auth, () => realisticOrder(false));
      const r = await cannon(url, auth, () => realisticOrder(hot));
      const rss = peakRssMb(server.pid!);
      server.kill();
      await new Promise((res) => server.once('exit', res));
      return { ...r, rss };
    };
    if (only === 'engine') {
      // engine on vs off only, alternated so that drift on a shared VM hits both sides alike
      const pairs: Array<{ simple: number; routing: number }> = [];
      const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
      for (let r = 0; r < rounds; r++) {
        const simple = await runServer(18440 + 2 * r, 'simple', false);
        const routing = await runServer(18441 + 2 * r, 'routing', false);
        pairs.push({ simple: simple.rps, routing: routing.rps });
        rows.push({ engine: 'postgres', case: `round ${r + 1}: simple`, 'orders/s': simple.rps, 'p50 ms': simple.p50, 'p99 ms': simple.p99, errors: simple.errors, 'vs ceiling': '-', 'RSS MB': simple.rss });
        rows.push({ engine: 'postgres', case: `round ${r + 1}: routing engine`, 'orders/s': routing.rps, 'p50 ms': routing.p50, 'p99 ms': routing.p99, errors: routing.errors, 'vs ceiling': '-', 'RSS MB': routing.rss });
      }
      const s = pairs.reduce((a, p) => a + p.simple, 0);
      const r = pairs.reduce((a, p) => a + p.routing, 0);
      console.table(rows);
      const perRound = pairs.map((p) => p.routing / p.simple).sort((a, b) => a - b);
      const median = perRound.length % 2 ? perRound[(perRound.length - 1) / 2]! : (perRound[perRound.length / 2 - 1]! + perRound[perRound.length / 2]!) / 2;
      console.log(`routing engine vs simple allocation (${rounds} alternated rounds): ${(r / s).toFixed(2)} of the throughput; per round ${perRound.map((x) => x.toFixed(2)).join(', ')} (median ${median.toFixed(2)})`);
      return;
    }

    const ceilingPort = 18431;
    const ceiling = await startProcess(['bench/_ceiling-server.ts'], { DATABASE_URL: db.url, DB_POOL_SIZE: '16' }, ceilingPort);
    const cUrl = `http://127.0.0.1:${ceilingPort}/ceiling`;
    let k = 0;
    await warm(cUrl, {}, () => ({ sku: 1 + (k++ % 1000), qty: 1 }));
    const ceil = await cannon(cUrl, {}, () => ({ sku: 1 + (k++ % 1000), qty: 1 }));
    const ceilHot = await cannon(cUrl, {}, () => ({ sku: 1, qty: 1 }));
    ceiling.kill();

    const capSimple = await runServer(18432, 'simple', false);
    const cap = await runServer(18433, 'routing', false);
    const capHot = await runServer(18434, 'routing', true);
    const rss = Math.max(cap.rss, capSimple.rss, capHot.rss);
    const check = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: db.url, runDispatcher: false }));
    const hot = await sql<any>`select sum(on_hand)::int as on_hand, sum(reserved)::int as reserved from stock where sku_id = (select id from skus where sku = 'SKU-00001')`.execute(check.database.db);
    const negative = await sql<any>`select count(*)::int as n from stock where reserved > greatest(on_hand - safety_stock, 0) or on_hand < 0`.execute(check.database.db);
    const verify = await check.inventory.verify();
    await check.close();

    rows.push({ engine: 'postgres', case: 'ceiling: 1 statement/order, 1,000 SKUs', 'orders/s': ceil.rps, 'p50 ms': ceil.p50, 'p99 ms': ceil.p99, errors: ceil.errors, 'vs ceiling': '1.00', 'RSS MB': '-' });
    rows.push({ engine: 'postgres', case: 'capture, simple allocation: 1–5 lines, 1,000 SKUs, 10 locations', 'orders/s': capSimple.rps, 'p50 ms': capSimple.p50, 'p99 ms': capSimple.p99, errors: capSimple.errors, 'vs ceiling': (capSimple.rps / ceil.rps).toFixed(2), 'RSS MB': capSimple.rss });
    rows.push({ engine: 'postgres', case: 'capture, routing engine: same orders', 'orders/s': cap.rps, 'p50 ms': cap.p50, 'p99 ms': cap.p99, errors: cap.errors, 'vs ceiling': (cap.rps / ceil.rps).toFixed(2), 'RSS MB': cap.rss });
    rows.push({ engine: 'postgres', case: 'ceiling: 1 statement/order, one hot row', 'orders/s': ceilHot.rps, 'p50 ms': ceilHot.p50, 'p99 ms': ceilHot.p99, errors: ceilHot.errors, 'vs ceiling': '1.00', 'RSS MB': '-' });
    rows.push({ engine: 'postgres', case: 'capture, routing engine: every order on one SKU', 'orders/s': capHot.rps, 'p50 ms': capHot.p50, 'p99 ms': capHot.p99, errors: capHot.errors, 'vs ceiling': (capHot.rps / ceilHot.rps).toFixed(2), 'RSS MB': capHot.rss });
    console.log(`routing engine vs simple allocation: ${(cap.rps / capSimple.rps).toFixed(2)} of the throughput; peak server RSS ${rss} MB`);
    console.log(`hot SKU after the run: on hand ${hot.rows[0].on_hand}, reserved ${hot.rows[0].reserved}, oversold rows ${negative.rows[0].n}, ledger check ${verify.ok ? 'ok' : verify.problems.length + ' problems'}`);
  } finally {
    await db.drop();
  }
  }

  // ---------- PGlite ----------
  if (only !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
  try {
    const app = await createApp(loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl: null, dataDir: dir, runDispatcher: false }));
    await seedDemo(app, { skuCount: 1000, locations: 10, unitsPerSkuLocation: 100_000, varied: false });
    const key = (await app.apiKeys.create({ name: 'bench', role: 'ops' })).key;
    await app.close();
    const port = 18435;
    const server = await startProcess(['src/cli.ts', 'serve'], { DATABASE_URL: '', DATA_DIR: dir, RUN_DISPATCHER: 'false' }, port);
    const url = `http://127.0.0.1:${port}/v1/orders`;
    const auth = { authorization: `Bearer ${key}` };
    await warm(url, auth, () => realisticOrder(false));
    const cap = await cannon(url, auth, () => realisticOrder(false));
    rows.push({ engine: 'pglite', case: 'capture: 1–5 lines, 1,000 SKUs, 10 locations', 'orders/s': cap.rps, 'p50 ms': cap.p50, 'p99 ms': cap.p99, errors: cap.errors, 'vs ceiling': '-', 'RSS MB': peakRssMb(server.pid!) });
    server.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  }

  console.log(`\ncapture benchmark — ${CONNECTIONS} connections, ${SECONDS}s per case, ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
