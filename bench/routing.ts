/**
 * Routing optimiser benchmark: decisions per second and latency on deterministic random instances.
 *   node --import tsx bench/routing.ts
 * Rows: 10 lines x 20 candidate locations (the target: >= 20,000 decisions/s on one core), 5 lines x 6
 * locations (small: exact search), and the closest-with-stock baseline on the large instances for comparison,
 * plus the optimiser's saving over that baseline. Self-contained: its own seeded PRNG, instance generator and
 * synthetic quote (weight breaks x distance zone, duty on cross-border shipments).
 */
import { pathToFileURL } from 'node:url';
import {
  compareCodeThenId,
  defineProfile,
  route,
  routeClosestWithStock,
  type CandidateLocation,
  type LocationType,
  type QuoteShipment,
  type RoutingDecision,
  type RoutingInput,
  type RoutingLine,
  type RoutingOrder,
  type RoutingProfile,
  type SearchLevel,
} from '../src/domain/routing/index.ts';

/** mulberry32: small, fast, deterministic */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROFILES: RoutingProfile[] = [
  defineProfile({
    id: 'express',
    name: 'Express: fast and few splits',
    priority: 10,
    conditions: { in: [{ var: 'serviceLevel' }, ['express', 'next_day']] },
    constraints: { maxSplits: 2 },
    weights: { lateness: 2 },
    penalties: { splitMinor: 800, latenessPerDayMinor: { express: 600, next_day: 1200 }, distanceBands: [] },
  }),
  defineProfile({
    id: 'vip-secure',
    name: 'VIP high value from secure sites',
    priority: 20,
    conditions: { and: [{ in: ['vip', { var: 'tags' }] }, { '>': [{ var: 'orderValueMinor' }, 50_000] }] },
    constraints: { highValueThresholdMinor: 50_000, maxSplits: 3 },
  }),
  defineProfile({
    id: 'standard',
    name: 'Standard: cost with distance bands',
    priority: 30,
    conditions: { '==': [{ var: 'serviceLevel' }, 'standard'] },
    constraints: { maxSplits: 3, allowLineSplit: true },
    penalties: {
      splitMinor: 400,
      latenessPerDayMinor: { '*': 150 },
      distanceBands: [
        { maxKm: 300, penaltyMinor: 0 },
        { maxKm: 1000, penaltyMinor: 120 },
        { maxKm: 3000, penaltyMinor: 300 },
      ],
    },
    preferences: { locationTypePenaltyMinor: { store: 150, dropship: 250 }, locationPriorityStepMinor: 5 },
  }),
];

const TYPES: LocationType[] = ['warehouse', 'warehouse', 'warehouse', 'store', 'store', '3pl', 'dropship', 'factory_fc'];
const SERVICE = ['standard', 'standard', 'standard', 'express', 'next_day'];

interface Case {
  input: RoutingInput;
}

/** A synthetic rate shop: zone by distance, weight breaks per zone, transit by zone, duty when cross-border. */
function syntheticQuote(order: RoutingOrder, cands: readonly CandidateLocation[]): QuoteShipment {
  const lineById = new Map<string, RoutingLine>(order.lines.map((l) => [l.lineId, l]));
  const locById = new Map(cands.map((c) => [c.locationId, c]));
  const promisedDays = order.serviceLevel === 'next_day' ? 1 : order.serviceLevel === 'express' ? 2 : 5;
  return (locationId, lines) => {
    const loc = locById.get(locationId)!;
    const km = loc.distanceKm ?? 5000;
    const zone = km <= 300 ? 1 : km <= 800 ? 2 : km <= 1500 ? 3 : km <= 3000 ? 4 : 5;
    let grams = 0;
    let value = 0;
    for (const l of lines) {
      const line = lineById.get(l.lineId)!;
      grams += line.unitWeightGrams * l.qty;
      value += line.unitValueMinor * l.qty;
    }
    if (grams > 70_000) return null; // parcel limit
    const kg = Math.ceil(grams / 1000);
    const breakRate = kg <= 1 ? 0 : kg <= 5 ? 120 : kg <= 20 ? 90 : 70; // per kg above the first
    const express = order.serviceLevel !== 'standard';
    const carrier = (450 + zone * 110 + (kg - 1) * breakRate) * (express ? 2 : 1);
    const transit = express ? Math.max(1, zone - 2) : zone + 1;
    const crossBorder = loc.country !== order.destination.country;
    return {
      serviceCode: express ? 'EXP' : 'GND',
      carrierCostMinor: carrier,
      landedCostMinor: crossBorder ? Math.round(value * 0.05) + 300 : 0,
      transitDays: transit,
      lateDays: Math.max(0, transit - promisedDays),
    };
  };
}

