import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLane, type Shipment } from './rate.ts';
import { rateShop, shopLanes } from './rate-shop.ts';
import type { RateTable } from './rate-table.ts';
import { testLbTable } from './rate-table.fixtures.ts';

const noSurcharges = { fuelBasisPoints: 0, residentialMinor: 0, remoteAreas: [] };

/** Same lb table scaled in price, with its own transit days and levels. */
function service(serviceCode: string, factor: number, transit: number, levels: RateTable['serviceLevels']): RateTable {
  const base = testLbTable({ surcharges: noSurcharges });
  const prices = Object.fromEntries(Object.entries(base.weights.prices).map(([z, p]) => [z, p.map((x) => (x === null ? null : x * factor))]));
  return {
    ...base,
    serviceCode,
    serviceLevels: levels,
    weights: { ...base.weights, prices },
    transitDays: Object.fromEntries(Object.keys(base.transitDays).map((z) => [z, transit + (z === '8' ? 2 : 0)])),
  };
}

const ground = service('GROUND', 1, 3, ['standard']); // zone 8: 5 days
const twoDay = service('2DAY', 2, 2, ['standard', 'express']); // zone 8: 4 days
const nextDay = service('NEXTDAY', 4, 1, ['standard', 'express', 'next_day']); // zone 8: 3 days
const tables = [nextDay, ground, twoDay];

const ship = (dest: string, weightGrams = 2000): Shipment => ({
  originPostcode: '10001',
  originCountry: 'US',
  destPostcode: dest,
  destCountry: 'US',
  residential: false,
  parcel: { weightGrams, lengthMm: 200, widthMm: 150, heightMm: 100 },
});

describe('rateShop', () => {
  it('picks the cheapest service offering the level', () => {
    const r = rateShop(tables, ship('30301'), { serviceLevel: 'standard' });
    expect(r.chosen?.serviceCode).toBe('GROUND');
    expect(r.options.map((o) => [o.serviceCode, o.rejected])).toEqual([
      ['GROUND', null],
      ['2DAY', null],
      ['NEXTDAY', null],
    ]);
  });

  it('skips services that do not offer the level or are too slow for it', () => {
    // express promise = 3 days by default: 2-Day to zone 4 (2 days) qualifies, Ground does not offer express
    const express = rateShop(tables, ship('30301'), { serviceLevel: 'express' });
    expect(express.chosen?.serviceCode).toBe('2DAY');
    expect(express.options.find((o) => o.serviceCode === 'GROUND')?.rejected).toBe('service_level');
    // zone 8: 2-Day takes 4 days > 3, so Next-Day (3 days) wins although dearer
    const far = rateShop(tables, ship('94105'), { serviceLevel: 'express' });
    expect(far.chosen?.serviceCode).toBe('NEXTDAY');
    const slow = far.options.find((o) => o.serviceCode === '2DAY');
    expect(slow).toMatchObject({ rejected: 'too_slow', quote: { transitDays: 4 } });
    expect(slow!.quote!.costMinor).toBeLessThan(far.chosen!.costMinor);
  });

  it('honours an explicit maxTransitDays and reports nothing chosen when none fits', () => {
    expect(rateShop(tables, ship('94105'), { serviceLevel: 'standard', maxTransitDays: 4 }).chosen?.serviceCode).toBe('2DAY');
    const none = rateShop(tables, ship('94105'), { serviceLevel: 'next_day' });
    expect(none.chosen).toBeNull();
    expect(none.options.every((o) => o.rejected !== null)).toBe(true);
    const unserved = rateShop(tables, ship('96801'), { serviceLevel: 'standard' });
    expect(unserved.chosen).toBeNull();
    expect(unserved.options.map((o) => o.rejected)).toEqual(['not_served', 'not_served', 'not_served']);
  });

  it('breaks cost ties by transit days, then serviceCode', () => {
    const a = { ...service('B_SLOW', 1, 3, ['standard']) };
    const b = { ...service('Z_FAST', 1, 2, ['standard']) };
    const c = { ...service('A_FAST', 1, 2, ['standard']) };
    for (const order of [[a, b, c], [c, b, a], [b, a, c]]) {
      const r = rateShop(order, ship('30301'), { serviceLevel: 'standard' });
      expect(r.options.map((o) => o.serviceCode)).toEqual(['A_FAST', 'Z_FAST', 'B_SLOW']);
    }
  });

  it('refuses to compare prices in different currencies unless told which', () => {
    const eur = { ...ground, serviceCode: 'EUR_GROUND', currency: 'EUR' };
    expect(() => rateShop([ground, eur], ship('30301'), { serviceLevel: 'standard' })).toThrow(RangeError);
    const r = rateShop([ground, eur], ship('30301'), { serviceLevel: 'standard', currency: 'EUR' });
    expect(r.chosen?.serviceCode).toBe('EUR_GROUND');
    expect(r.options.find((o) => o.serviceCode === 'GROUND')?.rejected).toBe('currency');
  });

  it('shopLanes over compiled lanes chooses what rateShop chooses (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('10118', '30301', '60601', '94105', '96201', '99501', '96801'),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom('standard' as const, 'express' as const, 'next_day' as const),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        (dest, grams, level, maxTransitDays) => {
          const s = ship(dest, grams);
          const opts = { serviceLevel: level, ...(maxTransitDays === undefined ? {} : { maxTransitDays }) };
          const lanes = tables.map((t) => compileLane(t, { country: 'US', postcode: '10001' }, { country: 'US', postcode: dest })).filter((l) => l !== null);
          expect(shopLanes(lanes, s.parcel, opts)).toEqual(rateShop(tables, s, opts).chosen);
        },
      ),
      { numRuns: 500 },
    );
  });
});
