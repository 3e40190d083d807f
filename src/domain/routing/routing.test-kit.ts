/**
 * Test support for the routing specs: builders, a synthetic quote, fast-check generators of small instances,
 * and an independent brute force (its own constraint checks and cost formula, written from the documented
 * rules, not from the optimiser's code) to compare the optimiser against.
 */
import fc from 'fast-check';
import { defineProfile, type ProfileDraft } from './profile.ts';
import { availableAt } from './instance.ts';
import type {
  CandidateLocation,
  FutureValue,
  LocationType,
  QuoteShipment,
  RoutingInput,
  RoutingLine,
  RoutingOrder,
  RoutingProfile,
  SearchLevel,
  ShipmentQuote,
} from './types.ts';

export function line(lineId: string, skuId: string, qty: number, extra: Partial<RoutingLine> = {}): RoutingLine {
  return { lineId, skuId, qty, unitWeightGrams: 500, unitValueMinor: 1000, hazmat: false, ...extra };
}

export function order(lines: RoutingLine[], extra: Partial<RoutingOrder> = {}): RoutingOrder {
  return {
    channel: 'web',
    destination: { country: 'GB', postcode: 'SW1A 1AA' },
    serviceLevel: 'standard',
    orderValueMinor: lines.reduce((s, l) => s + l.qty * l.unitValueMinor, 0),
    currency: 'GBP',
    tags: [],
    lines,
    ...extra,
  };
}

export function location(code: string, available: CandidateLocation['available'], extra: Partial<CandidateLocation> = {}): CandidateLocation {
  return {
    locationId: `id-${code}`,
    code,
    type: 'warehouse',
    active: true,
    feedsChannel: true,
    country: 'GB',
    tags: [],
    priority: 1,
    distanceKm: 100,
    remainingCapacity: 100,
    handlingCostMinor: 100,
    available,
    ...extra,
  };
}

/** Carrier cost grows with distance and weight (weight breaks); cross-border adds landed cost. */
export function syntheticQuote(o: RoutingOrder, cands: readonly CandidateLocation[], opts: { noService?: readonly string[] } = {}): QuoteShipment {
  return (locationId, lines) => {
    const loc = cands.find((c) => c.locationId === locationId)!;
    if (opts.noService?.includes(locationId)) return null;
    let grams = 0;
    let value = 0;
    for (const l of lines) {
      const ol = o.lines.find((x) => x.lineId === l.lineId)!;
      grams += ol.unitWeightGrams * l.qty;
      value += ol.unitValueMinor * l.qty;
    }
    const km = loc.distanceKm ?? 2000;
    const zone = km <= 100 ? 1 : km <= 400 ? 2 : km <= 1000 ? 3 : 4;
    const kg = Math.ceil(grams / 1000);
    const carrier = 300 + zone * 90 + Math.max(0, kg - 1) * (kg <= 5 ? 80 : 60);
    const transitDays = zone;
    return {
      serviceCode: 'GND',
      carrierCostMinor: carrier,
      landedCostMinor: loc.country === o.destination.country ? 0 : Math.round(value * 0.04) + 200,
      transitDays,
      lateDays: Math.max(0, transitDays - 2),
    };
  };
}

export function input(o: RoutingOrder, candidates: CandidateLocation[], profiles: RoutingProfile[] = [], extra: Partial<RoutingInput> = {}): RoutingInput {
  return { order: o, candidates, profiles, quote: syntheticQuote(o, candidates), ...extra };
}

// ---- random instances -----------------------------------------------------------------------------------

export interface GenOptions {
  maxLines: number;
  maxLocations: number;
  maxQty: number;
  /** lines may share a SKU */
  sharedSkus: boolean;
  allowLineSplit: boolean | 'random';
  /** default maxQty + 1 */
  maxStock?: number;
  /** every location costs the same (flat quote, equal handling, no penalties): decisions come down to ties */
  ties?: boolean;
}

/** `arb` with weight `valueWeight` against null with weight `nullWeight`. */
function orNull<T>(arb: fc.Arbitrary<T>, valueWeight: number, nullWeight: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: valueWeight, arbitrary: arb }, { weight: nullWeight, arbitrary: fc.constant(null) });
}

