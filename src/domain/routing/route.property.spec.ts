import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { availableAt, route, routeClosestWithStock, selectProfile, type RoutingDecision, type RoutingInput } from './index.ts';
import { allowedLocations, arbInstance, bruteForce, locationBlocked, withSearch, type GenOptions } from './routing.test-kit.ts';

const SMALL: GenOptions = { maxLines: 5, maxLocations: 6, maxQty: 3, sharedSkus: false, allowLineSplit: false };
const SPLIT_SHARED: GenOptions = { maxLines: 3, maxLocations: 4, maxQty: 3, sharedSkus: true, allowLineSplit: 'random', maxStock: 2 };
const MEDIUM: GenOptions = { maxLines: 10, maxLocations: 12, maxQty: 4, sharedSkus: true, allowLineSplit: 'random' };
/** identical costs everywhere: every decision is a tie settled by the stated rule */
const TIES: GenOptions = { maxLines: 4, maxLocations: 5, maxQty: 2, sharedSkus: false, allowLineSplit: false, ties: true };

/** locationId -> lineId -> qty of a decision */
function allocation(d: RoutingDecision): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const s of d.shipments) out.set(s.locationId, new Map(s.lines.map((l) => [l.lineId, l.qty])));
  return out;
}

/** Every invariant a decision must satisfy whatever the search found. */
function checkInvariants(inp: RoutingInput, d: RoutingDecision): void {
  const p = selectProfile(inp.order, inp.profiles);
  const k = p.constraints;
  const allowed = new Set(allowedLocations(inp, p).map((c) => c.locationId));
  const byId = new Map(inp.candidates.map((c) => [c.locationId, c]));
  const lines = inp.order.lines.filter((l) => l.qty > 0);

  // never more than available, per location and SKU
  for (const s of d.shipments) {
    const c = byId.get(s.locationId)!;
    const used = new Map<string, number>();
    for (const l of s.lines) used.set(l.skuId, (used.get(l.skuId) ?? 0) + l.qty);
    for (const [sku, u] of used) expect(u).toBeLessThanOrEqual(Math.max(0, availableAt(c, sku)));
  }
  // hard constraints
  expect(d.shipments.length).toBeLessThanOrEqual(k.shipComplete ? 1 : k.maxSplits);
  for (const s of d.shipments) {
    const c = byId.get(s.locationId)!;
    expect(allowed.has(s.locationId), `${c.code} broke ${locationBlocked(inp, p, c)}`).toBe(true);
    for (const l of s.lines) {
      const line = lines.find((x) => x.lineId === l.lineId)!;
      if (line.hazmat && k.hazmatRequiresLicense) expect(c.tags).toContain('hazmat-licensed');
    }
  }
  if (k.shipComplete && d.shipments.length > 0) {
    expect(d.shipments[0]!.lines.map((l) => l.qty)).toEqual(lines.map((l) => l.qty));
  }
  // a line is split across locations only when allowed and no location allowed to ship it could hold it all
  for (const l of lines) {
    const at = d.shipments.filter((s) => s.lines.some((x) => x.lineId === l.lineId));
    if (at.length > 1) {
      expect(k.allowLineSplit).toBe(true);
      for (const id of allowed) {
        const c = byId.get(id)!;
        if (l.hazmat && k.hazmatRequiresLicense && !c.tags.includes('hazmat-licensed')) continue;
        expect(Math.max(0, availableAt(c, l.skuId))).toBeLessThan(l.qty);
      }
    }
  }
  // every unit is shipped or unallocated with a reason
  for (const l of lines) {
    const shipped = d.shipments.reduce((s, x) => s + x.lines.filter((y) => y.lineId === l.lineId).reduce((a, y) => a + y.qty, 0), 0);
    const missing = d.unallocated.filter((u) => u.lineId === l.lineId);
    expect(shipped + missing.reduce((a, u) => a + u.qty, 0)).toBe(l.qty);
    for (const u of missing) expect(u.reason.length).toBeGreaterThan(0);
  }
  // accounting
  const sum = Object.values(d.costComponents).reduce((a, b) => a + b, 0);
  expect(d.totalCostMinor).toBe(sum);
  expect(d.units.allocated).toBe(d.shipments.reduce((s, x) => s + x.lines.reduce((a, l) => a + l.qty, 0), 0));
  // every candidate reported once: excluded by exactly the first rule it breaks (no more, no less), or scored
  expect(d.candidates.map((c) => c.locationId).sort()).toEqual(inp.candidates.map((c) => c.locationId).sort());
  const base = inp.candidates.filter((c) => locationBlocked(inp, p, c) === null);
  for (const c of d.candidates) {
    const cand = byId.get(c.locationId)!;
    expect(c.excluded?.rule ?? null, c.code).toBe(locationBlocked(inp, p, cand) ?? locationBlocked(inp, p, cand, base));
    expect(c.excluded !== null || c.score !== undefined).toBe(true);
  }
}