function makeCase(rand: () => number, nLines: number, nLocs: number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const lines: RoutingLine[] = [];
  for (let i = 0; i < nLines; i++) {
    lines.push({
      lineId: `L${i + 1}`,
      skuId: `SKU-${int(1, 400)}-${i}`,
      qty: rand() < 0.7 ? 1 : int(2, 4),
      unitWeightGrams: int(100, 4000),
      unitValueMinor: int(500, 20_000),
      hazmat: rand() < 0.05,
    });
  }
  const value = lines.reduce((s, l) => s + l.qty * l.unitValueMinor, 0);
  const order: RoutingOrder = {
    channel: 'web',
    destination: { country: 'US', postcode: '10001' },
    serviceLevel: SERVICE[int(0, SERVICE.length - 1)]!,
    orderValueMinor: value,
    currency: 'USD',
    tags: rand() < 0.2 ? ['vip'] : [],
    lines,
  };
  const candidates: CandidateLocation[] = [];
  for (let k = 0; k < nLocs; k++) {
    const type = TYPES[int(0, TYPES.length - 1)]!;
    const available = new Map<string, number>();
    // a few well-stocked hubs, the rest patchy
    const hub = k % 5 === 0;
    for (const l of lines) if (rand() < (hub ? 0.9 : 0.5)) available.set(l.skuId, int(0, 12));
    const tags: string[] = [];
    if (rand() < 0.3) tags.push('hazmat-licensed');
    if (rand() < 0.5) tags.push('secure');
    candidates.push({
      locationId: `loc-${k}`,
      code: `${type.toUpperCase()}-${String(k).padStart(2, '0')}`,
      type,
      active: rand() < 0.95,
      feedsChannel: rand() < 0.95,
      country: type === 'factory_fc' ? 'CN' : rand() < 0.85 ? 'US' : 'CA',
      tags,
      priority: int(1, 20),
      distanceKm: rand() < 0.05 ? null : int(5, 4000),
      remainingCapacity: rand() < 0.05 ? 0 : int(1, 500),
      handlingCostMinor: int(150, 600),
      available,
    });
  }
  // in canonical order (code, then id), as RoutingEngine passes them; route() sorts any other order itself
  candidates.sort((a, b) => compareCodeThenId(a.code, a.locationId, b.code, b.locationId));
  return { input: { order, candidates, profiles: PROFILES, quote: syntheticQuote(order, candidates) } };
}

export function cases(seed: number, count: number, nLines: number, nLocs: number): Case[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => makeCase(rand, nLines, nLocs));
}

interface Row {
  scenario: string;
  'decisions/s': number;
  'CPU µs/decision': number;
  'p50 µs': number;
  'p99 µs': number;
  exact: number;
  heuristic: number;
  baseline: number;
  'quotes/decision': number;
}

