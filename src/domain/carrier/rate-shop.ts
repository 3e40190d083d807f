import { compileLane, type CompiledLane, type Parcel, type RateQuote, type Shipment } from './rate.ts';
import type { RateTable, ServiceLevel } from './rate-table.ts';

/**
 * Transit-day promise per service level when the caller gives none. `standard` has no promise of its own:
 * the cheapest service wins however slow (pass `maxTransitDays` to bound it).
 */
export const DEFAULT_MAX_TRANSIT_DAYS: Readonly<Record<ServiceLevel, number | null>> = Object.freeze({
  standard: null,
  express: 3,
  next_day: 1,
});

export interface RateShopOptions {
  readonly serviceLevel: ServiceLevel;
  /** Overrides `DEFAULT_MAX_TRANSIT_DAYS[serviceLevel]`. */
  readonly maxTransitDays?: number;
  /** Only compare services priced in this currency. Without it, mixing currencies is a configuration error. */
  readonly currency?: string;
}

/** Why a service was not chosen. */
export type RateRejection = 'service_level' | 'not_served' | 'too_slow' | 'currency';

export interface RateOption {
  readonly carrier: string;
  readonly serviceCode: string;
  /** Null when the service was not rated (level not offered, lane or weight not served). */
  readonly quote: RateQuote | null;
  readonly rejected: RateRejection | null;
}

export interface RateShopResult {
  /** Cheapest service meeting the promise; ties → fewer transit days → serviceCode → carrier. */
  readonly chosen: RateQuote | null;
  /** Every table's outcome, eligible first in the same order as the choice, so a decision can be explained. */
  readonly options: readonly RateOption[];
}

function compareQuotes(a: RateQuote, b: RateQuote): number {
  return (
    a.costMinor - b.costMinor ||
    a.transitDays - b.transitDays ||
    (a.serviceCode < b.serviceCode ? -1 : a.serviceCode > b.serviceCode ? 1 : 0) ||
    (a.carrier < b.carrier ? -1 : a.carrier > b.carrier ? 1 : 0)
  );
}

function compareOptions(a: RateOption, b: RateOption): number {
  const ra = a.rejected === null ? 0 : a.quote === null ? 2 : 1;
  const rb = b.rejected === null ? 0 : b.quote === null ? 2 : 1;
  if (ra !== rb) return ra - rb;
  if (a.quote !== null && b.quote !== null) return compareQuotes(a.quote, b.quote);
  const ka = `${a.serviceCode}\u0000${a.carrier}`;
  const kb = `${b.serviceCode}\u0000${b.carrier}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function transitLimit(opts: RateShopOptions): number {
  return opts.maxTransitDays ?? DEFAULT_MAX_TRANSIT_DAYS[opts.serviceLevel] ?? Number.POSITIVE_INFINITY;
}

/**
 * Rate a shipment on every table and pick the cheapest service that offers the level and meets its transit
 * promise.
 *
 * @example
 * const { chosen } = rateShop(tables, shipment, { serviceLevel: 'express' });
 * chosen?.serviceCode // e.g. '2DAY' when 2-Day is cheaper than Next-Day and arrives in ≤ 3 days
 */
export function rateShop(tables: readonly RateTable[], shipment: Shipment, opts: RateShopOptions): RateShopResult {
  const limit = transitLimit(opts);
  const options: RateOption[] = [];
  const currencies = new Set<string>();
  for (const t of tables) {
    const head = { carrier: t.carrier, serviceCode: t.serviceCode };
    if (!t.serviceLevels.includes(opts.serviceLevel)) {
      options.push({ ...head, quote: null, rejected: 'service_level' });
      continue;
    }
    const lane = compileLane(
      t,
      { country: shipment.originCountry, postcode: shipment.originPostcode },
      { country: shipment.destCountry, postcode: shipment.destPostcode, residential: shipment.residential },
    );
    const quote = lane === null ? null : lane.rate(shipment.parcel);
    let rejected: RateRejection | null = null;
    if (quote === null) rejected = 'not_served';
    else if (opts.currency !== undefined && quote.currency !== opts.currency) rejected = 'currency';
    else if (quote.transitDays > limit) rejected = 'too_slow';
    else currencies.add(quote.currency);
    options.push({ ...head, quote, rejected });
  }
  if (currencies.size > 1) {
    throw new RangeError(`rateShop: services priced in ${[...currencies].join(', ')}; pass opts.currency to compare like with like`);
  }
  options.sort(compareOptions);
  const first = options[0];
  return { chosen: first !== undefined && first.rejected === null ? first.quote : null, options };
}

/**
 * Fast path for the router: the cheapest lane for a parcel among pre-compiled lanes (same rules as `rateShop`,
 * without the explanation). Lanes whose table does not offer the level are skipped; all lanes must share a
 * currency. Allocates only the winning quote.
 */
export function shopLanes(lanes: readonly CompiledLane[], parcel: Parcel, opts: RateShopOptions): RateQuote | null {
  const best = cheapestLane(lanes, parcel, opts);
  return best === null ? null : best.lane.rate(parcel);
}

/**
 * `shopLanes` without the rate breakdown: the winning lane and its cost. The router's quotes read only these
 * (carrier, service, currency and transit are the lane's), and ask for thousands a second.
 */
export function cheapestLane(lanes: readonly CompiledLane[], parcel: Parcel, opts: RateShopOptions): { lane: CompiledLane; costMinor: number } | null {
  const limit = transitLimit(opts);
  let best: CompiledLane | null = null;
  let bestCost = 0;
  for (const lane of lanes) {
    if (lane.transitDays > limit || !lane.serviceLevels.includes(opts.serviceLevel)) continue;
    if (opts.currency !== undefined && lane.currency !== opts.currency) continue;
    const cost = lane.costMinor(parcel);
    if (cost === null) continue;
    if (best !== null && lane.currency !== best.currency) {
      throw new RangeError(`shopLanes: lanes priced in ${best.currency} and ${lane.currency}; pass opts.currency`);
    }
    if (best === null || cost < bestCost || (cost === bestCost && laneBefore(lane, best))) {
      best = lane;
      bestCost = cost;
    }
  }
  return best === null ? null : { lane: best, costMinor: bestCost };
}

function laneBefore(a: CompiledLane, b: CompiledLane): boolean {
  if (a.transitDays !== b.transitDays) return a.transitDays < b.transitDays;
  if (a.table.serviceCode !== b.table.serviceCode) return a.table.serviceCode < b.table.serviceCode;
  return a.table.carrier < b.table.carrier;
}
