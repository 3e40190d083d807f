/**
 * One routing problem, compiled: hard constraints applied (each exclusion recorded), then everything the
 * searches touch in their inner loops precomputed into typed arrays indexed by (line, location), so the
 * searches do no string lookups and no allocation per move. Location indices follow the canonical order
 * (code, then id), which makes every decision independent of the order candidates arrive in.
 */
import type { Arena } from './arena.ts';
import type {
  CandidateLocation,
  ExclusionRule,
  FutureValue,
  RoutingLine,
  RoutingOrder,
  RoutingProfile,
  ShipmentQuote,
  QuoteShipment,
} from './types.ts';

export const HAZMAT_TAG = 'hazmat-licensed';
export const SECURE_TAG = 'secure';

/** A quote priced with the profile's weights. cost = carrier + landed + lateness (Infinity = cannot ship). */
export interface QuoteEntry {
  readonly quote: ShipmentQuote | null;
  readonly cost: number;
  readonly carrier: number;
  readonly landed: number;
  readonly lateness: number;
}

/**
 * The raw quotes of one decision, shared by every profile tried (a quote does not depend on the profile), in
 * one map keyed by candidate (canonical index) and content (see `quoteKey`): a number when it fits a small
 * integer (mask x candidates + candidate: unique), otherwise `candidate|content` (content strings hold ':', masks do
 * not, so the two never collide). One map per decision instead of one per candidate: fewer allocations.
 */
export class QuoteBook {
  /** quote callbacks made */
  calls = 0;
  /**
   * distinct contents asked for, whether quoted or only reserved (see `reserveQuote`): the searches' quote
   * budgets count this, so skipping a quote that a bound makes useless does not change what they do next
   */
  asked = 0;
  readonly cache = new Map<number | string, ShipmentQuote | null | typeof PENDING>();
  constructor(
    readonly quote: QuoteShipment,
    readonly candidates: number,
  ) {}

  /** The cache key of content `key` (see `contentKey`) at candidate c. */
  keyOf(c: number, key: number | string): number | string {
    if (typeof key === 'number') {
      const k = key * this.candidates + c;
      if (k <= 0x3fffffff) return k;
    }
    return `${c}|${key}`;
  }
}

/** Cache value of a content counted as asked but not quoted yet. */
const PENDING: unique symbol = Symbol('pending');

export interface CandidateVerdict {
  readonly candidate: CandidateLocation;
  readonly excluded: null | { rule: ExclusionRule; detail: string };
  /** index into Instance.locs, -1 when excluded */
  readonly index: number;
}

export interface Instance {
  readonly order: RoutingOrder;
  readonly profile: RoutingProfile;
  /** lines with qty > 0, in order sequence */
  readonly lines: readonly RoutingLine[];
  readonly n: number;
  /** allowed locations, canonical order */
  readonly locs: readonly CandidateLocation[];
  readonly m: number;
  /** every candidate, canonical order */
  readonly verdicts: readonly CandidateVerdict[];
  readonly qty: Int32Array;
  readonly skuOf: Int32Array;
  readonly nSku: number;
  /** [L * nSku + sku] units available */
  readonly avail: Int32Array;
  /** [i * m + L] 1 when line i may be shipped from L (stock > 0, hazmat rule) */
  readonly elig: Uint8Array;
  /** [i * m + L] min(qty, available) where eligible, else 0: the quantity a line takes at L when nothing else competes */
  readonly defQty: Int32Array;
  /** [i * m + L] weighted future value per unit */
  readonly fvUnit: Int32Array;
  readonly handling: Int32Array;
  readonly distancePenalty: Int32Array;
  readonly preferencePenalty: Int32Array;
  /** handling + distance + preference: the cost of opening a shipment at L, before its quote */
  readonly fixed: Int32Array;
  readonly priority: Float64Array;
  /** weighted penalty per shipment beyond `freeShipments` */
  readonly split: number;
  /** shipments that carry no split penalty: 1, or 0 when re-routing next to shipments that already exist */
  readonly freeShipments: number;
  readonly maxShipments: number;
  /** line may be split across locations (allowed by profile and no single location holds it all) */
  readonly splittable: Uint8Array;
  /** another line has the same SKU (they compete for the same stock) */
  readonly sharedSku: Uint8Array;
  readonly anySharedSku: boolean;
  /** the most units line i can get on its own (upper bound) */
  readonly maxUnits: Int32Array;
  /** grams per unit of each line (1 kg when unknown): the size measure of the heuristic's cost estimates */
  readonly unitSize: Float64Array;
  readonly totalUnits: number;
  /** weighted lateness penalty per late day for the order's service level */
  readonly latePerDay: number;
  /** every quote cost is >= 0 (non-negative weights), so fixed + future value bound a shipment's cost */
  readonly quoteNonNegative: boolean;
  readonly book: QuoteBook;
  /** canonical candidate index of each allowed location */
  readonly candIndex: Int32Array;
  readonly arena: Arena;
  readonly prep: Prepared;
  /** what each location could ship alone (see `singlePlans`), computed on first use */
  singles: Singles | null;
}

