import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billableWeightGrams, compileLane, GRAMS_PER_LB, rateShipment, type Parcel, type Shipment } from './rate.ts';
import type { RateTable } from './rate-table.ts';
import { testKgTable, testLbTable } from './rate-table.fixtures.ts';

const lb = (n: number): number => Math.round(n * GRAMS_PER_LB);
const smallBox = { lengthMm: 100, widthMm: 100, heightMm: 100 };

function us(dest: string, parcel: Partial<Parcel> & { weightGrams: number }, residential = false): Shipment {
  return { originPostcode: '10001', originCountry: 'US', destPostcode: dest, destCountry: 'US', residential, parcel: { ...smallBox, ...parcel } };
}

describe('rateShipment (lb table)', () => {
  const table = testLbTable({ surcharges: { fuelBasisPoints: 0, residentialMinor: 0, remoteAreas: [] } });

  it('looks up the weight break that is not exceeded, per zone', () => {
    // 4 lb → break 5; zone 4 (dest 300xx): 500 + 100·4·5
    const q = rateShipment(table, us('30301', { weightGrams: lb(4) }));
    expect(q).toMatchObject({ zone: '4', costMinor: 2500, currency: 'USD', transitDays: 3, billableWeightGrams: lb(4) });
    expect(rateShipment(table, us('30301', { weightGrams: lb(5) }))?.costMinor).toBe(2500);
    expect(rateShipment(table, us('30301', { weightGrams: lb(5) + 2 }))?.costMinor).toBe(500 + 100 * 4 * 10);
  });

  it('rounds actual weight up to the whole lb, and an exact lb stored as integer grams stays on its break', () => {
    expect(billableWeightGrams(table, { weightGrams: 1, ...smallBox })).toBe(lb(1));
    expect(billableWeightGrams(table, { weightGrams: 0, ...smallBox })).toBe(lb(1));
    expect(billableWeightGrams(table, { weightGrams: lb(10), ...smallBox })).toBe(lb(10)); // 4536 g, not 11 lb
    expect(billableWeightGrams(table, { weightGrams: lb(10) + 1, ...smallBox })).toBe(lb(11));
  });

  it('charges dimensional weight for a big light box', () => {
    // 20 × 16 × 12 in = 3840 in³ / 139 = 27.6 → 28 lb, though it weighs 1 kg
    const parcel = { weightGrams: 1000, lengthMm: 508, widthMm: 406.4, heightMm: 304.8 };
    expect(billableWeightGrams(table, parcel)).toBe(lb(28));
    // 16 × 12 × 12 in = 2304 in³ → 16.6 → 17 lb: beyond the last break (10 lb), 500 + 4000 + 7 extra lb × 400
    const box = { weightGrams: 1000, lengthMm: 406.4, widthMm: 304.8, heightMm: 304.8 };
    const q = rateShipment(table, us('30301', box));
    expect(q).toMatchObject({ billableWeightGrams: lb(17), breakdown: { base: 500 + 100 * 4 * 10 + 7 * 400 } });
    // without a DIM rule the same box bills its actual 3 lb
    const noDim: RateTable = { ...table, dimWeight: undefined };
    expect(rateShipment(noDim, us('30301', box))).toMatchObject({ billableWeightGrams: lb(3), breakdown: { base: 500 + 100 * 4 * 3 } });
  });

  it('applies DIM only above the minimum volume when the table has one', () => {
    const t = testLbTable({ dimWeight: { unit: 'in', divisor: 139, minVolume: 5184 } });
    expect(billableWeightGrams(t, { weightGrams: 1000, lengthMm: 508, widthMm: 406.4, heightMm: 304.8 })).toBe(lb(3)); // 3840 in³
    expect(billableWeightGrams(t, { weightGrams: 1000, lengthMm: 609.6, widthMm: 609.6, heightMm: 304.8 })).toBe(lb(50)); // 6912 in³ → 49.7
  });

  it('prices beyond the last break per extra whole unit, up to the max weight', () => {
    // zone 8 (dest 90xxx), 12.2 lb → 13 lb: last break 10 lb (500 + 8000) + 3 × 800
    expect(rateShipment(table, us('94105', { weightGrams: lb(12.2) }))?.breakdown.base).toBe(8500 + 3 * 800);
    expect(rateShipment(table, us('94105', { weightGrams: lb(20) }))?.breakdown.base).toBe(8500 + 10 * 800);
    expect(rateShipment(table, us('94105', { weightGrams: lb(20) + 5 }))).toBeNull(); // over maxWeight
    const noExtra: RateTable = { ...table, weights: { ...table.weights, extraPerUnit: undefined } };
    expect(rateShipment(noExtra, us('94105', { weightGrams: lb(10) }))).not.toBeNull();
    expect(rateShipment(noExtra, us('94105', { weightGrams: lb(11) }))).toBeNull();
  });

  it('returns null for lanes the table does not serve', () => {
    expect(rateShipment(table, us('96701', { weightGrams: 500 }))).toBeNull(); // 967 not in chart
    expect(rateShipment(table, { ...us('30301', { weightGrams: 500 }), originPostcode: '45040' })).toBeNull(); // origin not in chart
    expect(rateShipment(table, { ...us('30301', { weightGrams: 500 }), destCountry: 'CA' })).toBeNull();
    expect(rateShipment(table, us('ABCDE', { weightGrams: 500 }))).toBeNull();
  });

  it('rejects a nonsensical parcel as a bug', () => {
    expect(() => rateShipment(table, us('30301', { weightGrams: Number.NaN }))).toThrow(RangeError);
    expect(() => rateShipment(table, us('30301', { weightGrams: -1 }))).toThrow(RangeError);
  });
});