describe('route: properties', () => {
  it('never takes more than available, never breaks a hard constraint, accounts for every unit', () => {
    fc.assert(
      fc.property(arbInstance(MEDIUM), (inp) => {
        checkInvariants(inp, route(inp));
        checkInvariants(inp, routeClosestWithStock(inp));
      }),
      { numRuns: 250 },
    );
  });

  it('equals the brute-force optimum on small instances (<= 6 locations, <= 5 lines), tie rule included', () => {
    fc.assert(
      fc.property(arbInstance(SMALL), (inp) => {
        const d = route(inp);
        const p = selectProfile(inp.order, inp.profiles);
        const best = bruteForce(inp, p);
        expect(d.method).toBe('exact');
        expect(d.units.allocated).toBe(best.units);
        expect(d.totalCostMinor).toBe(best.cost);
        expect(allocation(d)).toEqual(best.alloc);
      }),
      { numRuns: 150 },
    );
  });

  it('settles ties by the stated rule (fewer shipments, lower priority sum, codes, line by line)', () => {
    fc.assert(
      fc.property(arbInstance(TIES), (inp) => {
        const d = route(inp);
        const best = bruteForce(inp, selectProfile(inp.order, inp.profiles));
        expect(d.totalCostMinor).toBe(best.cost);
        expect(allocation(d)).toEqual(best.alloc);
      }),
      { numRuns: 150 },
    );
  });

  it('equals the brute-force optimum with split lines and lines sharing a SKU', () => {
    fc.assert(
      fc.property(arbInstance(SPLIT_SHARED), (inp) => {
        const d = route(inp);
        const best = bruteForce(inp, selectProfile(inp.order, inp.profiles));
        expect(d.method).toBe('exact');
        expect(d.units.allocated).toBe(best.units);
        expect(d.totalCostMinor).toBe(best.cost);
        expect(allocation(d)).toEqual(best.alloc);
      }),
      { numRuns: 150 },
    );
  });

  it('is never costlier than closest-with-stock when both allocate the same units, and never allocates fewer', () => {
    for (const [g, force] of [[SMALL, undefined], [MEDIUM, undefined], [MEDIUM, 'heuristic']] as const) {
      fc.assert(
        fc.property(arbInstance(g), (inp) => {
          const d = route({ ...inp, forceMethod: force });
          const b = routeClosestWithStock(inp);
          expect(d.units.allocated).toBeGreaterThanOrEqual(b.units.allocated);
          if (d.units.allocated === b.units.allocated) expect(d.totalCostMinor).toBeLessThanOrEqual(b.totalCostMinor);
        }),
        { numRuns: 120 },
      );
    }
  });

  it("search 'fast' keeps every invariant and is never costlier than closest-with-stock; 'optimal' is never costlier than 'balanced'", () => {
    fc.assert(
      fc.property(arbInstance(MEDIUM), (raw) => {
        const fast = withSearch(raw, 'fast');
        const d = route(fast);
        checkInvariants(fast, d);
        const b = routeClosestWithStock(fast);
        expect(d.units.allocated).toBeGreaterThanOrEqual(b.units.allocated);
        if (d.units.allocated === b.units.allocated) expect(d.totalCostMinor).toBeLessThanOrEqual(b.totalCostMinor);

        const balanced = route(raw);
        const optimal = route(withSearch(raw, 'optimal'));
        checkInvariants(raw, optimal);
        expect(optimal.units.allocated).toBeGreaterThanOrEqual(balanced.units.allocated);
        if (optimal.units.allocated === balanced.units.allocated) expect(optimal.totalCostMinor).toBeLessThanOrEqual(balanced.totalCostMinor);
      }),
      { numRuns: 120 },
    );
  });

  it('is deterministic: same input, same decision; shuffled candidates and profiles, same decision', () => {
    fc.assert(
      fc.property(arbInstance(MEDIUM), fc.integer({ min: 1, max: 1_000_000 }), (inp, seed) => {
        const d1 = route(inp);
        expect(route(inp)).toEqual(d1);
        const shuffled = [...inp.candidates];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(route({ ...inp, candidates: shuffled, profiles: [...inp.profiles].reverse() })).toEqual(d1);
      }),
      { numRuns: 120 },
    );
  });
});