/** Per location: shipping alone all it can (units first): units, lines, future value, quote, total cost. */
export interface Singles {
  readonly units: Int32Array;
  readonly lines: Int32Array;
  readonly futureValue: Int32Array;
  /** total size (grams) of the content */
  readonly size: Float64Array;
  readonly quotes: Array<ShipmentQuote | null>;
  /** Infinity = cannot be quoted */
  readonly cost: Float64Array;
}

export interface InstanceOptions {
  /** location ids excluded with 'rejected_by_location' */
  rejected?: ReadonlySet<string>;
  /** shipments of this order that already exist (re-routing) */
  existingShipments?: number;
}

/** pos[k] = position of candidates[k] in the canonical order: code, then location id. */
function canonicalPositions(cands: readonly CandidateLocation[], arena: Arena): Int32Array {
  const C = cands.length;
  const order = arena.i32(C);
  for (let k = 0; k < C; k++) order[k] = k;
  let sorted = true;
  for (let k = 1; k < C && sorted; k++) if (compareCandidates(cands[k - 1]!, cands[k]!) > 0) sorted = false;
  if (!sorted) order.sort((a, b) => compareCandidates(cands[a]!, cands[b]!));
  const pos = arena.i32(C);
  for (let r = 0; r < C; r++) pos[order[r]!] = r;
  return pos;
}

function compareCandidates(a: CandidateLocation, b: CandidateLocation): number {
  return compareCodeThenId(a.code, a.locationId, b.code, b.locationId);
}