const TYPES: LocationType[] = ['warehouse', 'store', '3pl', 'dropship', 'factory_fc'];

/** A small random instance: order, candidates, one profile (conditions null), synthetic quote, future value. */
export function arbInstance(g: GenOptions): fc.Arbitrary<RoutingInput> {
  const lineArb = fc.record({
    sku: fc.integer({ min: 0, max: g.sharedSkus ? 2 : 20 }),
    qty: fc.integer({ min: 1, max: g.maxQty }),
    grams: fc.integer({ min: 100, max: 3000 }),
    value: fc.integer({ min: 100, max: 20_000 }),
    hazmat: fc.boolean(),
  });
  const locArb = fc.record({
    type: fc.constantFrom(...TYPES),
    active: fc.integer({ min: 0, max: 39 }).map((x) => x > 0),
    feedsChannel: fc.integer({ min: 0, max: 39 }).map((x) => x > 0),
    country: fc.constantFrom('GB', 'GB', 'GB', 'FR', 'DE'),
    hazmatLicensed: fc.boolean(),
    secure: fc.boolean(),
    express: fc.integer({ min: 0, max: 9 }).map((x) => x < 7),
    priority: fc.integer({ min: 0, max: 5 }),
    distanceKm: orNull(fc.integer({ min: 5, max: 1500 }), 9, 1),
    capacity: fc.integer({ min: 0, max: 19 }),
    handling: fc.integer({ min: 0, max: 400 }),
    stock: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constantFrom(-1, 0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: g.maxStock ?? g.maxQty + 1 }) }), { minLength: 21, maxLength: 21 }),
    noService: fc.integer({ min: 0, max: 14 }).map((x) => x === 0),
  });
  const profileArb = fc.record({
    maxSplits: fc.integer({ min: 1, max: 3 }),
    shipComplete: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
    allowLineSplit: g.allowLineSplit === 'random' ? fc.boolean() : fc.constant(g.allowLineSplit),
    stayInMarket: fc.integer({ min: 0, max: 5 }).map((x) => x === 0),
    originsRule: fc.constantFrom('none', 'none', 'none', 'none', 'gb-fr'),
    hazmatRequiresLicense: fc.boolean(),
    highValue: orNull(fc.integer({ min: 0, max: 200_000 }), 1, 5),
    respectCapacity: fc.boolean(),
    requireExpressTag: fc.integer({ min: 0, max: 14 }).map((x) => x === 0),
    excludeStores: fc.integer({ min: 0, max: 5 }).map((x) => x === 0),
    maxDistanceKm: orNull(fc.integer({ min: 300, max: 1500 }), 1, 5),
    weights: fc.record({
      carrier: fc.constantFrom(1, 1, 0.5, 2),
      handling: fc.constantFrom(1, 1, 0, 1.5),
      splitPenalty: fc.constantFrom(1, 1, 0, 2),
      landed: fc.constantFrom(1, 0.5),
      lateness: fc.constantFrom(1, 0, 3),
      futureValue: fc.constantFrom(1, 0, 0.5),
    }),
    splitMinor: fc.integer({ min: 0, max: 800 }),
    latePerDay: fc.integer({ min: 0, max: 300 }),
    bands: fc.boolean(),
    rankStep: fc.constantFrom(0, 0, 50),
    preferredBonus: fc.constantFrom(0, 0, 120),
    priorityStep: fc.constantFrom(0, 0, 10),
    storePenalty: fc.constantFrom(0, 0, 90),
  });
  return fc
    .record({
      lines: fc.array(lineArb, { minLength: 1, maxLength: g.maxLines, size: 'max' }),
      locs: fc.array(locArb, { minLength: 1, maxLength: g.maxLocations, size: 'max' }),
      profile: profileArb,
      fvSalt: fc.integer({ min: 0, max: 3 }),
      service: fc.constantFrom('standard', 'express'),
    })
    .map(({ lines, locs, profile: p, fvSalt, service }) => {
      const orderLines = lines.map((l, i) =>
        line(`L${i + 1}`, `SKU${l.sku}`, l.qty, { unitWeightGrams: l.grams, unitValueMinor: l.value, hazmat: l.hazmat && i % 2 === 0 }),
      );
      const o = order(orderLines, { serviceLevel: service, tags: ['vip'] });
      const skus = [...new Set(orderLines.map((l) => l.skuId))];
      const candidates = locs.map((x, k) => {
        const available: Record<string, number> = {};
        skus.forEach((s, j) => {
          const v = x.stock[j]!;
          if (v >= 0) available[s] = v;
        });
        const tags: string[] = [];
        if (x.hazmatLicensed) tags.push('hazmat-licensed');
        if (x.secure) tags.push('secure');
        if (x.express) tags.push('express');
        // both input forms: odd locations list their stock as a Map
        return location(`LOC-${String.fromCharCode(65 + ((k * 7) % 26))}${k}`, k % 2 === 1 ? new Map(Object.entries(available)) : available, {
          locationId: `loc-${k}`,
          type: x.type,
          active: x.active,
          feedsChannel: x.feedsChannel,
          country: x.country,
          tags,
          priority: x.priority,
          distanceKm: x.distanceKm,
          remainingCapacity: x.capacity,
          handlingCostMinor: x.handling,
        });
      });
      const draft: ProfileDraft = {
        id: 'gen',
        name: 'generated',
        constraints: {
          maxSplits: p.maxSplits,
          shipComplete: p.shipComplete,
          allowLineSplit: p.shipComplete ? false : p.allowLineSplit,
          stayInMarket: p.stayInMarket,
          allowedOriginCountries: p.originsRule === 'gb-fr' ? { GB: ['GB', 'FR'] } : {},
          hazmatRequiresLicense: p.hazmatRequiresLicense,
          highValueThresholdMinor: p.highValue,
          respectCapacity: p.respectCapacity,
          requiredLocationTags: p.requireExpressTag ? ['express'] : [],
          excludedLocationTypes: p.excludeStores ? ['store'] : [],
          maxDistanceKm: p.maxDistanceKm,
        },
        weights: p.weights,
        penalties: {
          splitMinor: p.splitMinor,
          latenessPerDayMinor: { standard: p.latePerDay, '*': p.latePerDay * 2 },
          distanceBands: p.bands ? [{ maxKm: 200, penaltyMinor: 0 }, { maxKm: 800, penaltyMinor: 150 }] : [],
        },
        preferences: {
          rankedLocations: p.rankStep ? candidates.slice(0, 2).map((c) => c.code) : [],
          rankStepMinor: p.rankStep,
          preferredLocations: p.preferredBonus ? candidates.slice(-1).map((c) => c.locationId) : [],
          preferredBonusMinor: p.preferredBonus,
          locationPriorityStepMinor: p.priorityStep,
          locationTypePenaltyMinor: p.storePenalty ? { store: p.storePenalty } : {},
        },
      };
      if (g.ties) {
        draft.weights = { carrier: 1, handling: 1, splitPenalty: 1, landed: 1, lateness: 1, futureValue: 1 };
        draft.penalties = { splitMinor: 0, latenessPerDayMinor: {}, distanceBands: [] };
        draft.preferences = {};
        candidates.forEach((c, k) => Object.assign(c, { handlingCostMinor: 100, country: 'GB', priority: locs[k]!.priority % 2 }));
        return { order: o, candidates, profiles: [defineProfile(draft)], quote: () => ({ serviceCode: 'X', carrierCostMinor: 0, landedCostMinor: 0, transitDays: 1, lateDays: 0 }) } satisfies RoutingInput;
      }
      const noService = candidates.filter((_, k) => locs[k]!.noService).map((c) => c.locationId);
      const fv: FutureValue = (loc, sku) => ((loc.length * 31 + sku.length * 7 + fvSalt * 13 + sku.charCodeAt(sku.length - 1)) % 4) * 15;
      return {
        order: o,
        candidates,
        profiles: [defineProfile(draft)],
        quote: syntheticQuote(o, candidates, { noService }),
        futureValue: fvSalt === 0 ? undefined : fv,
      } satisfies RoutingInput;
    });
}

