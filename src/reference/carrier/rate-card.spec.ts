import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRAMS_PER_LB, compileLane, rateShipment, type Shipment } from '../../domain/carrier/rate.ts';
import { rateShop } from '../../domain/carrier/rate-shop.ts';
import { validateRateTable } from '../../domain/carrier/rate-table.ts';
import { loadDefaultRateTables, parseRateCard } from './rate-card.ts';

const tables = loadDefaultRateTables();
const by = (code: string) => tables.find((t) => t.serviceCode === code)!;
const box = { lengthMm: 200, widthMm: 150, heightMm: 100 };

function ship(origin: [string, string], dest: [string, string], weightGrams: number, residential = false): Shipment {
  return { originCountry: origin[0], originPostcode: origin[1], destCountry: dest[0], destPostcode: dest[1], residential, parcel: { weightGrams, ...box } };
}
const EDISON: [string, string] = ['US', '08817'];
const LA: [string, string] = ['US', '90001'];
const BERLIN: [string, string] = ['DE', '10115'];
const SHENZHEN: [string, string] = ['CN', '518000'];

describe('default "Switchyard Demo" rate tables (shipped fixtures)', () => {
  it('loads five valid services', () => {
    expect(tables.map((t) => t.serviceCode)).toEqual(['GROUND', '2DAY', 'NEXTDAY', 'INTL_STANDARD', 'INTL_EXPRESS']);
    for (const t of tables) {
      expect(validateRateTable(t)).toEqual([]);
      expect(t).toMatchObject({ carrier: 'SWITCHYARD_DEMO', currency: 'USD' });
    }
    expect(by('GROUND').zones).toBe(by('NEXTDAY').zones); // one shared chart object
  });

  it('rates a US lane with fuel and residential surcharges', () => {
    const q = rateShipment(by('GROUND'), ship(EDISON, LA, Math.round(5 * GRAMS_PER_LB), true));
    expect(q).toMatchObject({ zone: '8', transitDays: 5, breakdown: { base: 2055, fuel: 339, residential: 495, remote: 0 }, costMinor: 2889 });
    expect(rateShipment(by('GROUND'), ship(EDISON, ['US', '99501'], 1000))?.breakdown.remote).toBe(1650);
  });

  it('prices US weights beyond the last break (70 lb) per extra lb, up to 150 lb', () => {
    const at70 = rateShipment(by('GROUND'), ship(EDISON, LA, Math.round(70 * GRAMS_PER_LB)))!.breakdown.base;
    expect(rateShipment(by('GROUND'), ship(EDISON, LA, Math.round(80 * GRAMS_PER_LB)))?.breakdown.base).toBe(at70 + 10 * 205);
    expect(rateShipment(by('GROUND'), ship(EDISON, LA, Math.round(151 * GRAMS_PER_LB)))).toBeNull();
  });

  it('rates international lanes by destination country group, plus domestic DE', () => {
    expect(rateShipment(by('INTL_STANDARD'), ship(BERLIN, ['FR', '75001'], 1200))).toMatchObject({ zone: 'Z2', billableWeightGrams: 1500, costMinor: 1711 });
    expect(rateShipment(by('INTL_EXPRESS'), ship(SHENZHEN, LA, 1200))).toMatchObject({ zone: 'Z4', transitDays: 3, costMinor: 7184 });
    expect(rateShipment(by('INTL_STANDARD'), ship(BERLIN, ['DE', '25980'], 1200))?.breakdown).toMatchObject({ remote: 850 }); // Sylt
    expect(rateShipment(by('INTL_STANDARD'), ship(['GB', 'SW1A 1AA'], ['GB', 'HS1 2AB'], 900))?.breakdown.remote).toBe(950);
    expect(rateShipment(by('INTL_STANDARD'), ship(['US', '08817'], ['BR', '01000-000'], 900))?.zone).toBe('Z6');
    expect(rateShipment(by('INTL_STANDARD'), ship(EDISON, LA, 900))).toBeNull(); // US domestic: US services
    expect(rateShipment(by('GROUND'), ship(['US', '33101'], LA, 900))).toBeNull(); // origin 331 not in the subset
  });

  it('rate-shops the demo services per level', () => {
    const s = ship(EDISON, LA, 2000);
    expect(rateShop(tables, s, { serviceLevel: 'standard' }).chosen?.serviceCode).toBe('GROUND');
    expect(rateShop(tables, s, { serviceLevel: 'express' }).chosen?.serviceCode).toBe('2DAY');
    expect(rateShop(tables, s, { serviceLevel: 'next_day' }).chosen?.serviceCode).toBe('NEXTDAY');
    const cross = rateShop(tables, ship(SHENZHEN, LA, 2000), { serviceLevel: 'standard', maxTransitDays: 5 });
    expect(cross.chosen?.serviceCode).toBe('INTL_EXPRESS');
    expect(cross.options.find((o) => o.serviceCode === 'INTL_STANDARD')?.rejected).toBe('too_slow');
  });

  it('compiled lanes match rateShipment on random demo lanes and parcels (property)', () => {
    const places: [string, string][] = [EDISON, LA, BERLIN, SHENZHEN, ['US', '60601'], ['US', '75201'], ['US', '99501'], ['US', '96813'], ['GB', 'HS1 2AB'], ['DE', '25980'], ['FR', '75001'], ['JP', '100-0001'], ['US', '00901']];
    fc.assert(
      fc.property(
        fc.constantFrom(...tables),
        fc.constantFrom(...places),
        fc.constantFrom(...places),
        fc.boolean(),
        fc.record({ weightGrams: fc.integer({ min: 0, max: 80_000 }), lengthMm: fc.integer({ min: 0, max: 1200 }), widthMm: fc.integer({ min: 0, max: 800 }), heightMm: fc.integer({ min: 0, max: 600 }) }),
        (t, o, d, residential, parcel) => {
          const lane = compileLane(t, { country: o[0], postcode: o[1] }, { country: d[0], postcode: d[1], residential });
          const slow = rateShipment(t, { ...ship(o, d, 0, residential), parcel });
          expect(lane === null ? null : lane.rate(parcel)).toEqual(slow);
          if (lane !== null) expect(lane.costMinor(parcel)).toBe(slow?.costMinor ?? null);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a malformed card', () => {
    expect(() => parseRateCard({ format: 'nope' }, () => '')).toThrow(SyntaxError);
    const bad = { format: 'switchyard-rate-card/1', carrier: 'X', currency: 'USD', zoneCharts: {}, services: [{ serviceCode: 'A', zoneChart: 'missing', serviceLevels: ['standard'], weights: { unit: 'kg', breaks: [], prices: {} }, surcharges: { remoteAreas: [] }, transitDays: {}, pickupDays: [], deliveryDays: [] }] };
    expect(() => parseRateCard(bad, () => '')).toThrow(/unknown zoneChart/);
  });
});