/** The router's canonical order of locations: by code, then by id. Callers that pass candidates in it skip a sort. */
export function compareCodeThenId(aCode: string, aId: string, bCode: string, bId: string): number {
  return aCode < bCode ? -1 : aCode > bCode ? 1 : aId < bId ? -1 : aId > bId ? 1 : 0;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Units of `skuId` a candidate's `available` lists (either form), 0 when absent. hasOwnProperty first on a
 * record: a keyed read of an absent key walks the prototype chain and is ~4x slower.
 */
export function availableAt(c: CandidateLocation, skuId: string): number {
  const av = c.available;
  if (av instanceof Map) return av.get(skuId) ?? 0;
  const rec = av as Readonly<Record<string, number>>;
  return hasOwn.call(rec, skuId) ? (rec[skuId] ?? 0) : 0;
}
const units = (v: number | undefined): number => (v === undefined || !(v > 0) ? 0 : Math.floor(v));

/**
 * The profile-independent part of a decision, read from the input once: lines, SKUs, and each candidate's
 * stock of each ordered SKU as a matrix (a caller's `available` records have a different shape per location,
 * so every keyed read of them is slow; the searches never touch them).
 */
export interface Prepared {
  readonly order: RoutingOrder;
  readonly lines: readonly RoutingLine[];
  readonly n: number;
  readonly qty: Int32Array;
  readonly skuOf: Int32Array;
  readonly nSku: number;
  readonly skuIds: readonly string[];
  /** units demanded per SKU over all lines */
  readonly skuDemand: Int32Array;
  readonly sharedSku: Uint8Array;
  readonly hasHazmat: boolean;
  /** 1 for a hazmat line */
  readonly hazmat: Uint8Array;
  readonly totalUnits: number;
  /** canonical order */
  readonly cands: readonly CandidateLocation[];
  /** [c * nSku + s] */
  readonly stock: Int32Array;
  readonly licensed: Uint8Array;
  readonly secure: Uint8Array;
  readonly unitSize: Float64Array;
  /** frozen {lineId, qty} per line at its full quantity, reused in quote requests */
  readonly fullLineRefs: ReadonlyArray<{ readonly lineId: string; readonly qty: number }>;
  readonly arena: Arena;
}

/** Bytes a decision's arena should start with (it grows if needed). */
export function arenaBytes(lines: number, candidates: number): number {
  return 64 * (lines + 2) * (candidates + 2);
}

export function prepare(order: RoutingOrder, candidates: readonly CandidateLocation[], arena: Arena): Prepared {
  const lines = order.lines.filter((l) => l.qty > 0);
  const n = lines.length;
  const C = candidates.length;
  const skuIndex = new Map<string, number>();
  const skuOf = arena.i32(n);
  const qty = arena.i32(n);
  const hazmat = arena.u8(n);
  let totalUnits = 0;
  let hasHazmat = false;
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    let s = skuIndex.get(l.skuId);
    if (s === undefined) skuIndex.set(l.skuId, (s = skuIndex.size));
    skuOf[i] = s;
    qty[i] = l.qty;
    totalUnits += l.qty;
    if (l.hazmat) {
      hasHazmat = true;
      hazmat[i] = 1;
    }
  }
  const nSku = skuIndex.size;
  const skuIds = [...skuIndex.keys()];
  const skuDemand = arena.i32(nSku);
  for (let i = 0; i < n; i++) skuDemand[skuOf[i]!] += qty[i]!;
  const sharedSku = arena.u8(n);
  for (let i = 0; i < n; i++) if (skuDemand[skuOf[i]!] !== qty[i]) sharedSku[i] = 1;
  // canonical order by sorting positions; the candidates themselves are read in input order, which is the
  // order they sit in memory (reading them in sorted order measured ~2x slower on cold inputs)
  const pos = canonicalPositions(candidates, arena);
  const cands: CandidateLocation[] = new Array(C);
  const stock = arena.i32(C * nSku);
  const licensed = arena.u8(C);
  const secure = arena.u8(C);
  for (let k = 0; k < C; k++) {
    const cand = candidates[k]!;
    const c = pos[k]!;
    cands[c] = cand;
    const av = cand.available;
    if (av instanceof Map) {
      if (av.size < nSku) {
        // fewer entries than SKUs ordered: walk the entries (one pass over the map's table) instead of probing it
        const base = c * nSku;
        av.forEach((v, sku) => {
          const s = skuIndex.get(sku);
          if (s !== undefined) stock[base + s] = units(v);
        });
      } else {
        for (let s = 0; s < nSku; s++) {
          const v = av.get(skuIds[s]!);
          if (v !== undefined) stock[c * nSku + s] = units(v);
        }
      }
    } else {
      for (let s = 0; s < nSku; s++) stock[c * nSku + s] = units(availableAt(cand, skuIds[s]!));
    }
    if (cand.tags.includes(HAZMAT_TAG)) licensed[c] = 1;
    if (cand.tags.includes(SECURE_TAG)) secure[c] = 1;
  }
  const fullLineRefs = lines.map((l) => Object.freeze({ lineId: l.lineId, qty: l.qty }));
  const unitSize = arena.f64(n);
  for (let i = 0; i < n; i++) unitSize[i] = lines[i]!.unitWeightGrams > 0 ? lines[i]!.unitWeightGrams : 1000;
  return { order, lines, n, qty, skuOf, nSku, skuIds, skuDemand, sharedSku, hasHazmat, hazmat, totalUnits, cands, stock, licensed, secure, unitSize, fullLineRefs, arena };
}

