/**
 * The quote the router asks for: "ship these lines from that location to this destination — which carrier
 * service, what does it cost, when does it arrive, and what does the border cost the merchant?" It joins
 * carrier rating (cheapest service that meets the level), the promise calendar (cut-off, handling, holidays,
 * carrier days) and landed cost (duty and VAT the merchant bears under DDP). Pure: `now` and every table
 * come in as data; compiled lanes are cached per quoter.
 */
import { cheapestLane, compileLane, PackedParcel, parcelFor, type CompiledLane, type RateTable, type ServiceLevel } from '../carrier/index.ts';
import { promise, addCalendarDays, toEpochDay, type BusinessCalendar, type Weekday as PromiseWeekday } from '../promise/index.ts';
import { landedCost, type CrossBorderRules, type Incoterm } from '../landed-cost/index.ts';
import { convert, type FxTable } from '../money/index.ts';
import type { QuoteShipment, ShipmentQuote } from '../routing/index.ts';

export interface QuoteLocation {
  id: string;
  code: string;
  country: string;
  postcode: string | null;
  timeZone: string;
  cutoff: string;
  handlingDays: number;
  calendar: BusinessCalendar;
}

export interface QuoteLine {
  lineId: string;
  unitWeightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  unitValueMinor: number;
  hsCode: string | null;
  countryOfOrigin: string | null;
}

export interface QuoteContext {
  /** ISO instant: the order's capture time */
  now: string;
  rateTables: readonly RateTable[];
  locations: ReadonlyMap<string, QuoteLocation>;
  crossBorder: { rules: CrossBorderRules; fx: FxTable; incoterm: Incoterm; iossNumber?: string };
  /** calendar days from order date to the promised delivery per service level (lateness is measured against it) */
  promiseDays: Readonly<Record<string, number>>;
  /**
   * Promise results shared across orders: ship-by and delivery depend on the location, the service and the
   * minute, not on the parcel, so a busy capture computes each once a minute instead of once per quote.
   */
  promiseCache?: Map<string, CachedPromise>;
  /** compiled lanes shared across orders, by origin location id, then destination (`country|postcode`) */
  laneCache?: Map<string, Map<string, CompiledLane[]>>;
}

/**
 * A promise as the quoter keeps it: dates, and the delivery date as a day number (lateness is a subtraction).
 * A class, like `PackedParcel`, so that every quote reads it through one hidden class.
 */
export class CachedPromise {
  constructor(
    readonly shipBy: string,
    readonly deliveryDate: string,
    readonly latest: string,
    readonly deliveryDay: number,
  ) {}
}

export interface QuoteOrder {
  destination: { country: string; postcode?: string };
  serviceLevel: string;
  currency: string;
  requestedDeliveryDate?: string | null;
  lines: readonly QuoteLine[];
}

/** Parcel carriers take up to ~30 kg per box; heavier shipments are split into boxes of this much. */
export const MAX_PARCEL_GRAMS = 20_000;

export const DEFAULT_PROMISE_DAYS: Readonly<Record<string, number>> = Object.freeze({ standard: 7, express: 3, next_day: 1 });

const PROMISE_WEEKDAYS: readonly PromiseWeekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const toPromiseDays = (days: readonly number[]) => days.map((d) => PROMISE_WEEKDAYS[d - 1]!);


/** A promise kept on the lane it was computed for, with the minute it holds for. */
interface LanePromise {
  minute: string;
  promise: CachedPromise;
}
const lanePromises = new WeakMap<CompiledLane, LanePromise>();

const serviceCodes = new WeakMap<RateTable, string>();
/** `carrier:service` of a rate table, built once per table (a quote would otherwise build the string each time). */
function serviceCodeOf(t: RateTable): string {
  let c = serviceCodes.get(t);
  if (c === undefined) serviceCodes.set(t, (c = `${t.carrier}:${t.serviceCode}`));
  return c;
}

/** An order line as the packer needs it, defaults applied once per order. */
interface PackUnitLine {
  readonly line: QuoteLine;
  readonly pack: { unitWeightGrams: number; lengthMm: number; widthMm: number; heightMm: number; qty: number };
}

/**
 * The quote function's state for one order. A class rather than closures: under the TypeScript loader every
 * named closure is re-labelled each time it is created, which cost more than a routing decision's quotes.
 */