// ---- independent checks ---------------------------------------------------------------------------------

/** Why a location may not ship anything for this order under the profile (null = allowed), per the rules. */
export function locationBlocked(inp: RoutingInput, p: RoutingProfile, c: CandidateLocation, allowedSoFar?: readonly CandidateLocation[]): string | null {
  const k = p.constraints;
  const o = inp.order;
  const lines = o.lines.filter((l) => l.qty > 0);
  if (!c.active) return 'inactive';
  if (!c.feedsChannel) return 'not_feeding_channel';
  if (k.excludedLocationTypes.includes(c.type)) return 'excluded_location_type';
  if (k.requiredLocationTags.some((t) => !c.tags.includes(t))) return 'missing_required_tag';
  if (k.excludedLocationTags.some((t) => c.tags.includes(t))) return 'excluded_location_tag';
  const origins = k.allowedOriginCountries[o.destination.country] ?? k.allowedOriginCountries['*'];
  if (origins && !origins.includes(c.country)) return 'origin_country_not_allowed';
  if (k.highValueThresholdMinor !== null && o.orderValueMinor > k.highValueThresholdMinor && !c.tags.includes('secure')) return 'high_value_requires_secure';
  if (k.respectCapacity && c.remainingCapacity <= 0) return 'capacity_exhausted';
  if (k.maxDistanceKm !== null && (c.distanceKm === null || c.distanceKm > k.maxDistanceKm)) return 'max_distance';
  const stock = (sku: string) => Math.max(0, Math.floor(availableAt(c, sku)));
  const licensed = !k.hazmatRequiresLicense || c.tags.includes('hazmat-licensed');
  if (!lines.some((l) => stock(l.skuId) > 0)) return 'no_stock';
  if (!lines.some((l) => stock(l.skuId) > 0 && (licensed || !l.hazmat))) return 'hazmat_not_licensed';
  if (k.shipComplete) {
    const need = new Map<string, number>();
    for (const l of lines) need.set(l.skuId, (need.get(l.skuId) ?? 0) + l.qty);
    for (const [s, q] of need) if (stock(s) < q) return 'cannot_ship_complete';
    if (lines.some((l) => l.hazmat) && !licensed) return 'cannot_ship_complete';
  }
  if (allowedSoFar && k.stayInMarket && c.country !== o.destination.country && allowedSoFar.some((a) => a.country === o.destination.country)) {
    return 'stay_in_market';
  }
  return null;
}

