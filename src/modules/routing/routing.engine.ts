import type { AllocationOrder, AllocationPlan, AllocationRequest, AllocationStrategy, DemandLine } from '../../domain/allocation/allocation.ts';
import { haversineKm, locate, type GeoIndex } from '../../domain/geo/index.ts';
import { compareCodeThenId, route, reroute, type CandidateLocation, type CostComponents, type FutureValue, type RoutingDecision, type RoutingProfile } from '../../domain/routing/index.ts';
import { DEFAULT_CROSSBORDER_FX, DEFAULT_CROSSBORDER_RULES, type CrossBorderRules, type Incoterm } from '../../domain/landed-cost/index.ts';
import type { FxTable } from '../../domain/money/index.ts';
import type { CompiledLane, RateTable } from '../../domain/carrier/index.ts';
import { DEFAULT_PROMISE_DAYS, makeShipmentQuoter, type CachedPromise, type QuoteLocation } from '../../domain/decision/shipment-quote.ts';
import { locationCalendar, type Location } from '../locations/locations.service.ts';

const EMPTY_STOCK: ReadonlyMap<string, number> = new Map();

/** The default future value of stock: none. */
export const NO_FUTURE_VALUE: FutureValue = () => 0;

/** What a strategy needs from the batch it runs in. */
export interface StrategyEnv {
  readonly locations: readonly Location[];
  readonly now: Date;
  /** orders each location can still take today (daily capacity less what it already took) */
  readonly capacityLeft: Map<string, number>;
  readonly profiles: readonly RoutingProfile[];
}

export interface RoutingReference {
  rateTables: readonly RateTable[];
  geo: GeoIndex;
  crossBorder: { rules: CrossBorderRules; fx: FxTable; incoterm: Incoterm; iossNumber?: string };
  promiseDays?: Readonly<Record<string, number>>;
}

export const defaultCrossBorder = (): RoutingReference['crossBorder'] => ({ rules: DEFAULT_CROSSBORDER_RULES, fx: DEFAULT_CROSSBORDER_FX, incoterm: 'DDP' });

function quoteLocation(l: Location): QuoteLocation {
  return {
    id: l.id, code: l.code, country: l.country, postcode: l.postcode, timeZone: l.timeZone, cutoff: l.cutoffTime, handlingDays: l.handlingDays,
    calendar: locationCalendar(l),
  };
}

/**
 * Routes orders with the decision engine (pure domain) given the network, stock and reference data: the
 * allocation strategy of capture and back-order filling, plus preview and re-route.
 */