type Verdict = null | { rule: ExclusionRule; detail: string };

/** The first hard constraint candidate k breaks (location level), or null. */
function locationVerdict(
  prep: Prepared,
  k: number,
  profile: RoutingProfile,
  opts: InstanceOptions,
  origins: readonly string[] | undefined,
  highValue: boolean,
): Verdict {
  const c = profile.constraints;
  const { order, lines, n, skuOf, nSku, skuIds, skuDemand, stock } = prep;
  const dest = order.destination.country;
  const L = prep.cands[k]!;
  if (opts.rejected?.has(L.locationId)) return { rule: 'rejected_by_location', detail: `${L.code} rejected this order's lines` };
  if (!L.active) return { rule: 'inactive', detail: `${L.code} is inactive` };
  if (!L.feedsChannel) return { rule: 'not_feeding_channel', detail: `${L.code} does not fulfil channel ${order.channel}` };
  if (c.excludedLocationTypes.length > 0 && c.excludedLocationTypes.includes(L.type)) {
    return { rule: 'excluded_location_type', detail: `type ${L.type} is excluded by the profile` };
  }
  for (const t of c.requiredLocationTags) {
    if (!L.tags.includes(t)) return { rule: 'missing_required_tag', detail: `${L.code} lacks required tag '${t}'` };
  }
  for (const t of c.excludedLocationTags) {
    if (L.tags.includes(t)) return { rule: 'excluded_location_tag', detail: `${L.code} has excluded tag '${t}'` };
  }
  if (origins !== undefined && !origins.includes(L.country)) {
    return { rule: 'origin_country_not_allowed', detail: `${L.country} may not ship to ${dest} (allowed: ${origins.join(', ') || 'none'})` };
  }
  if (highValue && !prep.secure[k]) {
    return { rule: 'high_value_requires_secure', detail: `order value ${order.orderValueMinor} > ${c.highValueThresholdMinor} needs a '${SECURE_TAG}' location` };
  }
  if (c.respectCapacity && !(L.remainingCapacity > 0)) return { rule: 'capacity_exhausted', detail: `${L.code} has no capacity left today` };
  if (c.maxDistanceKm !== null) {
    if (L.distanceKm === null) return { rule: 'max_distance', detail: `distance unknown, profile limit ${c.maxDistanceKm} km` };
    if (L.distanceKm > c.maxDistanceKm) return { rule: 'max_distance', detail: `${L.distanceKm} km > ${c.maxDistanceKm} km` };
  }
  const licensed = prep.licensed[k] === 1 || !c.hazmatRequiresLicense;
  let anyStock = false;
  let anyShippable = false;
  for (let i = 0; i < n; i++) {
    if (stock[k * nSku + skuOf[i]!]! > 0) {
      anyStock = true;
      if (licensed || !prep.hazmat[i]) {
        anyShippable = true;
        break;
      }
    }
  }
  if (!anyStock) return { rule: 'no_stock', detail: `${L.code} has none of the ordered SKUs` };
  if (!anyShippable) return { rule: 'hazmat_not_licensed', detail: `${L.code} only stocks hazmat lines and is not '${HAZMAT_TAG}'` };
  if (c.shipComplete) {
    for (let s = 0; s < nSku; s++) {
      const have = stock[k * nSku + s]!;
      if (have < skuDemand[s]!) return { rule: 'cannot_ship_complete', detail: `${L.code} has ${have} of ${skuDemand[s]} ${skuIds[s]}` };
    }
    if (prep.hasHazmat && !licensed) {
      return { rule: 'cannot_ship_complete', detail: `${L.code} cannot ship the hazmat lines (not '${HAZMAT_TAG}')` };
    }
  }
  return null;
}

