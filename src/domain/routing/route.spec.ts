import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  defineProfile,
  reroute,
  route,
  routeClosestWithStock,
  RoutingInputError,
  TIE_BREAK_RULE,
  type QuoteShipment,
  type RoutingInput,
} from './index.ts';
import { arbInstance, input, line, location, order, withSearch } from './routing.test-kit.ts';

/** A flat quote: carrier cost per location id, optional late days per location. */
function flatQuote(carrier: Record<string, number>, late: Record<string, number> = {}): QuoteShipment {
  return (loc, lines) => ({
    serviceCode: 'GND',
    carrierCostMinor: carrier[loc]! + 10 * lines.reduce((s, l) => s + l.qty, 0),
    landedCostMinor: 0,
    transitDays: 2,
    lateDays: late[loc] ?? 0,
  });
}

describe('route: choosing and explaining', () => {
  const o = order([line('L1', 'A', 1), line('L2', 'B', 2), line('L3', 'C', 1)]);
  const east = location('WH-EAST', { A: 5, B: 5, C: 5 }, { handlingCostMinor: 100 });
  const west = location('WH-WEST', { A: 5, B: 5, C: 5 }, { handlingCostMinor: 118 });
  const quote = flatQuote({ 'id-WH-EAST': 600, 'id-WH-WEST': 750 });

  it('ships from the cheapest location and says why it beat the next best, component by component', () => {
    const d = route({ order: o, candidates: [west, east], profiles: [], quote });
    expect(d.outcome).toBe('routed');
    expect(d.method).toBe('exact');
    expect(d.shipments.map((s) => s.code)).toEqual(['WH-EAST']);
    expect(d.totalCostMinor).toBe(740); // 600 + 4 units * 10 + handling 100
    expect(d.costComponents).toEqual({ carrier: 640, handling: 100, splitPenalty: 0, landed: 0, lateness: 0, futureValue: 0, distance: 0, preference: 0 });
    expect(d.explanation).toContain('WH-EAST ships all 3 lines (4 units) for 740; next best WH-WEST 908 (+168: carrier +150, handling +18)');
    expect(d.tieBreak).toBe(TIE_BREAK_RULE);
    const westReport = d.candidates.find((c) => c.code === 'WH-WEST')!;
    expect(westReport).toMatchObject({ chosen: false, excluded: null, score: { basis: 'single_location', costMinor: 908, vsChosenMinor: 168 } });
    expect(d.candidates.find((c) => c.code === 'WH-EAST')).toMatchObject({ chosen: true, score: { basis: 'chosen_plan', costMinor: 740 } });
  });

  it('weights multiply each component; lateness is priced per late day by service level', () => {
    const p = defineProfile({
      id: 'late',
      name: 'late',
      weights: { handling: 2 },
      penalties: { latenessPerDayMinor: { express: 400, '*': 0 } },
    });
    const q = flatQuote({ 'id-WH-EAST': 600, 'id-WH-WEST': 750 }, { 'id-WH-EAST': 1 });
    const std = route({ order: o, candidates: [east, west], profiles: [p], quote: q });
    expect(std.shipments[0]!.code).toBe('WH-EAST');
    expect(std.costComponents.handling).toBe(200);
    const exp = route({ order: { ...o, serviceLevel: 'express' }, candidates: [east, west], profiles: [p], quote: q });
    expect(exp.shipments[0]!.code).toBe('WH-WEST');
    expect(exp.explanation).toContain('next best WH-EAST');
    expect(exp.explanation).toContain('lateness +400');
  });

  it('future value of stock steers away from the node that will stock out', () => {
    const fv = (loc: string, sku: string) => (loc === 'id-WH-EAST' && sku === 'B' ? 200 : 0);
    const d = route({ order: o, candidates: [east, west], profiles: [], quote, futureValue: fv });
    expect(d.shipments.map((s) => s.code)).toEqual(['WH-WEST']);
    expect(d.candidates.find((c) => c.code === 'WH-EAST')!.score!.components!.futureValue).toBe(400);
  });

  it('distance bands, ranked and preferred locations, location type penalties are per shipment', () => {
    const near = location('NEAR', { A: 9 }, { distanceKm: 50, type: 'store' });
    const far = location('FAR', { A: 9 }, { distanceKm: 900 });
    const one = order([line('L1', 'A', 1)]);
    const q = flatQuote({ 'id-NEAR': 500, 'id-FAR': 500 });
    const bands = defineProfile({ id: 'b', name: 'b', penalties: { distanceBands: [{ maxKm: 300, penaltyMinor: 0 }, { maxKm: 1000, penaltyMinor: 200 }] } });
    expect(route({ order: one, candidates: [far, near], profiles: [bands], quote: q }).shipments[0]!.code).toBe('NEAR');
    const ranked = defineProfile({ id: 'r', name: 'r', preferences: { rankedLocations: ['FAR', 'NEAR'], rankStepMinor: 50 } });
    expect(route({ order: one, candidates: [far, near], profiles: [ranked], quote: q }).shipments[0]!.code).toBe('FAR');
    const preferred = defineProfile({ id: 'f', name: 'f', preferences: { preferredLocations: ['id-FAR'], preferredBonusMinor: 10 } });
    expect(route({ order: one, candidates: [far, near], profiles: [preferred], quote: q }).shipments[0]!.code).toBe('FAR');
    const noStores = defineProfile({ id: 's', name: 's', preferences: { locationTypePenaltyMinor: { store: 1 } } });
    const d = route({ order: one, candidates: [far, near], profiles: [noStores], quote: q });
    expect(d.shipments[0]!.code).toBe('FAR');
    expect(d.costComponents.preference).toBe(0);
  });

  it('splits when no location has everything, and says so', () => {
    const d = route({ order: o, candidates: [location('X1', { A: 5, B: 5 }), location('Y1', { C: 5 })], profiles: [], quote: flatQuote({ 'id-X1': 500, 'id-Y1': 500 }) });
    expect(d.shipments.map((s) => [s.code, s.lines.map((l) => l.lineId)])).toEqual([['X1', ['L1', 'L2']], ['Y1', ['L3']]]);
    expect(d.costComponents.splitPenalty).toBe(500);
    expect(d.explanation).toContain('2 shipments: X1 (2 lines) + Y1 (1 line)');
    expect(d.explanation).toContain('no single location has all 4 units');
  });

  it('breaks exact ties by the stated rule: lower priority, then code', () => {
    const one = order([line('L1', 'A', 1)]);
    const q = flatQuote({ 'id-B1': 500, 'id-A1': 500 });
    const byCode = route({ order: one, candidates: [location('B1', { A: 1 }), location('A1', { A: 1 })], profiles: [], quote: q });
    expect(byCode.shipments[0]!.code).toBe('A1');
    expect(byCode.explanation).toContain('tie broken by alphabetical location code');
    const byPriority = route({ order: one, candidates: [location('B1', { A: 1 }, { priority: 0 }), location('A1', { A: 1 })], profiles: [], quote: q });
    expect(byPriority.shipments[0]!.code).toBe('B1');
    expect(byPriority.explanation).toContain('tie broken by lower location priority');
  });

  it('a location whose quote is null cannot ship', () => {
    const q: QuoteShipment = (loc) => (loc === 'id-WH-EAST' ? null : { serviceCode: 'X', carrierCostMinor: 900, landedCostMinor: 0, transitDays: 1, lateDays: 0 });
    const d = route({ order: o, candidates: [east, west], profiles: [], quote: q });
    expect(d.shipments.map((s) => s.code)).toEqual(['WH-WEST']);
    expect(d.candidates.find((c) => c.code === 'WH-EAST')!.score).toMatchObject({ costMinor: null, components: null });
  });

  it('asks for each quote once per decision', () => {
    let calls = 0;
    const counting: QuoteShipment = (loc, lines) => {
      calls++;
      return quote(loc, lines);
    };
    const d = route({ order: o, candidates: [east, west], profiles: [], quote: counting });
    expect(calls).toBe(d.stats.quoteCalls);
    expect(calls).toBeLessThanOrEqual(2 * 8); // at most every subset of 3 lines at each of 2 locations
  });

  it('uses the heuristic on larger instances, with the same guarantees', () => {
    const lines = Array.from({ length: 10 }, (_, i) => line(`L${i}`, `S${i}`, 1 + (i % 3)));
    const cands = Array.from({ length: 20 }, (_, k) =>
      location(`W${String(k).padStart(2, '0')}`, Object.fromEntries(lines.filter((_, i) => (i + k) % 3 !== 0).map((l) => [l.skuId, 5])), { distanceKm: 50 * k + 10 }),
    );
    const big: RoutingInput = input(order(lines), cands);
    const d = route(big);
    expect(d.method).toBe('heuristic');
    expect(d.units.allocated).toBe(d.units.requested);
    const b = routeClosestWithStock(big);
    expect(d.totalCostMinor).toBeLessThanOrEqual(b.totalCostMinor);
    expect(b.method).toBe('baseline');
  });

  it('rejects malformed input as a caller error', () => {
    expect(() => route(input(order([line('L1', 'A', 1.5)]), []))).toThrow(RoutingInputError);
    expect(() => route(input(order([line('L1', 'A', 1), line('L1', 'B', 1)]), []))).toThrow(/twice/);
  });

  it('an order without units routes to nothing', () => {
    const d = route(input(order([line('L1', 'A', 0)]), [location('WH1', { A: 1 })]));
    expect(d).toMatchObject({ outcome: 'routed', shipments: [], unallocated: [], totalCostMinor: 0 });
  });
});