export class RoutingEngine {
  /** the future value of stock seam (forecasting fills it); routing runs in worker threads only while it is the default */
  futureValue: FutureValue = NO_FUTURE_VALUE;
  readonly #promiseCache = new Map<string, CachedPromise>();
  readonly #laneCache = new Map<string, Map<string, CompiledLane[]>>();
  /** one QuoteLocation per Location object: the promise engine caches compiled calendars per object */
  readonly #quoteLocations = new WeakMap<Location, QuoteLocation>();
  #quoteLocation(l: Location): QuoteLocation {
    let q = this.#quoteLocations.get(l);
    if (!q) this.#quoteLocations.set(l, (q = quoteLocation(l)));
    return q;
  }
  constructor(readonly reference: RoutingReference) {}

  /** The network in the router's canonical order (code, then id), sorted once per list: route() then skips its sort. */
  readonly #sorted = new WeakMap<readonly Location[], readonly Location[]>();
  #canonical(locations: readonly Location[]): readonly Location[] {
    let s = this.#sorted.get(locations);
    if (!s) {
      s = [...locations].sort((a, b) => compareCodeThenId(a.code, a.id, b.code, b.id));
      this.#sorted.set(locations, s);
    }
    return s;
  }

  /** Per network list: its QuoteLocations by id, and distances to each destination centroid met (both per order otherwise). */
  readonly #perNetwork = new WeakMap<readonly Location[], { quoteLocations: Map<string, QuoteLocation>; distances: WeakMap<object, Array<number | null>> }>();
  #network(locations: readonly Location[]) {
    let n = this.#perNetwork.get(locations);
    if (!n) this.#perNetwork.set(locations, (n = { quoteLocations: new Map(locations.map((l) => [l.id, this.#quoteLocation(l)])), distances: new WeakMap() }));
    return n;
  }

  /** Builds the routing input for one order and decides. */
  decide(env: StrategyEnv, req: AllocationRequest, rejected?: { previous: RoutingDecision; locationId: string; lines: Array<{ lineId: string; qty: number }> }): RoutingDecision {
    const { order, lines, candidates } = req;
    const available = new Map(candidates.map((c) => [c.locationId, c]));
    const dest = locate(this.reference.geo, { country: order.destination.country, postcode: order.destination.postcode ?? null });
    const network = this.#network(env.locations);
    const canonical = this.#canonical(env.locations);
    // centroids are shared objects of the geo index, so distances are kept per centroid
    let km = dest ? network.distances.get(dest) : undefined;
    if (dest && !km) network.distances.set(dest, (km = canonical.map((l) => (l.lat !== null && l.lon !== null ? Math.round(haversineKm(dest, { lat: l.lat, lon: l.lon })) : null))));
    const routingCandidates: CandidateLocation[] = canonical.map((l, i) => {
      const c = available.get(l.id);
      return {
        locationId: l.id,
        code: l.code,
        type: l.type,
        active: l.active,
        feedsChannel: !!c,
        country: l.country,
        tags: l.tags,
        priority: l.priority,
        distanceKm: km ? km[i]! : null,
        remainingCapacity: l.dailyCapacity === null ? Number.MAX_SAFE_INTEGER : (env.capacityLeft.get(l.id) ?? l.dailyCapacity),
        handlingCostMinor: l.handlingCostMinor,
        available: c ? c.available : EMPTY_STOCK,
      };
    });
    const quoter = makeShipmentQuoter(
      {
        now: env.now.toISOString(),
        rateTables: this.reference.rateTables,
        locations: network.quoteLocations,
        promiseCache: this.#promiseCache,
        laneCache: this.#laneCache,
        crossBorder: this.reference.crossBorder,
        promiseDays: this.reference.promiseDays ?? DEFAULT_PROMISE_DAYS,
      },
      {
        destination: order.destination,
        serviceLevel: order.serviceLevel,
        currency: order.currency,
        requestedDeliveryDate: order.requestedDeliveryDate ?? null,
        lines: lines.map((l) => ({
          lineId: l.lineId, unitWeightGrams: l.unitWeightGrams, lengthMm: l.lengthMm ?? 0, widthMm: l.widthMm ?? 0, heightMm: l.heightMm ?? 0,
          unitValueMinor: l.unitValueMinor, hsCode: l.hsCode ?? null, countryOfOrigin: l.countryOfOrigin ?? null,
        })),
      },
    );
    const input = {
      order: routingOrder(order, lines),
      candidates: routingCandidates,
      profiles: env.profiles,
      quote: quoter,
      // the default (none) is left out: the instance then skips a call per line and location
      futureValue: this.futureValue === NO_FUTURE_VALUE ? undefined : this.futureValue,
    };
    return rejected ? reroute(input, rejected.previous, { locationId: rejected.locationId, lines: rejected.lines }) : route(input);
  }

  /** An allocation strategy bound to one batch (capacity is counted down as orders are routed). */
  strategy(env: StrategyEnv): AllocationStrategy {
    return {
      name: 'routing',
      allocate: (req: AllocationRequest): AllocationPlan => {
        const d = this.decide(env, req);
        for (const s of d.shipments) env.capacityLeft.set(s.locationId, (env.capacityLeft.get(s.locationId) ?? Number.MAX_SAFE_INTEGER) - 1);
        return {
          assignments: d.shipments.flatMap((s) => s.lines.map((l) => ({ lineId: l.lineId, locationId: s.locationId, qty: l.qty }))),
          decision: storedDecision(d),
          ...(d.outcome === 'hold' ? { hold: `routing:${d.profile.id}` } : {}),
        };
      },
    };
  }
}