export function buildInstance(
  prep: Prepared,
  profile: RoutingProfile,
  book: QuoteBook,
  futureValue: FutureValue | undefined,
  opts: InstanceOptions = {},
): Instance {
  const c = profile.constraints;
  const { order, lines, n, qty, skuOf, nSku, sharedSku, totalUnits, cands, stock, arena } = prep;

  // ---- hard constraints, location level --------------------------------------------------------------
  const dest = order.destination.country;
  const allowedOrigins = asMap(c.allowedOriginCountries);
  const origins = allowedOrigins.get(dest) ?? allowedOrigins.get('*');
  const highValue = c.highValueThresholdMinor !== null && order.orderValueMinor > c.highValueThresholdMinor;
  const C = cands.length;
  const verdictOf: Array<Verdict> = new Array(C);
  for (let k = 0; k < C; k++) verdictOf[k] = locationVerdict(prep, k, profile, opts, origins, highValue);

  if (c.stayInMarket) {
    let inMarket = false;
    for (let k = 0; k < C; k++) if (verdictOf[k] === null && cands[k]!.country === dest) inMarket = true;
    if (inMarket) {
      for (let k = 0; k < C; k++) {
        const L = cands[k]!;
        if (verdictOf[k] === null && L.country !== dest) {
          verdictOf[k] = { rule: 'stay_in_market', detail: `${L.country} origin while a ${dest} location can serve` };
        }
      }
    }
  }

  const locs: CandidateLocation[] = [];
  const candIndexList: number[] = [];
  const verdicts: CandidateVerdict[] = new Array(C);
  for (let k = 0; k < C; k++) {
    const excluded = verdictOf[k]!;
    let index = -1;
    if (excluded === null) {
      index = locs.push(cands[k]!) - 1;
      candIndexList.push(k);
    }
    verdicts[k] = { candidate: cands[k]!, excluded, index };
  }
  const m = locs.length;
  const candIndex = arena.i32(m);
  for (let L = 0; L < m; L++) candIndex[L] = candIndexList[L]!;

  // ---- per (line, location) arrays ----------------------------------------------------------------------
  const avail = arena.i32(m * nSku);
  for (let L = 0; L < m; L++) for (let s = 0; s < nSku; s++) avail[L * nSku + s] = stock[candIndex[L]! * nSku + s]!;
  const elig = arena.u8(n * m);
  const defQty = arena.i32(n * m);
  const fvUnit = arena.i32(n * m);
  const w = profile.weights;
  const useFv = futureValue !== undefined && w.futureValue !== 0;
  for (let L = 0; L < m; L++) {
    const licensed = !c.hazmatRequiresLicense || prep.licensed[candIndex[L]!] === 1;
    for (let i = 0; i < n; i++) {
      const a = avail[L * nSku + skuOf[i]!]!;
      if (a > 0 && (licensed || !prep.hazmat[i])) {
        elig[i * m + L] = 1;
        defQty[i * m + L] = Math.min(qty[i]!, a);
        if (useFv) fvUnit[i * m + L] = Math.round(w.futureValue * futureValue(locs[L]!.locationId, lines[i]!.skuId));
      }
    }
  }

  const splittable = arena.u8(n);
  const maxUnits = arena.i32(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let sum = 0;
    let count = 0;
    for (let L = 0; L < m; L++) {
      if (!elig[i * m + L]) continue;
      const a = avail[L * nSku + skuOf[i]!]!;
      if (a > best) best = a;
      sum += a;
      count++;
    }
    if (c.allowLineSplit && !c.shipComplete && best < qty[i]! && count >= 2) splittable[i] = 1;
    maxUnits[i] = Math.min(qty[i]!, splittable[i] ? sum : best);
  }

  // ---- per-shipment fixed costs -----------------------------------------------------------------------
  const pen = profile.penalties;
  const pref = profile.preferences;
  const handling = arena.i32(m);
  const distancePenalty = arena.i32(m);
  const preferencePenalty = arena.i32(m);
  const fixed = arena.i32(m);
  const priority = arena.f64(m);
  const bands = pen.distanceBands;
  const typePenalty = asMap(pref.locationTypePenaltyMinor);
  for (let L = 0; L < m; L++) {
    const loc = locs[L]!;
    handling[L] = Math.round(w.handling * Math.max(0, loc.handlingCostMinor));
    if (bands.length > 0) {
      const d = loc.distanceKm;
      let b = bands.length - 1;
      if (d !== null) for (let j = 0; j < bands.length; j++) if (d <= bands[j]!.maxKm) { b = j; break; }
      distancePenalty[L] = bands[b]!.penaltyMinor;
    }
    let p = 0;
    if (pref.rankedLocations.length > 0) {
      let r = pref.rankedLocations.indexOf(loc.code);
      if (r < 0) r = pref.rankedLocations.indexOf(loc.locationId);
      p += (r < 0 ? pref.rankedLocations.length : r) * pref.rankStepMinor;
    }
    if (pref.preferredLocations.length > 0 && !pref.preferredLocations.includes(loc.code) && !pref.preferredLocations.includes(loc.locationId)) {
      p += pref.preferredBonusMinor;
    }
    if (pref.locationPriorityStepMinor !== 0) p += Math.round(loc.priority * pref.locationPriorityStepMinor);
    p += typePenalty.get(loc.type) ?? 0;
    preferencePenalty[L] = p;
    fixed[L] = handling[L]! + distancePenalty[L]! + p;
    priority[L] = loc.priority;
  }
  const latenessPerDay = asMap(pen.latenessPerDayMinor);
  const perDay = latenessPerDay.get(order.serviceLevel) ?? latenessPerDay.get('*') ?? 0;

  return {
    order,
    profile,
    lines,
    n,
    locs,
    m,
    verdicts,
    qty,
    skuOf,
    nSku,
    avail,
    elig,
    defQty,
    fvUnit,
    handling,
    distancePenalty,
    preferencePenalty,
    fixed,
    priority,
    split: Math.round(w.splitPenalty * pen.splitMinor),
    freeShipments: (opts.existingShipments ?? 0) > 0 ? 0 : 1,
    maxShipments: c.shipComplete ? 1 : Math.max(1, c.maxSplits - (opts.existingShipments ?? 0)),
    splittable,
    sharedSku,
    anySharedSku: prep.nSku < n,
    maxUnits,
    unitSize: prep.unitSize,
    totalUnits,
    latePerDay: Math.round(w.lateness * perDay),
    quoteNonNegative: w.carrier >= 0 && w.landed >= 0 && Math.round(w.lateness * perDay) >= 0,
    book,
    candIndex,
    arena,
    prep,
    singles: null,
  };
}

