import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { OrderAllocation, OrderDemand } from '../src/workflows/allocate.step.ts';
import { allocateAll, StockPool } from '../src/workflows/allocate.step.ts';
import { AllocateWorkers, viaWorkers } from '../src/workflows/allocate-workers.ts';
import { RoutingEngine, type StrategyEnv } from '../src/modules/routing/routing.engine.ts';
import { loadRoutingReference } from '../src/modules/routing/routing.reference.ts';
import { SWITCHYARD_DEFAULT_PROFILE } from '../src/modules/routing/routing-profile.service.ts';
import { withLocationDefaults } from '../src/modules/locations/locations.service.ts';
import type { Channel } from '../src/modules/channels/channels.service.ts';
import type { StockRow } from '../src/modules/inventory/inventory.service.ts';
import { defineProfile } from '../src/domain/routing/index.ts';
import { DEMO_LOCATIONS } from '../src/seed.ts';
import { ENGINES, orderBody, startTestApp } from './support/engines.ts';

/**
 * Capture routes its batches in a worker thread (ROUTING_WORKERS, on by default, so every capture test runs
 * through it). Here: the worker's allocation is exactly the main thread's, capacity comes back, changed
 * profiles reach the worker, and a failing worker never fails a capture.
 */

const NOW = new Date('2026-11-23T15:30:00Z');
const locations = DEMO_LOCATIONS.map((l, i) => withLocationDefaults(`00000000-0000-7000-8000-0000000000${String(i).padStart(2, '0')}`, l));
const channel: Channel = { id: 'ch-web', code: 'web', name: 'Web', kind: 'shopify', buffer: 0, active: true, locationIds: locations.map((l) => l.id), locations: locations.map((l) => l.code), protections: [] };

/** A seeded batch: orders of 1–5 lines (one hazmat SKU, one kit), US and foreign destinations, patchy stock. */
function batch(seed: number, orders: number) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const skus = Array.from({ length: 40 }, (_, k) => `sku-${k}`);
  const stock: StockRow[] = [];
  for (const sku of skus) for (const l of locations) if (rnd() < 0.6) stock.push({ skuId: sku, locationId: l.id, onHand: Math.floor(rnd() * 6), reserved: 0, safetyStock: 0 });
  const dests = [{ country: 'US', postcode: '10001' }, { country: 'US', postcode: '94105' }, { country: 'DE', postcode: '10115' }, { country: 'GB', postcode: 'SW1A 1AA' }];
  const demands: OrderDemand[] = Array.from({ length: orders }, (_, i) => {
    const n = 1 + (i % 5);
    const lines = Array.from({ length: n }, (_, k) => ({
      lineId: `o${i}-l${k}`, skuId: skus[Math.floor(rnd() * skus.length)]!, qty: 1 + Math.floor(rnd() * 3), unitWeightGrams: 100 + Math.floor(rnd() * 3000),
      unitValueMinor: 500 + Math.floor(rnd() * 20000), hazmat: k === 0 && i % 9 === 0, lengthMm: 200, widthMm: 150, heightMm: 100, hsCode: ['610910', '847130', '851713'][k % 3]!, countryOfOrigin: 'CN',
    }));
    return {
      order: {
        orderId: `order-${i}`, channelId: channel.id, channelCode: 'web', destination: dests[i % dests.length]!, serviceLevel: i % 4 === 0 ? 'express' : 'standard',
        currency: 'USD', orderValueMinor: lines.reduce((a, l) => a + l.qty * l.unitValueMinor, 0), tags: i % 6 === 0 ? ['vip'] : [], placedAt: NOW.toISOString(),
      },
      lines,
      kits: i % 7 === 0 && n >= 2 ? [{ components: [{ lineId: lines[0]!.lineId, perKit: 1 }, { lineId: lines[1]!.lineId, perKit: 1 }] }] : [],
    };
  });
  // another channel's protected units: this channel may not take those SKUs below them
  const protections = [{ skuId: 'sku-1', channelId: 'ch-other', qty: 4 }, { skuId: 'sku-2', channelId: 'ch-other', qty: 1 }];
  return { stock, demands, protections };
}

const env = (profiles = [SWITCHYARD_DEFAULT_PROFILE]): StrategyEnv => ({
  locations, now: NOW, capacityLeft: new Map(locations.filter((l) => l.dailyCapacity !== null).map((l) => [l.id, 3])), profiles,
});

/** What a batch allocation says, comparable across threads (decisions as stored: parsed JSON). */
const comparable = (m: Map<string, OrderAllocation>) =>
  [...m].map(([id, a]) => ({ id, assignments: a.assignments, hold: a.hold, decision: a.decisionJson !== undefined ? JSON.parse(a.decisionJson) : JSON.parse(JSON.stringify(a.decision)) }));