export function routingOrder(order: AllocationOrder, lines: readonly DemandLine[]) {
  return {
    channel: order.channelCode,
    destination: order.destination,
    serviceLevel: order.serviceLevel,
    orderValueMinor: order.orderValueMinor,
    currency: order.currency,
    tags: order.tags,
    ...(order.requestedDeliveryDate ? { requestedDeliveryDate: order.requestedDeliveryDate } : {}),
    lines: lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, qty: l.qty, unitWeightGrams: l.unitWeightGrams, unitValueMinor: l.unitValueMinor, hazmat: l.hazmat })),
  };
}

/**
 * The order's promise from its shipments: it ships when the first shipment must leave, and arrives (window)
 * when the last one does.
 */
export function orderPromise(d: { shipments: ReadonlyArray<{ quote: RoutingDecision['shipments'][number]['quote'] }> }): { shipBy: string; deliveryDate: string; window: { earliest: string; latest: string } } | null {
  const q = d.shipments.map((s) => s.quote as RoutingDecision['shipments'][number]['quote'] & { deliveryLatest?: string });
  if (q.length === 0 || q.some((x) => !x.deliveryDate || !x.shipBy)) return null;
  const max = (xs: string[]) => xs.reduce((a, b) => (a > b ? a : b));
  const earliest = max(q.map((x) => x.deliveryDate!));
  return {
    shipBy: q.map((x) => x.shipBy!).reduce((a, b) => (a < b ? a : b)),
    deliveryDate: earliest,
    window: { earliest, latest: max(q.map((x) => x.deliveryLatest ?? x.deliveryDate!)) },
  };
}

/**
 * Cost components without the zero ones, in their canonical order. Field by field: a loop over the keys would
 * be a megamorphic keyed load per key, which costs most when other code has disturbed V8's shared lookup cache.
 */
function nonZero(c: CostComponents): Partial<CostComponents>;
function nonZero(c: CostComponents | null | undefined): Partial<CostComponents> | null | undefined;
function nonZero(c: CostComponents | null | undefined): Partial<CostComponents> | null | undefined {
  if (!c) return c;
  const o: Partial<CostComponents> = {};
  if (c.carrier !== 0) o.carrier = c.carrier;
  if (c.handling !== 0) o.handling = c.handling;
  if (c.splitPenalty !== 0) o.splitPenalty = c.splitPenalty;
  if (c.landed !== 0) o.landed = c.landed;
  if (c.lateness !== 0) o.lateness = c.lateness;
  if (c.futureValue !== 0) o.futureValue = c.futureValue;
  if (c.distance !== 0) o.distance = c.distance;
  if (c.preference !== 0) o.preference = c.preference;
  return o;
}

/**
 * What is stored with the order (one per routed order, so size matters at thousands of orders a second): the
 * decision with zero cost components left out, candidates by code, and the constant tie rule and search
 * statistics dropped. Nothing that explains the choice is lost.
 */
export function compactDecision(d: RoutingDecision) {
  const { head, trailing } = decisionParts(d);
  return {
    ...head,
    shipments: d.shipments.map((s) => ({ locationId: s.locationId, code: s.code, lines: s.lines, quote: s.quote, costMinor: s.costMinor })),
    promise: orderPromise(d),
    unallocated: d.unallocated,
    candidates: d.candidates.map((c) =>
      c.excluded
        ? { code: c.code, excluded: c.excluded }
        : { code: c.code, chosen: c.chosen, ...(c.score ? { score: { ...c.score, components: nonZero(c.score.components) } } : {}) },
    ),
    ...trailing,
  };
}

