import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAMS_PER_LB, compileLane, rateShipment, type Shipment } from '../../domain/carrier/rate.ts';
import { rateShop } from '../../domain/carrier/rate-shop.ts';
import type { RateTable } from '../../domain/carrier/rate-table.ts';
import { resolveZone } from '../../domain/carrier/zone.ts';
import { loadUpsInterchangeTables, parseUpsRateTable, parseUpsZoneChart } from './ups-interchange.ts';

const DIR = resolve(process.cwd(), '../shared/data/carrier/ups_interchange_circa2007');
const missing = !existsSync(join(DIR, '450.csv'));
const lb = (n: number) => Math.round(n * GRAMS_PER_LB);
const US = (postcode: string) => ({ country: 'US', postcode });

function ship(dest: string, pounds: number, extra: Partial<Shipment> = {}): Shipment {
  return {
    originPostcode: '45040',
    originCountry: 'US',
    destPostcode: dest,
    destCountry: 'US',
    residential: false,
    parcel: { weightGrams: lb(pounds), lengthMm: 150, widthMm: 100, heightMm: 80 }, // 6 × 4 × 3 in: DIM 1 lb
    ...extra,
  };
}

describe.skipIf(missing)('UPS interchange tables (circa 2007, origin 450)', () => {
  const tables = missing ? [] : loadUpsInterchangeTables(DIR);
  const by = (code: string): RateTable => tables.find((t) => t.serviceCode === code)!;

  it('loads four services with DIM 194, residential 1.15 and the delivery-area ZIPs', () => {
    expect(tables.map((t) => t.serviceCode)).toEqual(['GROUND', '3DAY_SELECT', '2ND_DAY_AIR', 'NEXT_DAY_AIR']);
    for (const t of tables) {
      expect(t.dimWeight).toEqual({ unit: 'in', divisor: 194 });
      expect(t.surcharges.residentialMinor).toBe(115);
      expect(t.surcharges.remoteAreas).toEqual([expect.objectContaining({ country: 'US', amountMinor: 175 })]);
      expect(t.weights.breaks).toHaveLength(150);
    }
  });

  it('resolves zones from 450.csv, including the Hawaii/Alaska ZIP5 footnotes', () => {
    const [ground, threeDay, twoDay, nextDay] = tables.map((t) => t.zones);
    expect(resolveZone(ground, US('45040'), US('10001'))?.zone).toBe('4'); // 100-118,4,304,204,…
    expect(resolveZone(threeDay, US('45201'), US('10001'))?.zone).toBe('304');
    expect(resolveZone(ground, US('45299'), US('94105'))?.zone).toBe('8'); // 923-961,8
    expect(resolveZone(ground, US('45040'), US('40502'))?.zone).toBe('2'); // 400-406,2
    expect(resolveZone(ground, US('45040'), US('96701'))).toBeNull(); // 967-968,-,-,[2]
    expect(resolveZone(nextDay, US('45040'), US('96701'))?.zone).toBe('124'); // footnote [2]
    expect(resolveZone(twoDay, US('45040'), US('96703'))?.zone).toBe('226');
    expect(resolveZone(nextDay, US('45040'), US('99547'))?.zone).toBe('126'); // footnote [3], Alaska
    expect(resolveZone(nextDay, US('45040'), US('96799'))).toBeNull(); // Hawaii range, ZIP not listed
    expect(resolveZone(ground, US('45040'), US('34001'))).toBeNull(); // 340,-
    expect(resolveZone(twoDay, US('45040'), US('00601'))?.zone).toBe('225'); // 006-007,-,-,225
    expect(resolveZone(ground, US('46001'), US('10001'))).toBeNull(); // origin outside 450–452
  });

  it('rates Ground cells read from Ground.csv', () => {
    const ground = by('GROUND');
    expect(rateShipment(ground, ship('40502', 1))?.costMinor).toBe(339); // 1 lb, zone 2: 3.39
    expect(rateShipment(ground, ship('10001', 5))?.costMinor).toBe(471); // 5 lb, zone 4: 4.71
    expect(rateShipment(ground, ship('10001', 10))?.costMinor).toBe(529); // 10 lb, zone 4: 5.29
    expect(rateShipment(ground, ship('10001', 10.01))?.costMinor).toBe(540); // → 11 lb: 5.40
    expect(rateShipment(ground, ship('94105', 150))?.costMinor).toBe(7563); // 150 lb, zone 8: 75.63
    expect(rateShipment(ground, ship('94105', 150.5))).toBeNull(); // beyond the last break, no per-lb rate
  });

  it('rates air cells read from 2ndDayAir.csv and NextDayAir.csv', () => {
    expect(rateShipment(by('2ND_DAY_AIR'), ship('94105', 3))?.costMinor).toBe(1370); // 3 lb, zone 208: 13.7
    expect(rateShipment(by('NEXT_DAY_AIR'), ship('99547', 150))?.costMinor).toBe(42825); // 150 lb, zone 126: 428.25
    expect(rateShipment(by('NEXT_DAY_AIR'), ship('96701', 3))).toMatchObject({ zone: '124', costMinor: 3400, transitDays: 1 });
  });

  it('charges DIM weight (÷194) on a big light box', () => {
    // 24 × 24 × 24 in = 13824 in³ / 194 = 71.3 → 72 lb, actual 2 kg; Ground zone 4 at 72 lb: 24.67
    const q = rateShipment(by('GROUND'), { ...ship('10001', 0), parcel: { weightGrams: 2000, lengthMm: 609.6, widthMm: 609.6, heightMm: 609.6 } });
    expect(q).toMatchObject({ billableWeightGrams: lb(72), costMinor: 2467 });
  });

  it('adds fuel, residential (1.15) and delivery-area (1.75 for Xarea ZIP 01005) surcharges', () => {
    const fuelled = loadUpsInterchangeTables(DIR, { fuelBasisPoints: 1000 })[0];
    // 10 lb to 01005 (010-067 → zone 5): 5.73; fuel 10 % = 0.573 → 0.57
    const q = rateShipment(fuelled, ship('01005', 10, { residential: true }));
    expect(q?.breakdown).toEqual({ base: 573, fuel: 57, residential: 115, remote: 175 });
    expect(q?.costMinor).toBe(573 + 57 + 115 + 175);
    expect(rateShipment(fuelled, ship('01001', 10))?.breakdown).toEqual({ base: 573, fuel: 57, residential: 0, remote: 0 });
  });

  it('rate-shops the real services', () => {
    const s = ship('94105', 5);
    const express = rateShop(tables, s, { serviceLevel: 'express' });
    expect(express.chosen?.serviceCode).toBe('3DAY_SELECT');
    expect(express.options.find((o) => o.serviceCode === 'GROUND')?.rejected).toBe('service_level');
    expect(rateShop(tables, s, { serviceLevel: 'express', maxTransitDays: 2 }).chosen?.serviceCode).toBe('2ND_DAY_AIR');
    expect(rateShop(tables, s, { serviceLevel: 'next_day' }).chosen?.serviceCode).toBe('NEXT_DAY_AIR');
    const standard = rateShop(tables, s, { serviceLevel: 'standard', maxTransitDays: 4 });
    expect(standard.chosen?.serviceCode).toBe('3DAY_SELECT'); // Ground is cheaper but takes 5 days to zone 8
    expect(standard.options.find((o) => o.serviceCode === 'GROUND')?.rejected).toBe('too_slow');
  });

  it('compiled lanes agree with rateShipment for every weight 1–150 lb', () => {
    for (const t of tables) {
      const lane = compileLane(t, US('45040'), { ...US('30301'), residential: true })!;
      for (let w = 1; w <= 150; w++) expect(lane.rate({ ...ship('30301', w).parcel })).toEqual(rateShipment(t, ship('30301', w, { residential: true })));
    }
  });

  it('parses the chart columns and drops the multi-package rows above 150 lb', () => {
    const charts = parseUpsZoneChart(readFileSync(join(DIR, '450.csv'), 'utf8'));
    expect(Object.keys(charts)).toEqual(['Ground', '3 Day Select', '2nd Day Air', '2nd Day Air A.M.', 'Next Day Air Saver', 'Next Day Air']);
    const air = parseUpsRateTable(readFileSync(join(DIR, '2ndDayAir.csv'), 'utf8'));
    expect(air.weights.breaks.at(-1)).toBe(150);
    expect(air.letter?.['202']).toBe(680);
  });
});