describe('surcharges', () => {
  const table = testLbTable(); // fuel 12.5 %, residential 400, remote 300 (90210, 995xx) / 999 (other 9xxxx)

  it('adds fuel on the base, residential and remote flats', () => {
    const q = rateShipment(table, us('90210-1234', { weightGrams: lb(3) }, true));
    const base = 500 + 100 * 8 * 3;
    expect(q?.breakdown).toEqual({ base, fuel: Math.round(base * 0.125), residential: 400, remote: 300 });
    expect(q?.costMinor).toBe(base + Math.round(base * 0.125) + 400 + 300);
  });

  it('rounds fuel half-up to the minor unit', () => {
    // zone 1, 1 lb: base 600; 12.5 % = 75 exactly; 12.75 % = 76.5 → 77
    const t = testLbTable({ surcharges: { fuelBasisPoints: 1250, residentialMinor: 0, remoteAreas: [] } });
    expect(rateShipment(t, us('10118', { weightGrams: 100 }))?.breakdown.fuel).toBe(75);
    const odd = testLbTable({ surcharges: { fuelBasisPoints: 1275, residentialMinor: 0, remoteAreas: [] } });
    expect(rateShipment(odd, us('10118', { weightGrams: 100 }))?.breakdown.fuel).toBe(77); // 76.5 → 77
  });

  it('takes the first remote area whose prefix matches, and none for commercial non-remote', () => {
    expect(rateShipment(table, us('99501', { weightGrams: 100 }))?.breakdown.remote).toBe(300);
    expect(rateShipment(table, us('94105', { weightGrams: 100 }))?.breakdown.remote).toBe(999);
    const plain = rateShipment(table, us('30301', { weightGrams: 100 }));
    expect(plain?.breakdown).toMatchObject({ residential: 0, remote: 0 });
  });
});

describe('rateShipment (kg table, country groups)', () => {
  const table = testKgTable();
  const de = (destCountry: string, weightGrams: number, dims = { lengthMm: 100, widthMm: 100, heightMm: 100 }): Shipment => ({
    originPostcode: '10115',
    originCountry: 'DE',
    destPostcode: '75001',
    destCountry,
    residential: false,
    parcel: { weightGrams, ...dims },
  });

  it('rounds to the half kg and resolves domestic, group and other-group zones', () => {
    expect(rateShipment(table, de('DE', 400))).toMatchObject({ zone: 'D', costMinor: 500, billableWeightGrams: 500 });
    expect(rateShipment(table, de('FR', 501))).toMatchObject({ zone: 'E', costMinor: 1100, billableWeightGrams: 1000 });
    expect(rateShipment(table, de('CA', 1500))).toMatchObject({ zone: 'N', costMinor: 2400, billableWeightGrams: 1500 });
    expect(rateShipment(table, de('BR', 5000))).toMatchObject({ zone: 'R', costMinor: 4000, transitDays: 6 });
    // 6.2 kg → 6.5 kg: 5 kg price + 2 extra kg (1.5 kg rounded up)
    expect(rateShipment(table, de('BR', 6200))?.costMinor).toBe(4000 + 2 * 700);
  });

  it('uses cm³/5000 dim weight', () => {
    // 40 × 30 × 20 cm = 24000 cm³ / 5000 = 4.8 kg → 5 kg
    expect(rateShipment(table, de('FR', 800, { lengthMm: 400, widthMm: 300, heightMm: 200 }))?.billableWeightGrams).toBe(5000);
  });

  it('does not serve US domestic lanes absent from the chart', () => {
    expect(rateShipment(table, { ...de('US', 500), originCountry: 'US' })).toBeNull();
    expect(rateShipment(table, { ...de('FR', 500), originCountry: 'US' })?.zone).toBe('E');
  });
});