/** What the stored and the API decision share: all but the shipments, the promise, `unallocated` and the candidate reports. */
function decisionParts(d: RoutingDecision) {
  const head = {
    outcome: d.outcome,
    profile: { id: d.profile.id, version: d.profile.version },
    method: d.method,
    explanation: d.explanation,
    totalCostMinor: d.totalCostMinor,
    costComponents: nonZero(d.costComponents),
    units: d.units,
  };
  return {
    head,
    trailing: { ...(d.profileTrail.length ? { profileTrail: d.profileTrail } : {}), ...(d.reroute ? { reroute: d.reroute } : {}) },
  };
}

/** The index of a service code in a decision's `svc` list, added on first use. */
function serviceIndex(svc: Map<string, number>, code: string): number {
  let i = svc.get(code);
  if (i === undefined) svc.set(code, (i = svc.size));
  return i;
}

type ApiDecision = ReturnType<typeof compactDecision>;
type ApiCandidate = ApiDecision['candidates'][number];

/** Cost component order of a packed candidate (see storedDecision). */
const PACKED_COMPONENTS = ['carrier', 'handling', 'splitPenalty', 'landed', 'lateness', 'futureValue', 'distance', 'preference'] as const;

/**
 * Packs one candidate report for storage: `[code, 'x', rule, detail]` when excluded, else `[code, chosen 0|1,
 * basis 'c'|'s', lines, units, costMinor, components, service, transitDays, lateDays, vsChosenMinor,
 * ineligibleLines]`, components as an array in PACKED_COMPONENTS order, absent fields as null, trailing nulls
 * and zeros dropped. `service` is an index into the decision's `svc` list (format 2) or the code itself (1).
 */
function packCandidate(c: RoutingDecision['candidates'][number], svc: Map<string, number>): unknown[] {
  if (c.excluded) return [c.code, 'x', c.excluded.rule, c.excluded.detail];
  const s = c.score;
  if (!s) return [c.code, c.chosen ? 1 : 0];
  let comps: number[] | null = null;
  if (s.components) {
    const k = s.components; // field by field, in PACKED_COMPONENTS order (see nonZero)
    comps = [k.carrier, k.handling, k.splitPenalty, k.landed, k.lateness, k.futureValue, k.distance, k.preference];
    while (comps.length > 0 && comps[comps.length - 1] === 0) comps.pop();
  }
  const service = s.serviceCode !== undefined && s.serviceCode !== null ? serviceIndex(svc, s.serviceCode) : null;
  const out: unknown[] = [
    c.code, c.chosen ? 1 : 0, s.basis === 'chosen_plan' ? 'c' : 's', s.lines, s.units, s.costMinor, comps,
    service, s.transitDays ?? null, s.lateDays ?? null, s.vsChosenMinor ?? null, s.ineligibleLines ?? null,
  ];
  while (out.length > 7 && out[out.length - 1] === null) out.pop();
  return out;
}

/** A shipment quote's fields in their packed order (see packQuote). */
const QUOTE_FIELDS = ['serviceCode', 'carrierCostMinor', 'landedCostMinor', 'transitDays', 'lateDays', 'shipBy', 'deliveryDate', 'deliveryLatest', 'crossBorder'] as const;

/**
 * A quote as an array of QUOTE_FIELDS values (the service code as an index into `svc`; absent fields null,
 * trailing ones dropped), or the object itself when it has a field outside that list or a null value.
 */