function measure(scenario: string, cs: Case[], fn: (i: RoutingInput) => RoutingDecision, runs: number): { row: Row; decisions: RoutingDecision[] } {
  for (let k = 0; k < Math.min(runs, 5000); k++) fn(cs[k % cs.length]!.input); // warm-up (JIT)
  const lat = new Float64Array(runs);
  const methods = { exact: 0, heuristic: 0, baseline: 0 };
  let quotes = 0;
  const decisions: RoutingDecision[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) {
    const s = performance.now();
    const d = fn(cs[k % cs.length]!.input);
    lat[k] = performance.now() - s;
    methods[d.method]++;
    quotes += d.stats.quoteCalls;
    if (k < cs.length) decisions.push(d);
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lat.sort();
  const pct = (p: number) => Math.round(lat[Math.min(runs - 1, Math.floor(p * runs))]! * 1000 * 10) / 10;
  return {
    row: {
      scenario,
      'decisions/s': Math.round((runs / elapsed) * 1000),
      'CPU µs/decision': Math.round(((cpu.user + cpu.system) / runs) * 10) / 10,
      'p50 µs': pct(0.5),
      'p99 µs': pct(0.99),
      ...methods,
      'quotes/decision': Math.round((quotes / runs) * 10) / 10,
    },
    decisions,
  };
}

/** The cases with every profile (and a catch-all in place of the built-in default) at one search level. */
function atLevel(cs: Case[], search: SearchLevel): Case[] {
  const profiles = [...PROFILES.map((p) => ({ ...p, search })), defineProfile({ id: 'rest', name: 'Everything else', priority: 1_000, search })];
  return cs.map((c) => ({ input: { ...c.input, profiles } }));
}

/** Total cost of b over a where both allocate the same units, and how often each allocates more. */
function compareCost(a: RoutingDecision[], b: RoutingDecision[]): string {
  let aCost = 0;
  let bCost = 0;
  let same = 0;
  let aMore = 0;
  let bMore = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    if (x.units.allocated > y.units.allocated) aMore++;
    else if (y.units.allocated > x.units.allocated) bMore++;
    else if (x.units.allocated > 0) {
      same++;
      aCost += x.totalCostMinor;
      bCost += y.totalCostMinor;
    }
  });
  return `same units in ${same}/${a.length}: total cost ${bCost} vs ${aCost} (${(((bCost - aCost) / aCost) * 100).toFixed(2)}%); more units in ${bMore}, fewer in ${aMore}`;
}

/** Mean relative gap of the default method to the exact search (where it finished) on the same instances. */
function gapToExact(cs: Case[]): string {
  let compared = 0;
  let optimal = 0;
  let gap = 0;
  for (const c of cs) {
    const e = route({ ...c.input, forceMethod: 'exact' });
    const h = route({ ...c.input, forceMethod: 'heuristic' });
    if (e.method !== 'exact' || e.units.allocated === 0) continue; // node budget ran out, or nothing to compare
    compared++;
    if (h.units.allocated < e.units.allocated) gap += 1;
    else {
      if (h.totalCostMinor === e.totalCostMinor) optimal++;
      gap += (h.totalCostMinor - e.totalCostMinor) / e.totalCostMinor;
    }
  }
  return `${compared} proven optima: heuristic optimal in ${optimal}, mean cost gap ${((gap / Math.max(1, compared)) * 100).toFixed(2)}%`;
}

export async function main(): Promise<void> {
  const large = cases(20_240_601, 500, 10, 20);
  const small = cases(7, 500, 5, 6);
  const rows: Row[] = [];
  const opt = measure('route 10 lines x 20 locations', large, route, 30_000);
  rows.push(opt.row);
  rows.push(measure('route 5 lines x 6 locations', small, route, 20_000).row);
  const base = measure('closest-with-stock 10 x 20', large, routeClosestWithStock, 30_000);
  rows.push(base.row);
  // the profile's search level (balanced is the default, the first row)
  const fast = measure("route 10 x 20, search: 'fast'", atLevel(large, 'fast'), route, 30_000);
  rows.push(fast.row);
  const balancedAll = atLevel(large, 'balanced').map((c) => route(c.input));
  const optimal = measure("route 10 x 20, search: 'optimal'", atLevel(large, 'optimal'), route, 1_000);
  rows.push(optimal.row);
  console.table(rows);

  // decision quality on the same instances
  console.table([
    { check: 'optimiser vs closest-with-stock, 10 x 20', result: compareCost(base.decisions, opt.decisions) },
    { check: 'heuristic vs exact, 5 x 6', result: gapToExact(small.slice(0, 300)) },
    { check: 'heuristic vs exact, 10 x 20', result: gapToExact(cases(99, 60, 10, 20)) },
    { check: "search 'fast' vs 'balanced', 10 x 20", result: compareCost(balancedAll, fast.decisions) },
    { check: "search 'fast': heuristic vs exact, 10 x 20", result: gapToExact(atLevel(cases(99, 60, 10, 20), 'fast')) },
    { check: "search 'optimal' vs 'balanced', 10 x 20", result: `${optimal.row.exact}/${optimal.row.exact + optimal.row.heuristic} proven optimal; ${compareCost(balancedAll, optimal.decisions)}` },
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
