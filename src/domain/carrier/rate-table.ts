/**
 * Carrier rate tables as plain data (JSON-serialisable, no functions), so a rate card can be loaded from a
 * file, diffed, versioned and replayed. Rating logic lives in `rate.ts`; this file holds only the shapes.
 *
 * Units: money in integer minor units of `currency`; weight breaks in the carrier's own unit (lb or kg),
 * converted from grams at rating time; parcel dimensions in mm.
 */

/** What the customer bought; a service may serve several (a Next-Day service can fulfil a standard promise). */
export type ServiceLevel = 'standard' | 'express' | 'next_day';
export const SERVICE_LEVELS: readonly ServiceLevel[] = ['standard', 'express', 'next_day'];

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A destination ZIP3 range (inclusive, numeric 0–999) and its zone for one origin ZIP3. */
export interface Zip3Range {
  readonly from: number;
  readonly to: number;
  readonly zone: string;
  /** USPS `*`: destination is in the origin's NDC. */
  readonly sameNdc?: boolean;
  /** USPS `+`: some 5-digit ZIPs in the range have a different zone (listed in `Zip3Origin.zip5`). */
  readonly hasZip5Exceptions?: boolean;
}

export interface Zip3Origin {
  /** Sorted by `from`, non-overlapping. A ZIP3 in no range is not served. */
  readonly ranges: readonly Zip3Range[];
  /** Destination ZIP5 → zone; checked before the ranges. */
  readonly zip5?: Readonly<Record<string, string>>;
}

/** US-style zone chart: origin ZIP3 × destination ZIP3 ranges (USPS, UPS, FedEx all publish this shape). */
export interface Zip3ZoneChart {
  readonly kind: 'zip3';
  readonly id: string;
  /** Countries whose postcodes are ZIPs (US plus territories that USPS serves with ZIPs). */
  readonly countries: readonly string[];
  /** Origin ZIP3 → its chart. Several origins may share one object (a UPS chart covers 450–452). */
  readonly origins: Readonly<Record<string, Zip3Origin>>;
}