describe('routing workers', () => {
  const workers = new AllocateWorkers(2, { rateCardPath: null });
  const engine = new RoutingEngine(loadRoutingReference(null));
  afterAll(() => workers.close());

  it('allocate a batch exactly as the main thread does, capacity included', async () => {
    for (const seed of [1, 2, 3]) {
      const { stock, demands, protections } = batch(seed, 60);
      const inlineEnv = env();
      const inline = allocateAll(new StockPool(stock, protections, locations), engine.strategy(inlineEnv), demands, new Map([[channel.id, channel]]));
      const workerEnv = env();
      const viaWorker = await workers.allocate(new StockPool(stock, protections, locations), workerEnv, demands, new Map([[channel.id, channel]]));
      expect(comparable(viaWorker)).toEqual(comparable(inline));
      expect([...workerEnv.capacityLeft]).toEqual([...inlineEnv.capacityLeft]);
      // the batch was not trivial: some orders split, some short, capacity ran out somewhere
      const all = [...inline.values()];
      expect(all.some((a) => new Set(a.assignments.map((x) => x.locationId)).size > 1)).toBe(true);
      expect(all.some((a) => (a.decision as { outcome: string }).outcome !== 'routed')).toBe(true);
      expect([...inlineEnv.capacityLeft.values()].some((v) => v <= 0)).toBe(true);
    }
  });

  it('use changed profiles and network from the next batch', async () => {
    const { stock, demands } = batch(4, 20);
    const held = defineProfile({ id: 'hold-all', name: 'Hold everything', priority: 1, constraints: { requiredLocationTags: ['no-such-tag'] }, whenNothingFits: 'hold' });
    const first = await workers.allocate(new StockPool(stock, [], locations), env(), demands, new Map([[channel.id, channel]]));
    expect([...first.values()].some((a) => a.assignments.length > 0)).toBe(true);
    const second = await workers.allocate(new StockPool(stock, [], locations), env([held, SWITCHYARD_DEFAULT_PROFILE]), demands, new Map([[channel.id, channel]]));
    expect([...second.values()].every((a) => a.assignments.length === 0 && a.hold === 'routing:hold-all')).toBe(true);
    const fewer = locations.slice(0, 3);
    const third = await workers.allocate(new StockPool(stock, [], fewer), { ...env(), locations: fewer }, demands, new Map([[channel.id, channel]]));
    for (const a of third.values()) for (const x of a.assignments) expect(fewer.map((l) => l.id)).toContain(x.locationId);
  });

  it('a failing worker falls back to the main thread: same allocation, nothing lost', async () => {
    const failing = new AllocateWorkers(1, { rateCardPath: null }, new URL('./fixtures/failing-allocate.worker.ts', import.meta.url), 1_500);
    try {
      const failures: unknown[] = [];
      for (const size of [5, 1, 2, 5]) {
        // 5 orders: the worker answers with an error; 1: it dies; 2: it never answers (timed out and replaced)
        const { stock, demands } = batch(10 + size, size);
        const e = env();
        const strategy = engine.strategy(e);
        const got = await viaWorkers(failing, e, strategy, (err) => failures.push(err))(new StockPool(stock, [], locations), demands, new Map([[channel.id, channel]]));
        const expected = allocateAll(new StockPool(stock, [], locations), engine.strategy(env()), demands, new Map([[channel.id, channel]]));
        expect(comparable(got)).toEqual(comparable(expected));
      }
      expect(failures.map((f) => String(f))).toEqual([
        expect.stringContaining('simulated failure'),
        expect.stringContaining('exited with code 3'),
        expect.stringContaining('did not answer within 1500 ms'),
        expect.stringContaining('simulated failure'),
      ]);
    } finally {
      await failing.close();
    }
  });
});

describe.each(ENGINES)('capture through a routing worker (%s)', (engine) => {
  it('stores the decision the worker made with the order', async () => {
    const t = await startTestApp(engine, { config: { routingWorkers: 1 } });
    try {
      const created = await Promise.all(Array.from({ length: 12 }, (_, i) => t.call('channel', 'POST', '/v1/orders', orderBody(`w-${i}`, [['SKU-00003', 1], ['SKU-00005', 2]]))));
      for (const c of created) {
        expect(c.status).toBe(201);
        const r = await t.call('ops', 'GET', `/v1/orders/${c.body.id}/routing`);
        expect(r.status).toBe(200);
        const d = r.body.decisions[0];
        expect(d.outcome).toBe('routed');
        expect(d.candidates.length).toBeGreaterThan(0);
        const reserved = c.body.reservations.map((x: { location: string; qty: number }) => `${x.location}:${x.qty}`).sort();
        const shipped = d.shipments.flatMap((s: { code: string; lines: Array<{ qty: number }> }) => s.lines.map((l) => `${s.code}:${l.qty}`)).sort();
        expect(shipped).toEqual(reserved);
      }
      expect(t.app.routingWorkers!.batches).toBeGreaterThan(0);
      // decisions are stored uncompressed (compressing one per order cost PostgreSQL more than it saved)
      const storage = await sql<{ s: string }>`select attstorage as s from pg_attribute where attrelid = 'order_events'::regclass and attname = 'data'`.execute(t.app.database.db);
      expect(storage.rows[0]!.s).toBe('e');
      const compressed = await sql<{ n: number }>`select count(*)::int as n from order_events where pg_column_compression(data) is not null`.execute(t.app.database.db);
      expect(compressed.rows[0]!.n).toBe(0);
    } finally {
      await t.close();
    }
  });
});