/** Split penalty of a plan with `open` shipments. */
export function splitCost(inst: Instance, open: number): number {
  return open > inst.freeShipments ? (open - inst.freeShipments) * inst.split : 0;
}

/**
 * The raw quote for location L shipping column L of `y` ([i * m + L] = units of line i), asked at most once per
 * content per decision. The cache key is a bit mask of the lines when each takes its default quantity (the
 * common case: a number key, no string building), otherwise a string of line:qty pairs.
 */
export function rawQuote(inst: Instance, L: number, y: Int32Array): ShipmentQuote | null {
  const key = contentKey(inst, L, y);
  return lookup(inst, L, key, typeof key === 'number' ? null : y);
}

/** The cache key of column L of `y` (see `rawQuote`). */
function contentKey(inst: Instance, L: number, y: Int32Array): number | string {
  const { n, m, defQty } = inst;
  let mask = 0;
  let plain = n <= 30;
  for (let i = 0, k = L; i < n; i++, k += m) {
    const v = y[k]!;
    if (v !== 0) {
      mask |= 1 << i;
      if (v !== defQty[k]) plain = false;
    }
  }
  if (plain) return mask;
  let key = '';
  for (let i = 0, k = L; i < n; i++, k += m) if (y[k] !== 0) key += `${i}:${y[k]},`;
  return key;
}