/** International zone chart: zone by origin country and destination country group. */
export interface CountryZoneChart {
  readonly kind: 'country';
  readonly id: string;
  /** Group name → ISO 3166-1 alpha-2 codes. A country should be in at most one group. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** Group for countries listed in no group; absent = those countries are not served. */
  readonly otherGroup?: string;
  /**
   * Origin country → (destination group → zone). When origin and destination country are the same only the
   * key `domestic` is consulted (absent = domestic lanes not served by this chart).
   */
  readonly lanes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type ZoneChart = Zip3ZoneChart | CountryZoneChart;

/** Price per zone per weight break ("weight not to exceed"). */
export interface WeightScale {
  readonly unit: 'lb' | 'kg';
  /** Billable weight rounds up to 1/stepsPerUnit of a unit: 1 = whole lb/kg, 2 = half kg. */
  readonly stepsPerUnit: number;
  /** Upper bounds, ascending, in `unit`, each a multiple of the step. */
  readonly breaks: readonly number[];
  /** Zone → price in minor units per break (aligned with `breaks`; null = not offered at that weight). */
  readonly prices: Readonly<Record<string, readonly (number | null)[]>>;
  /** Beyond the last break: last-break price + this much per extra whole unit (rounded up). Absent = not served. */
  readonly extraPerUnit?: Readonly<Record<string, number>>;
  /** Carrier's per-package limit in `unit` (beyond it the table does not serve the parcel). */
  readonly maxWeight?: number;
}

/** Dimensional weight: volume / divisor in the carrier's units (in³/lb e.g. 139, 194; cm³/kg e.g. 5000). */
export interface DimWeightRule {
  readonly unit: 'in' | 'cm';
  readonly divisor: number;
  /** Dim weight only applies when the rounded volume (in unit³) exceeds this (e.g. pre-2015 UPS Ground: 5184). */
  readonly minVolume?: number;
}

/** Flat surcharge when the destination postcode starts with one of the prefixes (a full postcode is a prefix too). */
export interface RemoteArea {
  readonly country: string;
  readonly amountMinor: number;
  /** Normalised (upper case, no spaces or dashes) postcode prefixes: ZIP5s, ZIP3s, "HS", "25938"… */
  readonly postcodePrefixes: readonly string[];
}

export interface Surcharges {
  /** Fuel as basis points of the base rate (1650 = 16.5 %), rounded half-up to the minor unit. */
  readonly fuelBasisPoints: number;
  /** Flat amount for residential deliveries. */
  readonly residentialMinor: number;
  /** First matching area wins. */
  readonly remoteAreas: readonly RemoteArea[];
}

/** One carrier service's tariff. Treat as immutable: rating caches derived indexes per table object. */
export interface RateTable {
  readonly carrier: string;
  readonly serviceCode: string;
  readonly serviceName?: string;
  readonly serviceLevels: readonly ServiceLevel[];
  /** ISO 4217. */
  readonly currency: string;
  readonly zones: ZoneChart;
  readonly weights: WeightScale;
  readonly dimWeight?: DimWeightRule;
  readonly surcharges: Surcharges;
  /** Zone → carrier transit days (days on which the carrier delivers, counted after pickup). */
  readonly transitDays: Readonly<Record<string, number>>;
  readonly pickupDays: readonly Weekday[];
  readonly deliveryDays: readonly Weekday[];
}

/**
 * Consistency problems in a table (empty = fine). Loaders call this so a bad rate card fails at load, not
 * at the first order on an odd lane.
 */
export function validateRateTable(t: RateTable): string[] {
  const problems: string[] = [];
  const w = t.weights;
  const where = `${t.carrier}/${t.serviceCode}`;
  if (!/^[A-Z]{3}$/.test(t.currency)) problems.push(`${where}: currency ${t.currency} is not ISO 4217`);
  if (t.serviceLevels.length === 0) problems.push(`${where}: no service level`);
  if (!Number.isInteger(w.stepsPerUnit) || w.stepsPerUnit < 1) problems.push(`${where}: stepsPerUnit must be a positive integer`);
  if (w.breaks.length === 0) problems.push(`${where}: no weight breaks`);
  let prev = 0;
  for (const b of w.breaks) {
    const steps = b * w.stepsPerUnit;
    if (!(b > prev)) problems.push(`${where}: weight breaks must ascend (${b} after ${prev})`);
    if (Math.abs(steps - Math.round(steps)) > 1e-9) problems.push(`${where}: break ${b} is not a multiple of the step`);
    prev = b;
  }
  for (const [zone, prices] of Object.entries(w.prices)) {
    if (prices.length !== w.breaks.length) problems.push(`${where}: zone ${zone} has ${prices.length} prices for ${w.breaks.length} breaks`);
    for (const p of prices) if (p !== null && (!Number.isInteger(p) || p < 0)) problems.push(`${where}: zone ${zone} price ${p} is not integer minor units`);
    if (t.transitDays[zone] === undefined) problems.push(`${where}: zone ${zone} has prices but no transit days`);
  }
  for (const [zone, p] of Object.entries(w.extraPerUnit ?? {})) {
    if (!Number.isInteger(p) || p < 0) problems.push(`${where}: extra per unit for zone ${zone} is not integer minor units`);
  }
  const s = t.surcharges;
  if (!Number.isInteger(s.fuelBasisPoints) || s.fuelBasisPoints < 0) problems.push(`${where}: fuelBasisPoints must be a non-negative integer`);
  if (!Number.isInteger(s.residentialMinor) || s.residentialMinor < 0) problems.push(`${where}: residentialMinor must be a non-negative integer`);
  for (const a of s.remoteAreas) {
    if (!Number.isInteger(a.amountMinor) || a.amountMinor < 0) problems.push(`${where}: remote area amount must be integer minor units`);
  }
  if (t.dimWeight && !(t.dimWeight.divisor > 0)) problems.push(`${where}: dim divisor must be positive`);
  for (const d of [...t.pickupDays, ...t.deliveryDays]) if (!Number.isInteger(d) || d < 1 || d > 7) problems.push(`${where}: weekday ${d} out of 1..7`);
  if (t.deliveryDays.length === 0) problems.push(`${where}: no delivery days`);
  if (t.pickupDays.length === 0) problems.push(`${where}: no pickup days`);
  return problems;
}

/**
 * Calendar days from handing the parcel over on `shipWeekday` to delivery: wait for the next pickup day (the
 * ship day itself counts), then each transit day is the next calendar day on which the service delivers.
 * Public holidays are the promise engine's business, not the carrier table's.
 *
 * @example deliveryDayOffset(groundMonFri, 5, 1) // Friday pickup, 1 transit day → Monday = 3
 */
export function deliveryDayOffset(table: RateTable, shipWeekday: Weekday, transitDays: number): number {
  const pickup = new Set<number>(table.pickupDays);
  const delivery = new Set<number>(table.deliveryDays);
  if (pickup.size === 0 || delivery.size === 0) throw new RangeError(`${table.serviceCode}: no pickup or delivery days`);
  let offset = 0;
  let day: number = shipWeekday;
  while (!pickup.has(day)) {
    offset++;
    day = (day % 7) + 1;
  }
  for (let left = transitDays; left > 0; ) {
    offset++;
    day = (day % 7) + 1;
    if (delivery.has(day)) left--;
  }
  return offset;
}