/** Independent reference: scan steps and breaks linearly instead of the table's dense index. */
function referenceRate(t: RateTable, zone: string, p: Parcel, flat: number): { cost: number; steps: number } | null {
  const w = t.weights;
  const stepG = (w.unit === 'lb' ? GRAMS_PER_LB : 1000) / w.stepsPerUnit;
  let steps = 1;
  while (steps * stepG < p.weightGrams - 0.5) steps++;
  if (t.dimWeight) {
    const mm = t.dimWeight.unit === 'in' ? 25.4 : 10;
    const vol = Math.round(p.lengthMm / mm) * Math.round(p.widthMm / mm) * Math.round(p.heightMm / mm);
    if (vol > (t.dimWeight.minVolume ?? 0)) {
      const dimUnits = vol / t.dimWeight.divisor; // same unit family in these tables
      let d = 1;
      while (d / w.stepsPerUnit < dimUnits - 1e-12) d++;
      steps = Math.max(steps, d);
    }
  }
  const units = steps / w.stepsPerUnit;
  if (w.maxWeight !== undefined && units > w.maxWeight + 1e-9) return null;
  const prices = w.prices[zone];
  let base: number | null = null;
  const i = w.breaks.findIndex((b) => b >= units - 1e-9);
  if (i >= 0) base = prices[i];
  else if (w.extraPerUnit?.[zone] !== undefined) base = prices[prices.length - 1]! + Math.ceil(units - w.breaks[w.breaks.length - 1] - 1e-9) * w.extraPerUnit[zone];
  if (base === null) return null;
  return { cost: base + Math.round((base * t.surcharges.fuelBasisPoints) / 10000) + flat, steps };
}

describe('compileLane', () => {
  const parcel = fc.record({
    weightGrams: fc.integer({ min: 0, max: 15_000 }),
    lengthMm: fc.integer({ min: 0, max: 900 }),
    widthMm: fc.integer({ min: 0, max: 700 }),
    heightMm: fc.integer({ min: 0, max: 500 }),
  });

  it('gives the same answers as rateShipment and as a naive reference (property)', () => {
    const tables = [testLbTable(), testKgTable(), testLbTable({ dimWeight: { unit: 'in', divisor: 194, minVolume: 1728 } })];
    const dests = ['10001', '30301', '90210', '99501', '94105', '96201', '96701', '00601'];
    fc.assert(
      fc.property(fc.constantFrom(...tables), fc.constantFrom(...dests), fc.constantFrom('US', 'DE', 'FR', 'CA', 'BR'), fc.boolean(), parcel, (t, pc, country, residential, p) => {
        const origin = t.zones.kind === 'zip3' ? { country: 'US', postcode: '10001' } : { country: 'DE', postcode: '10115' };
        const destCountry = t.zones.kind === 'zip3' ? 'US' : country;
        const shipment: Shipment = { originPostcode: origin.postcode, originCountry: origin.country, destPostcode: pc, destCountry, residential, parcel: p };
        const lane = compileLane(t, origin, { country: destCountry, postcode: pc, residential });
        const slow = rateShipment(t, shipment);
        if (lane === null) return slow === null;
        const fast = lane.rate(p);
        expect(fast).toEqual(slow);
        expect(lane.costMinor(p)).toBe(slow?.costMinor ?? null);
        const ref = referenceRate(t, lane.zone, p, lane.flatSurchargesMinor);
        expect(slow?.costMinor ?? null).toBe(ref?.cost ?? null);
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('is null for a lane the table does not serve', () => {
    expect(compileLane(testLbTable(), { country: 'US', postcode: '10001' }, { country: 'US', postcode: '96801' })).toBeNull();
  });
});