describe('reroute', () => {
  const o = order([line('L1', 'A', 2), line('L2', 'B', 1)]);
  const cands = [
    location('WH1', { A: 5, B: 5 }, { distanceKm: 10 }),
    location('WH2', { A: 5, B: 5 }, { distanceKm: 400 }),
    location('WH3', { B: 5 }, { distanceKm: 800 }),
  ];
  const inp = input(o, cands);

  it('routes the rejected units again, never to the rejecting location, and says so', () => {
    const first = route(inp);
    expect(first.shipments.map((s) => s.code)).toEqual(['WH1']);
    const again = reroute(inp, first, { locationId: 'id-WH1', lines: [{ lineId: 'L1', qty: 2 }] });
    expect(again.candidates.find((c) => c.code === 'WH1')!.excluded).toMatchObject({ rule: 'rejected_by_location' });
    expect(again.shipments.map((s) => [s.code, s.lines])).toEqual([['WH2', [{ lineId: 'L1', skuId: 'A', qty: 2 }]]]);
    expect(again.explanation).toMatch(/^Re-route after WH1 rejected 2 units \(1 line\); 1 other shipment kept\./);
    expect(again.reroute).toEqual({ rejectedLocationIds: ['id-WH1'], rejectedUnits: 2, keptShipments: 1 });
    // the new shipment is an extra shipment of the order: it carries the split penalty
    expect(again.costComponents.splitPenalty).toBe(500);
  });

  it('accumulates rejections across re-routes', () => {
    const first = route(inp);
    const second = reroute(inp, first, { locationId: 'id-WH1', lines: [{ lineId: 'L1', qty: 2 }, { lineId: 'L2', qty: 1 }] });
    expect(second.reroute!.keptShipments).toBe(0);
    expect(second.costComponents.splitPenalty).toBe(0);
    const third = reroute(inp, second, { locationId: 'id-WH2', lines: [{ lineId: 'L2', qty: 1 }] });
    expect(third.reroute!.rejectedLocationIds).toEqual(['id-WH1', 'id-WH2']);
    expect(third.shipments.map((s) => s.code)).toEqual(['WH3']);
  });

  it('refuses a rejection that does not match the previous decision', () => {
    const first = route(inp);
    expect(() => reroute(inp, first, { locationId: 'id-WH2', lines: [] })).toThrow(RoutingInputError);
    expect(() => reroute(inp, first, { locationId: 'id-WH1', lines: [{ lineId: 'L1', qty: 3 }] })).toThrow(/rejected 3, shipped 2/);
  });
});

