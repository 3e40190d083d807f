/**
 * The quote the router asks for: "ship these lines from that location to this destination — which carrier
 * service, what does it cost, when does it arrive, and what does the border cost the merchant?" It joins
 * carrier rating (cheapest service that meets the level), the promise calendar (cut-off, handling, holidays,
 * carrier days) and landed cost (duty and VAT the merchant bears under DDP). Pure: `now` and every table
 * come in as data; compiled lanes are cached per quoter.
 */
import { compileLane, parcelFor, shopLanes, type CompiledLane, type RateTable, type ServiceLevel } from '../carrier/index.ts';
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
  /** compiled lanes shared across orders, keyed by origin location and destination (country + postcode) */
  laneCache?: Map<string, CompiledLane[]>;
}

/** A promise as the quoter keeps it: dates, and the delivery date as a day number (lateness is a subtraction). */
export interface CachedPromise {
  shipBy: string;
  deliveryDate: string;
  latest: string;
  deliveryDay: number;
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


/** Builds the router's quote function for one order. */
export function makeShipmentQuoter(ctx: QuoteContext, order: QuoteOrder): QuoteShipment & { explain(locationId: string): string | null } {
  const lanes = new Map<string, CompiledLane[]>();
  const why = new Map<string, string>();
  const level = (['standard', 'express', 'next_day'].includes(order.serviceLevel) ? order.serviceLevel : 'standard') as ServiceLevel;
  const lineById = new Map(order.lines.map((l) => [l.lineId, l]));
  const today = ctx.now.slice(0, 10);
  const minute = ctx.now.slice(0, 16);
  const target = order.requestedDeliveryDate ?? addCalendarDays(today, ctx.promiseDays[level] ?? 7);
  const targetDay = toEpochDay(target);
  const lanesFor = (loc: QuoteLocation) => {
    let l = lanes.get(loc.id);
    const shared = ctx.laneCache ? `${loc.id}|${order.destination.country}|${order.destination.postcode ?? ''}` : null;
    if (!l && shared) l = ctx.laneCache!.get(shared);
    if (!l) {
      l = [];
      for (const t of ctx.rateTables) {
        const lane = compileLane(t, { country: loc.country, postcode: loc.postcode ?? '' }, { country: order.destination.country, postcode: order.destination.postcode ?? '', residential: true });
        if (lane) l.push(lane);
      }
      if (shared) {
        if (ctx.laneCache!.size > 50_000) ctx.laneCache!.clear();
        ctx.laneCache!.set(shared, l);
      }
    }
    lanes.set(loc.id, l);
    return l;
  };
  const quote = (locationId: string, lines: ReadonlyArray<{ lineId: string; qty: number }>): ShipmentQuote | null => {
    const loc = ctx.locations.get(locationId);
    if (!loc) return null;
    const content = lines.map((x) => ({ line: lineById.get(x.lineId)!, qty: x.qty })).filter((x) => x.line && x.qty > 0);
    const whole = parcelFor(content.map(({ line, qty }) => ({ unitWeightGrams: line.unitWeightGrams, lengthMm: line.lengthMm || 100, widthMm: line.widthMm || 100, heightMm: line.heightMm || 50, qty })));
    // heavy shipments go as several equal parcels of at most MAX_PARCEL_GRAMS, each rated (no LTL/pallet freight)
    const parcels = Math.max(1, Math.ceil(whole.weightGrams / MAX_PARCEL_GRAMS));
    const shrink = Math.cbrt(1 / parcels);
    const parcel = parcels === 1 ? whole : {
      weightGrams: Math.ceil(whole.weightGrams / parcels),
      lengthMm: Math.ceil(whole.lengthMm * shrink), widthMm: Math.ceil(whole.widthMm * shrink), heightMm: Math.ceil(whole.heightMm * shrink),
    };
    const one = shopLanes(lanesFor(loc), parcel, { serviceLevel: level });
    const rate = one && { ...one, costMinor: one.costMinor * parcels };
    if (!rate) {
      why.set(locationId, `no carrier service for ${level} from ${loc.code} to ${order.destination.country}`);
      return null;
    }
    let carrierCostMinor = rate.costMinor;
    if (rate.currency !== order.currency) {
      try {
        carrierCostMinor = convert({ amountMinor: rate.costMinor, currency: rate.currency }, order.currency, ctx.crossBorder.fx).amountMinor;
      } catch {
        why.set(locationId, `no FX rate ${rate.currency}->${order.currency}`);
        return null;
      }
    }
    const key = `${loc.id}|${rate.carrier}|${rate.serviceCode}|${rate.transitDays}|${minute}`;
    let p = ctx.promiseCache?.get(key);
    if (!p) {
      const table = ctx.rateTables.find((t) => t.serviceCode === rate.serviceCode && t.carrier === rate.carrier)!;
      const full = promise({
        now: ctx.now,
        location: { id: loc.id, timeZone: loc.timeZone, cutoff: loc.cutoff, handlingDays: loc.handlingDays, calendar: loc.calendar },
        service: {
          id: rate.serviceCode, carrier: rate.carrier, transitDays: rate.transitDays, pickupDays: toPromiseDays(table.pickupDays), deliveryDays: toPromiseDays(table.deliveryDays),
          // carriers' own on-time rates are 94–97 %: services of 3+ transit days get a one-delivery-day window
          varianceDays: rate.transitDays >= 3 ? 1 : 0,
        },
      });
      const computed: CachedPromise = { shipBy: full.shipBy, deliveryDate: full.deliveryDate, latest: full.window.latest, deliveryDay: toEpochDay(full.deliveryDate) };
      if (ctx.promiseCache) {
        if (ctx.promiseCache.size > 50_000) ctx.promiseCache.clear();
        ctx.promiseCache.set(key, computed);
      }
      p = computed;
    }
    let landedCostMinor = 0;
    let border: Record<string, unknown> | undefined;
    if (loc.country !== order.destination.country) {
      try {
        const lc = landedCost({
          date: today,
          originCountry: loc.country,
          destinationCountry: order.destination.country,
          incoterm: ctx.crossBorder.incoterm,
          currency: order.currency,
          lines: content.map(({ line, qty }) => ({ hsCode: line.hsCode ?? '', originCountry: line.countryOfOrigin ?? loc.country, unitValueMinor: line.unitValueMinor, qty })),
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
      serviceCode: `${rate.carrier}:${rate.serviceCode}`,
      carrierCostMinor,
      landedCostMinor,
      transitDays: rate.transitDays,
      lateDays: Math.max(0, p.deliveryDay - targetDay),
      shipBy: p.shipBy,
      deliveryDate: p.deliveryDate,
      deliveryLatest: p.latest,
      ...(border ? { crossBorder: border } : {}),
    };
    return out;
  };
  return Object.assign(quote, { explain: (id: string) => why.get(id) ?? null });
}