export function allowedLocations(inp: RoutingInput, p: RoutingProfile): CandidateLocation[] {
  const base = inp.candidates.filter((c) => locationBlocked(inp, p, c) === null);
  return base.filter((c) => locationBlocked(inp, p, c, base) === null);
}

/** Shipment cost (without split penalty) under the profile, per the documented formula; Infinity if unquotable. */
export function shipmentCost(inp: RoutingInput, p: RoutingProfile, c: CandidateLocation, lines: Array<{ lineId: string; qty: number }>, q: ShipmentQuote | null): number {
  if (q === null) return Infinity;
  const w = p.weights;
  const pen = p.penalties;
  const pref = p.preferences;
  const perDay = pen.latenessPerDayMinor[inp.order.serviceLevel] ?? pen.latenessPerDayMinor['*'] ?? 0;
  let cost = Math.round(w.carrier * Math.max(0, q.carrierCostMinor)) + Math.round(w.landed * Math.max(0, q.landedCostMinor));
  cost += Math.round(w.lateness * perDay) * Math.max(0, Math.ceil(q.lateDays));
  cost += Math.round(w.handling * Math.max(0, c.handlingCostMinor));
  for (const l of lines) {
    const sku = inp.order.lines.find((x) => x.lineId === l.lineId)!.skuId;
    const fv = inp.futureValue && w.futureValue !== 0 ? Math.round(w.futureValue * inp.futureValue(c.locationId, sku)) : 0;
    cost += l.qty * fv;
  }
  if (pen.distanceBands.length > 0) {
    const d = c.distanceKm;
    const band = d === null ? undefined : pen.distanceBands.find((b) => d <= b.maxKm);
    cost += (band ?? pen.distanceBands[pen.distanceBands.length - 1]!).penaltyMinor;
  }
  if (pref.rankedLocations.length > 0) {
    let r = pref.rankedLocations.indexOf(c.code);
    if (r < 0) r = pref.rankedLocations.indexOf(c.locationId);
    cost += (r < 0 ? pref.rankedLocations.length : r) * pref.rankStepMinor;
  }
  if (pref.preferredLocations.length > 0 && !pref.preferredLocations.includes(c.code) && !pref.preferredLocations.includes(c.locationId)) {
    cost += pref.preferredBonusMinor;
  }
  cost += Math.round(c.priority * pref.locationPriorityStepMinor);
  cost += pref.locationTypePenaltyMinor[c.type] ?? 0;
  return cost;
}