describe("the profile's search level", () => {
  // orders large enough that the default ('balanced') uses the heuristic
  const large = fc
    .sample(arbInstance({ maxLines: 10, maxLocations: 12, maxQty: 4, sharedSkus: false, allowLineSplit: 'random' }), { seed: 20261206, numRuns: 80 })
    .filter((inp) => route(inp).method === 'heuristic');

  it('has heuristic instances to compare on', () => {
    expect(large.length).toBeGreaterThan(20);
  });

  it("'balanced' is the default: a profile without the setting decides exactly as one with it", () => {
    for (const inp of large.slice(0, 10)) {
      const { search: _, ...older } = inp.profiles[0]!;
      expect(route({ ...inp, profiles: [older] })).toEqual(route(withSearch(inp, 'balanced')));
    }
  });

  it("'fast' skips the greedy starts: fewer quotes over the same orders, and the explanation says so", () => {
    let fastQuotes = 0;
    let balancedQuotes = 0;
    for (const inp of large) {
      const f = route(withSearch(inp, 'fast'));
      const b = route(withSearch(inp, 'balanced'));
      expect(f.method).toBe('heuristic');
      expect(f.explanation).toMatch(/\(Heuristic search, fast\.\)$/);
      expect(b.explanation).toMatch(/\(Heuristic search\.\)$/);
      fastQuotes += f.stats.quoteCalls;
      balancedQuotes += b.stats.quoteCalls;
    }
    expect(fastQuotes).toBeLessThan(balancedQuotes);
  });

  it("'optimal' searches exactly where the default would not, and proves a plan at least as good", () => {
    let proven = 0;
    let better = 0;
    for (const inp of large) {
      const o = route(withSearch(inp, 'optimal'));
      const b = route(inp);
      if (o.method === 'exact') proven++;
      else expect(o.explanation).toContain('Exact search stopped at its node budget');
      expect(o.units.allocated).toBeGreaterThanOrEqual(b.units.allocated);
      if (o.units.allocated === b.units.allocated) {
        expect(o.totalCostMinor).toBeLessThanOrEqual(b.totalCostMinor);
        if (o.totalCostMinor < b.totalCostMinor) better++;
      }
    }
    expect(proven).toBeGreaterThan(large.length / 2);
    expect(better).toBeGreaterThan(0);
  });
});
