import type { RateTable } from './rate-table.ts';
import { normalisePostcode, resolveZone, type Place } from './zone.ts';

/** A single package as the carrier measures it: grams and millimetres. */
export interface Parcel {
  readonly weightGrams: number;
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface Shipment {
  readonly originPostcode: string;
  readonly originCountry: string;
  readonly destPostcode: string;
  readonly destCountry: string;
  readonly residential: boolean;
  readonly parcel: Parcel;
}

export interface RateBreakdown {
  readonly base: number;
  readonly fuel: number;
  readonly residential: number;
  readonly remote: number;
}

export interface RateQuote {
  readonly carrier: string;
  readonly serviceCode: string;
  /** base + fuel + residential + remote, minor units of `currency`. */
  readonly costMinor: number;
  readonly currency: string;
  readonly zone: string;
  /** The weight the carrier charges for (max of actual and dim weight, rounded up to its step), in grams. */
  readonly billableWeightGrams: number;
  readonly transitDays: number;
  readonly breakdown: RateBreakdown;
}

/** A lane with everything that does not depend on the parcel resolved once. */
export interface CompiledLane {
  readonly table: RateTable;
  /** the table's service levels and currency, read here by rate shopping (tables come in many object shapes) */
  readonly serviceLevels: RateTable['serviceLevels'];
  readonly currency: RateTable['currency'];
  readonly zone: string;
  readonly transitDays: number;
  /** Residential + remote-area surcharges for this destination (fuel depends on the base, so not included). */
  readonly flatSurchargesMinor: number;
  /** Total cost only; null when the parcel exceeds what the table serves. Allocation-free. */
  costMinor(parcel: Parcel): number | null;
  rate(parcel: Parcel): RateQuote | null;
}

export const GRAMS_PER_LB = 453.59237;
const MM_PER_INCH = 25.4;
/**
 * Integer-gram weights cannot hit pound breaks exactly (10 lb = 4535.9237 g, stored as 4536 g), so a weight
 * within half a gram above a step boundary is taken to be on the boundary.
 */
const GRAM_TOLERANCE = 0.5;

interface RemoteIndex {
  readonly country: string;
  readonly amountMinor: number;
  readonly lengths: readonly number[];
  readonly prefixes: ReadonlySet<string>;
}

/** Indexes derived from a table once (tables are immutable data). */
interface Prepared {
  readonly stepGrams: number;
  readonly stepsPerUnit: number;
  readonly lastSteps: number;
  readonly maxSteps: number;
  /** Steps (1..lastSteps) → index of the first break that is not exceeded. */
  readonly stepToBreak: Int32Array;
  readonly dimMmPerUnit: number;
  readonly dimDivisor: number;
  readonly dimMinVolume: number;
  /** Dim weight unit matches the weight scale (in³→lb, cm³→kg), so steps can be computed exactly in integers. */
  readonly dimSameUnit: boolean;
  readonly dimGramsPerUnit: number;
  readonly remote: readonly RemoteIndex[];
  /** Zone → base price per step (index = steps, -1 = not offered), built lazily. */
  readonly basePerStep: Map<string, Float64Array>;
}

const prepared = new WeakMap<RateTable, Prepared>();

function prepare(table: RateTable): Prepared {
  let p = prepared.get(table);
  if (p !== undefined) return p;
  const w = table.weights;
  const unitGrams = w.unit === 'lb' ? GRAMS_PER_LB : 1000;
  const breakSteps = w.breaks.map((b) => Math.round(b * w.stepsPerUnit));
  const lastSteps = breakSteps[breakSteps.length - 1] ?? 0;
  const stepToBreak = new Int32Array(lastSteps + 1);
  for (let s = 1, i = 0; s <= lastSteps; s++) {
    while (breakSteps[i] < s) i++;
    stepToBreak[s] = i;
  }
  const dim = table.dimWeight;
  const remote: RemoteIndex[] = table.surcharges.remoteAreas.map((a) => {
    const prefixes = new Set(a.postcodePrefixes.map(normalisePostcode));
    return {
      country: a.country.toUpperCase(),
      amountMinor: a.amountMinor,
      lengths: [...new Set([...prefixes].map((x) => x.length))].sort((x, y) => y - x),
      prefixes,
    };
  });
  p = {
    stepGrams: unitGrams / w.stepsPerUnit,
    stepsPerUnit: w.stepsPerUnit,
    lastSteps,
    maxSteps: w.maxWeight === undefined ? Number.POSITIVE_INFINITY : Math.floor(w.maxWeight * w.stepsPerUnit + 1e-9),
    stepToBreak,
    dimMmPerUnit: dim === undefined ? 0 : dim.unit === 'in' ? MM_PER_INCH : 10,
    dimDivisor: dim?.divisor ?? 0,
    dimMinVolume: dim?.minVolume ?? 0,
    dimSameUnit: dim !== undefined && (dim.unit === 'in') === (w.unit === 'lb'),
    dimGramsPerUnit: dim?.unit === 'in' ? GRAMS_PER_LB : 1000,
    remote,
    basePerStep: new Map(),
  };
  prepared.set(table, p);
  return p;
}

function basePerStep(table: RateTable, p: Prepared, zone: string): Float64Array | null {
  const cached = p.basePerStep.get(zone);
  if (cached !== undefined) return cached;
  const prices = table.weights.prices[zone];
  if (prices === undefined) return null;
  const dense = new Float64Array(p.lastSteps + 1);
  dense[0] = -1;
  for (let s = 1; s <= p.lastSteps; s++) dense[s] = prices[p.stepToBreak[s]] ?? -1;
  p.basePerStep.set(zone, dense);
  return dense;
}

/** Billable weight in the table's steps (≥ 1): max of actual and dimensional weight, each rounded up. */
function billableSteps(p: Prepared, parcel: Parcel): number {
  if (!(parcel.weightGrams >= 0 && parcel.lengthMm >= 0 && parcel.widthMm >= 0 && parcel.heightMm >= 0)) {
    throw new RangeError(`parcel weight and dimensions must be non-negative numbers: ${JSON.stringify(parcel)}`);
  }
  const actual = Math.ceil((parcel.weightGrams - GRAM_TOLERANCE) / p.stepGrams);
  let steps = actual > 1 ? actual : 1;
  if (p.dimDivisor > 0) {
    // Carriers round each dimension to the nearest whole inch / cm before multiplying.
    const volume =
      Math.round(parcel.lengthMm / p.dimMmPerUnit) * Math.round(parcel.widthMm / p.dimMmPerUnit) * Math.round(parcel.heightMm / p.dimMmPerUnit);
    if (volume > p.dimMinVolume) {
      const dimSteps = p.dimSameUnit
        ? Math.ceil((volume * p.stepsPerUnit) / p.dimDivisor)
        : Math.ceil(((volume / p.dimDivisor) * p.dimGramsPerUnit - GRAM_TOLERANCE) / p.stepGrams);
      if (dimSteps > steps) steps = dimSteps;
    }
  }
  return steps;
}

/** Billable weight in grams for a parcel under this table (no lane needed). */
export function billableWeightGrams(table: RateTable, parcel: Parcel): number {
  const p = prepare(table);
  return Math.round(billableSteps(p, parcel) * p.stepGrams);
}

/** Fuel on the base, rounded half-up to the minor unit (base × bp is an integer, so the division is exact enough). */
function fuelOn(base: number, basisPoints: number): number {
  return Math.round((base * basisPoints) / 10_000);
}

class Lane implements CompiledLane {
  readonly table: RateTable;
  readonly serviceLevels: RateTable['serviceLevels'];
  readonly currency: RateTable['currency'];
  readonly zone: string;
  readonly transitDays: number;
  readonly flatSurchargesMinor: number;
  readonly #p: Prepared;
  readonly #base: Float64Array;
  readonly #lastBase: number;
  readonly #extraPerUnit: number;
  readonly #fuelBp: number;
  readonly #residential: number;
  readonly #remote: number;