export interface BrutePlan {
  units: number;
  cost: number;
  /** locationId -> lineId -> qty */
  alloc: Map<string, Map<string, number>>;
}

/**
 * Exhaustive search over the documented decision space: each line to one allowed location or none, taking all
 * the units it can when its SKU is unique (fewer never helps: units come first), any quantity when its SKU is
 * shared; a splittable line (allowed, and no single allowed location holds it all) any quantity from any
 * locations. Best = most units, then lowest cost, then the stated tie rule.
 */
export function bruteForce(inp: RoutingInput, p: RoutingProfile): BrutePlan {
  const k = p.constraints;
  const lines = inp.order.lines.filter((l) => l.qty > 0);
  const allowed = allowedLocations(inp, p).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.locationId < b.locationId ? -1 : 1));
  const stock = (c: CandidateLocation, sku: string) => Math.max(0, Math.floor(availableAt(c, sku)));
  const licensed = (c: CandidateLocation) => !k.hazmatRequiresLicense || c.tags.includes('hazmat-licensed');
  const skuCount = new Map<string, number>();
  for (const l of lines) skuCount.set(l.skuId, (skuCount.get(l.skuId) ?? 0) + 1);
  const maxShip = k.shipComplete ? 1 : k.maxSplits;
  const totalUnits = lines.reduce((s, l) => s + l.qty, 0);

  // options per line: vectors of qty per allowed location
  const options = lines.map((l) => {
    const elig = allowed.map((c) => stock(c, l.skuId) > 0 && (licensed(c) || !l.hazmat));
    const caps = allowed.map((c, j) => (elig[j] ? Math.min(l.qty, stock(c, l.skuId)) : 0));
    const splittable = k.allowLineSplit && !k.shipComplete && Math.max(0, ...caps.map((x, j) => (elig[j] ? stock(allowed[j]!, l.skuId) : 0))) < l.qty && elig.filter(Boolean).length >= 2;
    const out: number[][] = [allowed.map(() => 0)];
    if (splittable) {
      const rec = (j: number, left: number, acc: number[]) => {
        if (j === allowed.length) {
          if (acc.some((x) => x > 0)) out.push([...acc]);
          return;
        }
        for (let v = 0; v <= Math.min(left, caps[j]!); v++) {
          acc[j] = v;
          rec(j + 1, left - v, acc);
        }
        acc[j] = 0;
      };
      rec(0, l.qty, allowed.map(() => 0));
    } else {
      allowed.forEach((_, j) => {
        if (caps[j]! === 0) return;
        const lows = (skuCount.get(l.skuId) ?? 0) > 1 ? 1 : caps[j]!;
        for (let v = caps[j]!; v >= lows; v--) {
          const vec = allowed.map(() => 0);
          vec[j] = v;
          out.push(vec);
        }
      });
    }
    return out;
  });

  const quoteCache = new Map<string, ShipmentQuote | null>();
  const quote = (c: CandidateLocation, content: Array<{ lineId: string; qty: number }>) => {
    const key = `${c.locationId}|${content.map((x) => `${x.lineId}:${x.qty}`).join(',')}`;
    if (!quoteCache.has(key)) quoteCache.set(key, inp.quote(c.locationId, content));
    return quoteCache.get(key)!;
  };

  type Cand = { units: number; cost: number; ships: number; prio: number; codes: string[]; vecs: number[][] };
  const found: { best: Cand | null } = { best: null };
  const better = (a: Cand, b: Cand | null): boolean => {
    if (b === null) return true;
    if (a.units !== b.units) return a.units > b.units;
    if (a.cost !== b.cost) return a.cost < b.cost;
    if (a.ships !== b.ships) return a.ships < b.ships;
    if (a.prio !== b.prio) return a.prio < b.prio;
    for (let t = 0; t < a.codes.length; t++) if (a.codes[t] !== b.codes[t]) return a.codes[t]! < b.codes[t]!;
    for (let i = 0; i < a.vecs.length; i++) for (let j = 0; j < allowed.length; j++) if (a.vecs[i]![j] !== b.vecs[i]![j]) return a.vecs[i]![j]! > b.vecs[i]![j]!;
    return false;
  };
  const chosen: number[][] = [];
  const anyShared = [...skuCount.values()].some((c) => c > 1);
  const openCount = allowed.map(() => 0);
  let open = 0;
  const rec = (i: number) => {
    if (i === lines.length) {
      // stock per (location, sku): only lines sharing a SKU can overdraw it
      for (let j = 0; j < allowed.length && anyShared; j++) {
        const used = new Map<string, number>();
        lines.forEach((l, li) => used.set(l.skuId, (used.get(l.skuId) ?? 0) + chosen[li]![j]!));
        for (const [s, u] of used) if (u > stock(allowed[j]!, s)) return;
      }
      const usedLocs = allowed.map((_, j) => chosen.some((v) => v[j]! > 0));
      const ships = usedLocs.filter(Boolean).length;
      if (ships > maxShip) return;
      const units = chosen.reduce((s, v) => s + v.reduce((a, b) => a + b, 0), 0);
      if (k.shipComplete && units !== totalUnits && units !== 0) return;
      let cost = ships > 1 ? (ships - 1) * Math.round(p.weights.splitPenalty * p.penalties.splitMinor) : 0;
      let prio = 0;
      const codes: string[] = [];
      for (let j = 0; j < allowed.length; j++) {
        if (!usedLocs[j]) continue;
        const content = lines.flatMap((l, li) => (chosen[li]![j]! > 0 ? [{ lineId: l.lineId, qty: chosen[li]![j]! }] : []));
        cost += shipmentCost(inp, p, allowed[j]!, content, quote(allowed[j]!, content));
        prio += allowed[j]!.priority;
        codes.push(allowed[j]!.code);
      }
      if (cost === Infinity) return;
      const cand = { units, cost, ships, prio, codes, vecs: chosen.map((v) => [...v]) };
      if (better(cand, found.best)) found.best = cand;
      return;
    }
    for (const vec of options[i]!) {
      for (let j = 0; j < vec.length; j++) if (vec[j]! > 0 && openCount[j]!++ === 0) open++;
      if (open <= maxShip) {
        chosen.push(vec);
        rec(i + 1);
        chosen.pop();
      }
      for (let j = 0; j < vec.length; j++) if (vec[j]! > 0 && --openCount[j]! === 0) open--;
    }
  };
  rec(0);
  const b = found.best;
  const alloc = new Map<string, Map<string, number>>();
  if (b !== null) {
    b.vecs.forEach((vec, li) =>
      vec.forEach((v, j) => {
        if (v === 0) return;
        const id = allowed[j]!.locationId;
        if (!alloc.has(id)) alloc.set(id, new Map());
        alloc.get(id)!.set(lines[li]!.lineId, v);
      }),
    );
  }
  return { units: b?.units ?? 0, cost: b?.cost ?? 0, alloc };
}

/** The instance with every profile set to one search level. */
export function withSearch(inp: RoutingInput, search: SearchLevel): RoutingInput {
  return { ...inp, profiles: inp.profiles.map((p) => ({ ...p, search })) };
}