function packQuote(q: object, svc: Map<string, number>): unknown {
  const rec = q as Record<string, unknown>;
  for (const k in rec) if (!(QUOTE_FIELDS as readonly string[]).includes(k) || rec[k] === null) return q;
  const out: unknown[] = QUOTE_FIELDS.map((k) => rec[k] ?? null);
  if (typeof out[0] === 'string') out[0] = serviceIndex(svc, out[0]);
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

function unpackQuote(p: unknown, svc: readonly string[]): unknown {
  if (!Array.isArray(p)) return p;
  const q: Record<string, unknown> = {};
  p.forEach((v, i) => {
    if (v !== null) q[QUOTE_FIELDS[i]!] = i === 0 && typeof v === 'number' ? svc[v] : v;
  });
  return q;
}

function unpackCandidate(p: unknown[], svc: readonly string[] | null): ApiCandidate {
  const code = p[0] as string;
  if (p[1] === 'x') return { code, excluded: { rule: p[2], detail: p[3] } } as ApiCandidate;
  const chosen = p[1] === 1;
  if (p.length === 2) return { code, chosen } as ApiCandidate;
  const comps = p[6] as number[] | null;
  let components: Record<string, number> | null = null;
  if (comps) {
    components = {};
    comps.forEach((v, i) => {
      if (v !== 0) components![PACKED_COMPONENTS[i]!] = v;
    });
  }
  const score: Record<string, unknown> = { basis: p[2] === 'c' ? 'chosen_plan' : 'single_location', lines: p[3], units: p[4], costMinor: p[5], components };
  const optional = ['serviceCode', 'transitDays', 'lateDays', 'vsChosenMinor', 'ineligibleLines'] as const;
  optional.forEach((k, i) => {
    let v = p[7 + i];
    if (k === 'serviceCode' && svc && typeof v === 'number') v = svc[v];
    if (v !== undefined && v !== null) score[k] = v;
  });
  return { code, chosen, score } as unknown as ApiCandidate;
}

/**
 * The decision as stored with the order (an `order.routed` audit event, thousands a second at capture), format
 * 2: the API form (compactDecision) with candidate reports packed as arrays and their service codes listed once
 * (`svc`), shipment lines as `[lineId, qty]` (the SKU is the order line's), and the order's promise left out
 * (it is derived from the shipments' quotes). About 2.7x smaller than the API form (~1.3 kB of JSON for a
 * 3-line order over 10 locations). readStoredDecision gives the API form back.
 */
export function storedDecision(d: RoutingDecision) {
  const { head } = decisionParts(d);
  const svc = new Map<string, number>();
  const cands = d.candidates.map((c) => packCandidate(c, svc));
  const shipments = d.shipments.map((s) => ({ locationId: s.locationId, code: s.code, lines: s.lines.map((l) => [l.lineId, l.qty]), quote: packQuote(s.quote, svc), costMinor: s.costMinor }));
  // one literal, not spreads of head and trailing (an object spread copies key by key)
  const out: Record<string, unknown> = {
    v: 2,
    outcome: head.outcome,
    profile: head.profile,
    method: head.method,
    explanation: head.explanation,
    totalCostMinor: head.totalCostMinor,
    costComponents: head.costComponents,
    units: head.units,
    shipments,
    unallocated: d.unallocated,
    svc: [...svc.keys()],
    cands,
  };
  if (d.profileTrail.length) out.profileTrail = d.profileTrail;
  if (d.reroute) out.reroute = d.reroute;
  return out;
}

/**
 * The API form of a stored decision, any format: 2 (see storedDecision), 1 (candidates packed, service codes
 * inline, full shipment lines and the promise stored) or the API form itself (decisions stored before packing,
 * returned as they are). `skuOfLine` gives format 2's shipment lines their SKU ids back (lines of the order).
 */
export function readStoredDecision<T>(stored: T, skuOfLine?: ReadonlyMap<string, string>): T {
  const s = stored as { cands?: unknown[][] } | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.cands)) return stored;
  const { cands, v, svc, shipments, ...rest } = s as { cands: unknown[][]; v?: number; svc?: string[]; shipments: any[] } & Record<string, unknown>;
  if (v !== 2) return { ...rest, shipments, candidates: cands.map((c) => unpackCandidate(c, null)) } as T;
  const ships = shipments.map((sh) => ({
    ...sh,
    quote: unpackQuote(sh.quote, svc ?? []),
    lines: (sh.lines as Array<[string, number]>).map(([lineId, qty]) => {
      const skuId = skuOfLine?.get(lineId);
      return skuId === undefined ? { lineId, qty } : { lineId, skuId, qty };
    }),
  }));
  return { ...rest, shipments: ships, promise: orderPromise({ shipments: ships }), candidates: cands.map((c) => unpackCandidate(c, svc ?? [])) } as T;
}