/**
 * Counts column L of `y` as asked (book.asked) without quoting it: for a plan a bound has already ruled out,
 * so that quote budgets run exactly as if it had been priced. The quote is made if it is ever needed.
 */
export function reserveQuote(inst: Instance, L: number, y: Int32Array): void {
  const book = inst.book;
  const key = book.keyOf(inst.candIndex[L]!, contentKey(inst, L, y));
  if (!book.cache.has(key)) {
    book.cache.set(key, PENDING);
    book.asked++;
  }
}

/**
 * The raw quote for L shipping the lines in `mask`, each at its default quantity (defQty). Needs n <= 30.
 */
export function rawQuoteMask(inst: Instance, L: number, mask: number): ShipmentQuote | null {
  return lookup(inst, L, mask, null);
}

function lookup(inst: Instance, L: number, key: number | string, y: Int32Array | null): ShipmentQuote | null {
  const book = inst.book;
  const cache = book.cache;
  const bookKey = book.keyOf(inst.candIndex[L]!, key);
  let q = cache.get(bookKey);
  if (q === undefined || q === PENDING) {
    if (q === undefined) book.asked++;
    const { n, m, defQty } = inst;
    const refs = inst.prep.fullLineRefs;
    const lines: Array<{ lineId: string; qty: number }> = [];
    for (let i = 0, k = L; i < n; i++, k += m) {
      const v = y === null ? ((key as number) & (1 << i) ? defQty[k]! : 0) : y[k]!;
      if (v !== 0) lines.push(v === refs[i]!.qty ? refs[i]! : { lineId: refs[i]!.lineId, qty: v });
    }
    book.calls++;
    q = book.quote(inst.locs[L]!.locationId, lines);
    if (q !== null && !(Number.isFinite(q.carrierCostMinor) && Number.isFinite(q.landedCostMinor) && Number.isFinite(q.lateDays))) q = null;
    cache.set(bookKey, q);
  }
  return q;
}

/** Weighted carrier + landed + lateness cost of a quote; Infinity when it cannot ship. */
export function quoteCost(inst: Instance, q: ShipmentQuote | null): number {
  if (q === null) return Infinity;
  const w = inst.profile.weights;
  return (
    Math.round(w.carrier * Math.max(0, q.carrierCostMinor)) +
    Math.round(w.landed * Math.max(0, q.landedCostMinor)) +
    inst.latePerDay * Math.max(0, Math.ceil(q.lateDays))
  );
}

export function quoteAt(inst: Instance, L: number, y: Int32Array): QuoteEntry {
  const q = rawQuote(inst, L, y);
  if (q === null) return { quote: null, cost: Infinity, carrier: 0, landed: 0, lateness: 0 };
  const w = inst.profile.weights;
  const carrier = Math.round(w.carrier * Math.max(0, q.carrierCostMinor));
  const landed = Math.round(w.landed * Math.max(0, q.landedCostMinor));
  const lateness = inst.latePerDay * Math.max(0, Math.ceil(q.lateDays));
  return { quote: q, cost: carrier + landed + lateness, carrier, landed, lateness };
}

const recordMaps = new WeakMap<object, ReadonlyMap<string, unknown>>();
/**
 * A profile's record (origins allowed per destination, penalty per location type, lateness per service level)
 * as a Map, built once per record: `record[key]` with a key that varies per call is a megamorphic keyed load in
 * V8, slow whenever other code has disturbed its shared lookup cache. Profiles are immutable values (a change is
 * a new version, a new object).
 */
function asMap<T>(record: Readonly<Record<string, T>>): ReadonlyMap<string, T> {
  let m = recordMaps.get(record) as ReadonlyMap<string, T> | undefined;
  if (!m) recordMaps.set(record, (m = new Map(Object.entries(record))));
  return m;
}
