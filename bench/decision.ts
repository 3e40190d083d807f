/**
 * Routing decisions with the real quote pipeline (carrier rating, promise calendar, landed cost) over the demo
 * network — what capture pays per order when the engine is on — beside the same orders under the simple
 * strategy. One core, in-process.  `npm run bench -- decision`  (BENCH_AVAILABILITY=0.85: share of location/SKU pairs in stock)
 */
import { DefaultAllocationStrategy, type AllocationCandidate, type AllocationRequest, type DemandLine } from '../src/domain/allocation/allocation.ts';
import { RoutingEngine, defaultCrossBorder } from '../src/modules/routing/routing.engine.ts';
import { SWITCHYARD_DEFAULT_PROFILE } from '../src/modules/routing/routing-profile.service.ts';
import { loadDefaultRateTables } from '../src/reference/carrier/index.ts';
import { loadDefaultGeoIndex } from '../src/reference/geo/index.ts';
import { DEMO_LOCATIONS } from '../src/seed.ts';
import { withLocationDefaults, type Location } from '../src/modules/locations/locations.service.ts';

let seed = 20261123;
/** share of (location, SKU) pairs with stock; BENCH_AVAILABILITY=1 gives every location everything, as capture's bench data does */
const AVAILABILITY = Number(process.env.BENCH_AVAILABILITY ?? 0.85);
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

export async function main() {
  const engine = new RoutingEngine({ rateTables: loadDefaultRateTables(), geo: loadDefaultGeoIndex(), crossBorder: defaultCrossBorder() });
  const locations: Location[] = DEMO_LOCATIONS.map((l, i) => withLocationDefaults(`loc-${i}`, l));
  const zips = ['10001', '94105', '60607', '75201', '30318', '98101', '02110', '33101', '80202', '85004'];
  const hs = ['610910', '847130', '851713'];
  const requests: AllocationRequest[] = Array.from({ length: 2000 }, (_, i) => {
    const n = 1 + (i % 5);
    const lines: DemandLine[] = Array.from({ length: n }, (_, k) => ({
      lineId: `l${k}`, skuId: `s${Math.floor(rnd() * 1000)}`, qty: 1 + (k % 2), unitWeightGrams: 100 + Math.floor(rnd() * 4900), unitValueMinor: 500 + Math.floor(rnd() * 9000),
      hazmat: false, lengthMm: 300, widthMm: 200, heightMm: 100, hsCode: hs[k % 3]!, countryOfOrigin: 'CN',
    }));
    const candidates: AllocationCandidate[] = locations.map((l) => ({ locationId: l.id, code: l.code, priority: l.priority, available: new Map(lines.map((x) => [x.skuId, rnd() < AVAILABILITY ? 50 : 0])) }));
    return {
      order: { orderId: `o${i}`, channelId: 'c', channelCode: 'web', destination: { country: 'US', postcode: zips[i % zips.length]! }, serviceLevel: i % 7 === 0 ? 'express' : 'standard', currency: 'USD', orderValueMinor: 10000, tags: [], placedAt: '2026-11-23T15:00:00Z' },
      lines,
      candidates,
    };
  });
  const env = { locations, now: new Date('2026-11-23T15:00:00Z'), capacityLeft: new Map<string, number>(), profiles: [SWITCHYARD_DEFAULT_PROFILE] };
  const simple = new DefaultAllocationStrategy();
  const rows: Array<Record<string, string | number>> = [];
  const measure = (name: string, fn: (r: AllocationRequest) => unknown) => {
    // warm-up: the JIT settles after a few thousand decisions (a server is long-running; the first 300 alone ran ~2.5x slower)
    for (let i = 0; i < 4000; i++) fn(requests[i % requests.length]!);
    const lat: number[] = [];
    const t0 = performance.now();
    for (const r of requests) {
      const s = performance.now();
      fn(r);
      lat.push(performance.now() - s);
    }
    const total = performance.now() - t0;
    lat.sort((a, b) => a - b);
    rows.push({ case: name, 'decisions/s': Math.round(requests.length / (total / 1000)), 'p50 µs': Math.round(lat[Math.floor(lat.length * 0.5)]! * 1000), 'p99 µs': Math.round(lat[Math.floor(lat.length * 0.99)]! * 1000) });
  };
  measure('simple strategy (priority)', (r) => simple.allocate(r));
  measure('routing engine, real quotes (1–5 lines, 10 locations)', (r) => engine.decide({ ...env, capacityLeft: new Map() }, r));
  if (process.env.SLOW) {
    const timed = requests.map((r) => { const s = performance.now(); const d = engine.decide({ ...env, capacityLeft: new Map() }, r); return { ms: performance.now() - s, lines: r.lines.length, method: d.method, stats: d.stats, ship: d.shipments.length }; });
    console.log(timed.sort((a, b) => b.ms - a.ms).slice(0, 8));
  }
  console.log('\nrouting decisions with real carrier/promise/landed-cost quotes, one core');
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