class OrderQuoter {
  readonly #lanes = new Map<string, CompiledLane[]>();
  readonly why = new Map<string, string>();
  readonly #level: ServiceLevel;
  readonly #lineById: Map<string, PackUnitLine>;
  readonly #today: string;
  readonly #minute: string;
  readonly #targetDay: number;
  readonly #destKey: string;
  readonly #shopOpts: { serviceLevel: ServiceLevel };

  constructor(
    private readonly ctx: QuoteContext,
    private readonly order: QuoteOrder,
  ) {
    this.#level = (['standard', 'express', 'next_day'].includes(order.serviceLevel) ? order.serviceLevel : 'standard') as ServiceLevel;
    this.#lineById = new Map<string, PackUnitLine>(
      order.lines.map((line) => [line.lineId, { line, pack: { unitWeightGrams: line.unitWeightGrams, lengthMm: line.lengthMm || 100, widthMm: line.widthMm || 100, heightMm: line.heightMm || 50, qty: 0 } }]),
    );
    this.#today = ctx.now.slice(0, 10);
    this.#minute = ctx.now.slice(0, 16);
    this.#targetDay = toEpochDay(order.requestedDeliveryDate ?? addCalendarDays(this.#today, ctx.promiseDays[this.#level] ?? 7));
    this.#destKey = `${order.destination.country}|${order.destination.postcode ?? ''}`;
    this.#shopOpts = { serviceLevel: this.#level };
  }

  #lanesFor(loc: QuoteLocation): CompiledLane[] {
    const { ctx, order } = this;
    let l = this.#lanes.get(loc.id);
    if (l) return l;
    // shared across orders: by origin location, then destination (nested, so no key string per location)
    let byDest = ctx.laneCache?.get(loc.id);
    l = byDest?.get(this.#destKey);
    if (!l) {
      l = [];
      for (const t of ctx.rateTables) {
        const lane = compileLane(t, { country: loc.country, postcode: loc.postcode ?? '' }, { country: order.destination.country, postcode: order.destination.postcode ?? '', residential: true });
        if (lane) l.push(lane);
      }
      if (ctx.laneCache) {
        if (!byDest) ctx.laneCache.set(loc.id, (byDest = new Map()));
        if (byDest.size > 20_000) byDest.clear();
        byDest.set(this.#destKey, l);
      }
    }
    this.#lanes.set(loc.id, l);
    return l;
  }

  /** ship-by and delivery for a lane: per lane for the minute, else shared by location, service and transit */
  #promiseFor(loc: QuoteLocation, lane: CompiledLane): CachedPromise {
    const { ctx } = this;
    const minute = this.#minute;
    const onLane = lanePromises.get(lane);
    if (onLane && onLane.minute === minute && ctx.promiseCache) return onLane.promise;
    const table = lane.table;
    const key = `${loc.id}|${table.carrier}|${table.serviceCode}|${lane.transitDays}|${minute}`;
    let p = ctx.promiseCache?.get(key);
    if (!p) {
      const full = promise({
        now: ctx.now,
        location: { id: loc.id, timeZone: loc.timeZone, cutoff: loc.cutoff, handlingDays: loc.handlingDays, calendar: loc.calendar },
        service: {
          id: table.serviceCode, carrier: table.carrier, transitDays: lane.transitDays, pickupDays: toPromiseDays(table.pickupDays), deliveryDays: toPromiseDays(table.deliveryDays),
          // carriers' own on-time rates are 94–97 %: services of 3+ transit days get a one-delivery-day window
          varianceDays: lane.transitDays >= 3 ? 1 : 0,
        },
      });
      p = new CachedPromise(full.shipBy, full.deliveryDate, full.window.latest, toEpochDay(full.deliveryDate));
      if (ctx.promiseCache) {
        if (ctx.promiseCache.size > 50_000) ctx.promiseCache.clear();
        ctx.promiseCache.set(key, p);
      }
    }
    // (only with a shared cache: a quoter without one computes afresh, as callers that pass none expect)
    if (ctx.promiseCache) lanePromises.set(lane, { minute, promise: p });
    return p;
  }

  quote(locationId: string, lines: ReadonlyArray<{ lineId: string; qty: number }>): ShipmentQuote | null {
    const { ctx, order, why } = this;
    const loc = ctx.locations.get(locationId);
    if (!loc) return null;
    const content: PackUnitLine[] = [];
    const packs: PackUnitLine['pack'][] = [];
    for (const x of lines) {
      const u = this.#lineById.get(x.lineId);
      if (!u || x.qty <= 0) continue;
      u.pack.qty = x.qty;
      content.push(u);
      packs.push(u.pack);
    }
    const whole = parcelFor(packs);
    // heavy shipments go as several equal parcels of at most MAX_PARCEL_GRAMS, each rated (no LTL/pallet freight)
    const parcels = Math.max(1, Math.ceil(whole.weightGrams / MAX_PARCEL_GRAMS));
    const shrink = Math.cbrt(1 / parcels);
    const parcel = parcels === 1 ? whole : new PackedParcel(
      Math.ceil(whole.weightGrams / parcels), Math.ceil(whole.lengthMm * shrink), Math.ceil(whole.widthMm * shrink), Math.ceil(whole.heightMm * shrink),
    );
    const best = cheapestLane(this.#lanesFor(loc), parcel, this.#shopOpts);
    if (!best) {
      why.set(locationId, `no carrier service for ${this.#level} from ${loc.code} to ${order.destination.country}`);
      return null;
    }
    const { lane } = best;
    const rateCost = best.costMinor * parcels;
    let carrierCostMinor = rateCost;
    if (lane.table.currency !== order.currency) {
      try {
        carrierCostMinor = convert({ amountMinor: rateCost, currency: lane.table.currency }, order.currency, ctx.crossBorder.fx).amountMinor;
      } catch {
        why.set(locationId, `no FX rate ${lane.table.currency}->${order.currency}`);
        return null;
      }
    }
    const p = this.#promiseFor(loc, lane);
    let landedCostMinor = 0;
    let border: Record<string, unknown> | undefined;
    if (loc.country !== order.destination.country) {
      try {
        const lc = landedCost({
          date: this.#today,
          originCountry: loc.country,
          destinationCountry: order.destination.country,
          incoterm: ctx.crossBorder.incoterm,
          currency: order.currency,
          lines: content.map(({ line, pack }) => ({ hsCode: line.hsCode ?? '', originCountry: line.countryOfOrigin ?? loc.country, unitValueMinor: line.unitValueMinor, qty: pack.qty })),
          shippingMinor: carrierCostMinor,
          rules: ctx.crossBorder.rules,
          fx: ctx.crossBorder.fx,
          breakdown: false, // the quote carries amounts and customs data only
          ...(ctx.crossBorder.iossNumber ? { sellerIossNumber: ctx.crossBorder.iossNumber } : {}),
        });
        landedCostMinor = lc.merchantBorneMinor;
        // what the shipment needs at the border: customs data, and who pays what
        border = {
          regime: lc.regime, incoterm: ctx.crossBorder.incoterm, dutyMinor: lc.dutyMinor, vatMinor: lc.vatMinor, feesMinor: lc.feesMinor,
          collectedAtCheckoutMinor: lc.collectedAtCheckoutMinor, payableAtDoorMinor: lc.payableAtDoorMinor, customs: lc.customs,
        };
      } catch (err) {
        // no duty rule for a line, unsupported destination: cross-border from here cannot be costed, so not used
        why.set(locationId, `landed cost unknown: ${(err as Error).message}`);
        return null;
      }
    }
    const out: ShipmentQuote & { deliveryLatest: string; crossBorder?: Record<string, unknown> } = {
      serviceCode: serviceCodeOf(lane.table),
      carrierCostMinor,
      landedCostMinor,
      transitDays: lane.transitDays,
      lateDays: Math.max(0, p.deliveryDay - this.#targetDay),
      shipBy: p.shipBy,
      deliveryDate: p.deliveryDate,
      deliveryLatest: p.latest,
    };
    if (border) out.crossBorder = border;
    return out;
  }

  explain(locationId: string): string | null {
    return this.why.get(locationId) ?? null;
  }
}

/** Builds the router's quote function for one order. */
export function makeShipmentQuoter(ctx: QuoteContext, order: QuoteOrder): QuoteShipment & { explain(locationId: string): string | null } {
  const q = new OrderQuoter(ctx, order);
  return Object.assign(q.quote.bind(q), { explain: q.explain.bind(q) });
}