  constructor(table: RateTable, p: Prepared, zone: string, transitDays: number, base: Float64Array, residential: number, remote: number) {
    this.table = table;
    this.serviceLevels = table.serviceLevels;
    this.currency = table.currency;
    this.zone = zone;
    this.transitDays = transitDays;
    this.flatSurchargesMinor = residential + remote;
    this.#p = p;
    this.#base = base;
    this.#lastBase = base[p.lastSteps];
    this.#extraPerUnit = table.weights.extraPerUnit?.[zone] ?? -1;
    this.#fuelBp = table.surcharges.fuelBasisPoints;
    this.#residential = residential;
    this.#remote = remote;
  }

  #baseFor(steps: number): number {
    const p = this.#p;
    if (steps > p.maxSteps) return -1;
    if (steps <= p.lastSteps) return this.#base[steps];
    if (this.#extraPerUnit < 0 || this.#lastBase < 0) return -1;
    return this.#lastBase + Math.ceil((steps - p.lastSteps) / p.stepsPerUnit) * this.#extraPerUnit;
  }

  costMinor(parcel: Parcel): number | null {
    const base = this.#baseFor(billableSteps(this.#p, parcel));
    return base < 0 ? null : base + fuelOn(base, this.#fuelBp) + this.flatSurchargesMinor;
  }

  rate(parcel: Parcel): RateQuote | null {
    const steps = billableSteps(this.#p, parcel);
    const base = this.#baseFor(steps);
    if (base < 0) return null;
    const fuel = fuelOn(base, this.#fuelBp);
    return {
      carrier: this.table.carrier,
      serviceCode: this.table.serviceCode,
      costMinor: base + fuel + this.flatSurchargesMinor,
      currency: this.table.currency,
      zone: this.zone,
      billableWeightGrams: Math.round(steps * this.#p.stepGrams),
      transitDays: this.transitDays,
      breakdown: { base, fuel, residential: this.#residential, remote: this.#remote },
    };
  }
}

function remoteSurcharge(p: Prepared, dest: Place): number {
  if (p.remote.length === 0) return 0;
  const country = dest.country.toUpperCase();
  const pc = normalisePostcode(dest.postcode);
  for (const area of p.remote) {
    if (area.country !== country) continue;
    for (const len of area.lengths) if (pc.length >= len && area.prefixes.has(pc.slice(0, len))) return area.amountMinor;
  }
  return 0;
}

/**
 * Resolve everything about a lane that does not depend on the parcel (zone, transit, residential and
 * remote-area surcharges), so rating many parcels on it is a weight lookup. Null when the table does not
 * serve the lane.
 *
 * @example
 * const lane = compileLane(ground, { country: 'US', postcode: '45040' }, { country: 'US', postcode: '10001', residential: true });
 * lane?.costMinor({ weightGrams: 2000, lengthMm: 300, widthMm: 200, heightMm: 100 });
 */
export function compileLane(table: RateTable, origin: Place, dest: Place & { readonly residential?: boolean }): CompiledLane | null {
  const match = resolveZone(table.zones, origin, dest);
  if (match === null) return null;
  const transit = table.transitDays[match.zone];
  if (transit === undefined) return null;
  const p = prepare(table);
  const base = basePerStep(table, p, match.zone);
  if (base === null) return null;
  const residential = dest.residential === true ? table.surcharges.residentialMinor : 0;
  return new Lane(table, p, match.zone, transit, base, residential, remoteSurcharge(p, dest));
}

/**
 * Rate one parcel on one service; null when the table does not serve the lane or the parcel's weight.
 *
 * @example
 * rateShipment(ground, { originPostcode: '45040', originCountry: 'US', destPostcode: '10001', destCountry: 'US',
 *   residential: false, parcel: { weightGrams: 2268, lengthMm: 300, widthMm: 200, heightMm: 150 } })
 *   // → { costMinor: 471, zone: '4', billableWeightGrams: 2268, … } (UPS 2007 Ground, 5 lb, zone 4)
 */
export function rateShipment(table: RateTable, shipment: Shipment): RateQuote | null {
  const lane = compileLane(
    table,
    { country: shipment.originCountry, postcode: shipment.originPostcode },
    { country: shipment.destCountry, postcode: shipment.destPostcode, residential: shipment.residential },
  );
  return lane === null ? null : lane.rate(shipment.parcel);
}
