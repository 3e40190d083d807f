import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_FX_TABLE } from '../money/index.ts';
import {
  DEFAULT_CROSSBORDER_RULES as RULES,
  LandedCostError,
  landedCost,
  latestInForce,
  matchDutyRule,
  vatRulesFromCsv,
  type CrossBorderRules,
  type Incoterm,
  type LandedCost,
  type LandedCostInput,
  type LandedCostLine,
} from './index.ts';

// FX (EUR base): USD 1.15, GBP 0.86, AUD 1.75.
const fx = DEFAULT_FX_TABLE;
const IOSS = 'IM2760000001';
const tee = (unitValueMinor: number, qty: number, hsCode = '610910'): LandedCostLine => ({ hsCode, originCountry: 'CN', unitValueMinor, qty });

function lc(over: Partial<LandedCostInput> & Pick<LandedCostInput, 'destinationCountry' | 'currency' | 'lines'>): LandedCost {
  return landedCost({ date: '2026-05-01', originCountry: 'CN', incoterm: 'DAP', shippingMinor: 0, rules: RULES, fx, ...over });
}

/** What a test expects: [regime, duty, vat, fees, atCheckout, atDoor, merchantBorne]. */
type Expect = [string, number, number, number, number, number, number];
const summary = (r: LandedCost): Expect => [
  r.regime, r.dutyMinor, r.vatMinor, r.feesMinor, r.collectedAtCheckoutMinor, r.payableAtDoorMinor, r.merchantBorneMinor,
];

describe('landed cost from CN, per destination, below/above threshold, DDP/DAP (2026-05-01)', () => {
  const cases: Array<[string, Partial<LandedCostInput> & Pick<LandedCostInput, 'destinationCountry' | 'currency' | 'lines'>, Incoterm, Expect]> = [
    // DE, 19%. Below EUR 150 with IOSS: VAT 19% x 45.00 at checkout, duty relief.
    ['DE below, IOSS', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500, sellerIossNumber: IOSS }, 'DDP', ['eu_ioss', 0, 855, 0, 855, 0, 0]],
    ['DE below, IOSS', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500, sellerIossNumber: IOSS }, 'DAP', ['eu_ioss', 0, 855, 0, 855, 0, 0]],
    // Below EUR 150 without IOSS: import VAT, carrier fee (DAP min EUR 6, DDP EUR 10).
    ['DE below, no IOSS', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500 }, 'DAP', ['eu_import', 0, 855, 600, 0, 1455, 0]],
    ['DE below, no IOSS', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500 }, 'DDP', ['eu_import', 0, 855, 1000, 0, 0, 1855]],
    // Above: CIF 212.00 x 12% = 25.44; VAT 19% x 237.44 = 45.11.
    ['DE above', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(5000, 4)], shippingMinor: 1000, insuranceMinor: 200, sellerIossNumber: IOSS }, 'DAP', ['eu_import', 2544, 4511, 600, 0, 7655, 0]],
    ['DE above', { destinationCountry: 'DE', currency: 'EUR', lines: [tee(5000, 4)], shippingMinor: 1000, insuranceMinor: 200, sellerIossNumber: IOSS }, 'DDP', ['eu_import', 2544, 4511, 1000, 0, 0, 8055]],
    // FR, 20%.
    ['FR below, IOSS', { destinationCountry: 'FR', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500, sellerIossNumber: IOSS }, 'DAP', ['eu_ioss', 0, 900, 0, 900, 0, 0]],
    ['FR below, IOSS', { destinationCountry: 'FR', currency: 'EUR', lines: [tee(2000, 2)], shippingMinor: 500, sellerIossNumber: IOSS }, 'DDP', ['eu_ioss', 0, 900, 0, 900, 0, 0]],
    // VAT 20% x 237.44 = 47.488 -> 47.49; DAP fee max(6.00, 2% x 72.93 = 1.46).
    ['FR above', { destinationCountry: 'FR', currency: 'EUR', lines: [tee(5000, 4)], shippingMinor: 1000, insuranceMinor: 200 }, 'DAP', ['eu_import', 2544, 4749, 600, 0, 7893, 0]],
    ['FR above', { destinationCountry: 'FR', currency: 'EUR', lines: [tee(5000, 4)], shippingMinor: 1000, insuranceMinor: 200 }, 'DDP', ['eu_import', 2544, 4749, 1000, 0, 0, 8293]],
    // GB: <= GBP 135 VAT at point of sale, no duty; above: duty 12% x 210 = 25.20, VAT 20% x 235.20 = 47.04.
    ['GB below', { destinationCountry: 'GB', currency: 'GBP', lines: [tee(2000, 2)], shippingMinor: 500 }, 'DAP', ['gb_low_value', 0, 900, 0, 900, 0, 0]],
    ['GB below', { destinationCountry: 'GB', currency: 'GBP', lines: [tee(2000, 2)], shippingMinor: 500 }, 'DDP', ['gb_low_value', 0, 900, 0, 900, 0, 0]],
    ['GB above', { destinationCountry: 'GB', currency: 'GBP', lines: [tee(5000, 4)], shippingMinor: 1000 }, 'DAP', ['gb_import', 2520, 4704, 1100, 0, 8324, 0]],
    ['GB above', { destinationCountry: 'GB', currency: 'GBP', lines: [tee(5000, 4)], shippingMinor: 1000 }, 'DDP', ['gb_import', 2520, 4704, 1000, 0, 0, 8224]],
    // US: de minimis suspended -> duty below USD 800 too. FOB 50.00: MFN 16.5% 8.25 + s301 7.5% 3.75 + s122 10% 5.00.
    ['US below', { destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 2)], shippingMinor: 800 }, 'DAP', ['us_import', 1700, 0, 1000, 0, 2700, 0]],
    ['US below', { destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 2)], shippingMinor: 800 }, 'DDP', ['us_import', 1700, 0, 1000, 0, 0, 2700]],
    // 1000.00: 165 + 75 + 100 = 340.00; DAP fee max(10.00, 2% x 340 = 6.80).
    ['US above', { destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 40)], shippingMinor: 2000 }, 'DAP', ['us_import', 34000, 0, 1000, 0, 35000, 0]],
    ['US above', { destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 40)], shippingMinor: 2000 }, 'DDP', ['us_import', 34000, 0, 1000, 0, 0, 35000]],
    // AU: <= AUD 1000 GST at sale 10% x 90.00; above: FOB duty 5% x 1200 = 60, GST 10% x (1200+35+60) = 129.50.
    ['AU below', { destinationCountry: 'AU', currency: 'AUD', lines: [tee(4000, 2)], shippingMinor: 1000 }, 'DAP', ['au_low_value_gst', 0, 900, 0, 900, 0, 0]],
    ['AU below', { destinationCountry: 'AU', currency: 'AUD', lines: [tee(4000, 2)], shippingMinor: 1000 }, 'DDP', ['au_low_value_gst', 0, 900, 0, 900, 0, 0]],
    ['AU above', { destinationCountry: 'AU', currency: 'AUD', lines: [tee(8000, 15)], shippingMinor: 3000, insuranceMinor: 500 }, 'DAP', ['au_import', 6000, 12950, 1500, 0, 20450, 0]],
    ['AU above', { destinationCountry: 'AU', currency: 'AUD', lines: [tee(8000, 15)], shippingMinor: 3000, insuranceMinor: 500 }, 'DDP', ['au_import', 6000, 12950, 1500, 0, 0, 20450]],
  ];
  it.each(cases)('%s %s', (_name, input, incoterm, expected) => {
    const r = lc({ ...input, incoterm });
    expect(summary(r)).toEqual(expected);
    expect(r.customs.incoterm).toBe(incoterm);
    expect(r.breakdown.reduce((a, c) => a + c.amountMinor, 0)).toBe(r.dutyMinor + r.vatMinor + r.feesMinor);
  });

  it('IOSS number goes on the customs data only when IOSS is used', () => {
    const below = lc({ destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2)], sellerIossNumber: IOSS });
    expect(below.customs.iossNumber).toBe(IOSS);
    const above = lc({ destinationCountry: 'DE', currency: 'EUR', lines: [tee(5000, 4)], sellerIossNumber: IOSS });
    expect(above.customs.iossNumber).toBeUndefined();
    expect(lc({ destinationCountry: 'GB', currency: 'GBP', lines: [tee(2000, 2)], sellerIossNumber: IOSS }).customs.iossNumber).toBeUndefined();
  });

  it('customs value is CIF for the EU and FOB for the US, with lines for the declaration', () => {
    const de = lc({ destinationCountry: 'DE', currency: 'EUR', lines: [tee(5000, 4)], shippingMinor: 1000, insuranceMinor: 200 });
    expect(de.customsValueMinor).toBe(21200);
    expect(de.customs.lines).toEqual([{ hsCode: '610910', originCountry: 'CN', valueMinor: 20000, qty: 4 }]);
    const us = lc({ destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 40)], shippingMinor: 2000 });
    expect(us.customsValueMinor).toBe(100000);
  });
});

describe('intra-EU and domestic', () => {
  it('DE -> FR is intra_eu with no duty or import tax', () => {
    const r = lc({ originCountry: 'DE', destinationCountry: 'FR', currency: 'EUR', lines: [tee(5000, 4)], incoterm: 'DDP' });
    expect(summary(r)).toEqual(['intra_eu', 0, 0, 0, 0, 0, 0]);
  });
  it('US -> US is domestic', () => {
    const r = lc({ originCountry: 'US', destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 40)] });
    expect(summary(r)).toEqual(['domestic', 0, 0, 0, 0, 0, 0]);
  });
  it('GB -> DE is an import, with the TCA 0% preference for UK-origin goods', () => {
    const r = lc({ originCountry: 'GB', destinationCountry: 'DE', currency: 'EUR', lines: [{ hsCode: '610910', originCountry: 'GB', unitValueMinor: 5000, qty: 4 }] });
    expect(r.regime).toBe('eu_import');
    expect(r.dutyMinor).toBe(0);
    expect(r.vatMinor).toBe(3800);
  });
});

describe('EU EUR 3 flat duty from 2026-07-01', () => {
  // 2 x T-shirt (6109.10) + 1 sweater (6110.20) = 2 tariff categories; goods 70.00 + shipping 5.00
  const parcel = { destinationCountry: 'DE', currency: 'EUR', lines: [tee(2000, 2), tee(3000, 1, '611020')], shippingMinor: 500 };
  it('before: no duty under EUR 150 (relief), VAT only', () => {
    const r = lc({ ...parcel, date: '2026-06-30', sellerIossNumber: IOSS });
    expect(summary(r)).toEqual(['eu_ioss', 0, 1425, 0, 1425, 0, 0]);
  });
  it('from 2026-07-01: EUR 3 x 2 categories, collected with IOSS at checkout', () => {
    const r = lc({ ...parcel, date: '2026-07-01', sellerIossNumber: IOSS });
    expect(summary(r)).toEqual(['eu_ioss', 600, 1425, 0, 2025, 0, 0]);
    expect(r.breakdown.find((b) => b.kind === 'flat_duty')?.basis).toMatch(/3\.00 EUR x 2 tariff categories \(HS6 610910, 611020\)/);
  });
  it('from 2026-07-01 without IOSS: flat duty and VAT at import (VAT on 75.00 + 6.00 duty = 15.39)', () => {
    expect(summary(lc({ ...parcel, date: '2026-07-01', incoterm: 'DAP' }))).toEqual(['eu_import', 600, 1539, 600, 0, 2739, 0]);
    expect(summary(lc({ ...parcel, date: '2026-07-01', incoterm: 'DDP' }))).toEqual(['eu_import', 600, 1539, 1000, 0, 0, 3139]);
  });
  it('counts HS 6-digit headings, not 10-digit codes', () => {
    const r = lc({ destinationCountry: 'DE', currency: 'EUR', date: '2026-07-01', sellerIossNumber: IOSS,
      lines: [tee(1000, 1, '6109.10.00.10'), tee(1000, 1, '6109100090')] });
    expect(r.dutyMinor).toBe(300);
  });
  it('above EUR 150 the ordinary tariff applies', () => {
    const r = lc({ destinationCountry: 'DE', currency: 'EUR', date: '2026-07-01', sellerIossNumber: IOSS, lines: [tee(5000, 4)] });
    expect(r.regime).toBe('eu_import');
    expect(r.dutyMinor).toBe(2400);
  });
  it('converts the flat duty into the order currency (EUR 6.00 = USD 6.90)', () => {
    const r = lc({ ...parcel, currency: 'USD', date: '2026-07-01', sellerIossNumber: IOSS });
    expect(r.dutyMinor).toBe(690);
  });
});

describe('US de minimis history', () => {
  const parcel = { destinationCountry: 'US', currency: 'USD', lines: [tee(2500, 2)] };
  it('USD 800 de minimis before 2025-05-02 for all, until 2025-08-28 except CN/HK, then suspended', () => {
    expect(lc({ ...parcel, date: '2025-04-30' }).regime).toBe('us_de_minimis');
    expect(lc({ ...parcel, date: '2025-04-30' }).dutyMinor).toBe(0);
    expect(lc({ ...parcel, date: '2025-06-01' }).regime).toBe('us_import');
    expect(lc({ ...parcel, date: '2025-06-01', originCountry: 'VN' }).regime).toBe('us_de_minimis');
    expect(lc({ ...parcel, date: '2025-08-28', originCountry: 'VN' }).regime).toBe('us_de_minimis');
    expect(lc({ ...parcel, date: '2025-08-29', originCountry: 'VN' }).regime).toBe('us_import');
  });
  it('Section 122 surcharge only between 2026-02-24 and 2026-07-23, not for Mexican goods', () => {
    expect(lc({ ...parcel, date: '2026-02-23' }).dutyMinor).toBe(1200);
    expect(lc({ ...parcel, date: '2026-02-24' }).dutyMinor).toBe(1700);
    expect(lc({ ...parcel, date: '2026-07-24' }).dutyMinor).toBe(1200);
    const mx = lc({ ...parcel, originCountry: 'MX', lines: [{ ...tee(2500, 2), originCountry: 'MX' }] });
    expect(mx.dutyMinor).toBe(825);
  });
});

describe('duty rule matching', () => {
  const rules: CrossBorderRules = {
    ...RULES,
    duty: [
      { territory: 'EU', hsPrefix: '', ratePct: '3', effectiveFrom: '2024-01-01', source: 'test' },
      { territory: 'EU', hsPrefix: '61', ratePct: '10', effectiveFrom: '2024-01-01', source: 'test' },
      { territory: 'EU', hsPrefix: '6109', ratePct: '12', effectiveFrom: '2024-01-01', source: 'test' },
      { territory: 'EU', hsPrefix: '610910', ratePct: '5', effectiveFrom: '2024-01-01', source: 'test' },
      { territory: 'EU', hsPrefix: '610910', ratePct: '6', effectiveFrom: '2026-06-01', source: 'test, later row' },
      { territory: 'EU', hsPrefix: '', ratePct: '0', origins: ['GB'], effectiveFrom: '2021-01-01', source: 'test preference' },
    ],
  };
  it.each([
    ['6109100010', 'CN', '2026-05-01', '5'],
    ['6109100010', 'CN', '2026-06-01', '6'],
    ['6109900000', 'CN', '2026-05-01', '12'],
    ['6104000000', 'CN', '2026-05-01', '10'],
    ['8471300000', 'CN', '2026-05-01', '3'],
    ['6109100010', 'GB', '2026-05-01', '0'],
  ])('HS %s origin %s on %s -> %s%%', (hs, origin, date, rate) => {
    expect(matchDutyRule(rules.duty, 'EU', hs, origin, date)?.ratePct).toBe(rate);
  });
  it('an HS code with no rule fails loudly instead of guessing', () => {
    expect(() => lc({ destinationCountry: 'DE', currency: 'EUR', lines: [tee(50000, 1, '940360')] })).toThrow(LandedCostError);
    expect(() => lc({ destinationCountry: 'DE', currency: 'EUR', lines: [tee(50000, 1, '940360')] })).toThrow(/No EU duty rate for HS 940360/);
  });
});

describe('FX conversion at thresholds', () => {
  // EUR 150 = USD 172.50 at 1.15; 172.51 USD = 150.0087 EUR -> 150.01 (half-even) > 150.
  it('a USD order to DE is judged against EUR 150 after conversion', () => {
    expect(lc({ destinationCountry: 'DE', currency: 'USD', lines: [tee(17250, 1)], sellerIossNumber: IOSS }).regime).toBe('eu_ioss');
    expect(lc({ destinationCountry: 'DE', currency: 'USD', lines: [tee(17251, 1)], sellerIossNumber: IOSS }).regime).toBe('eu_import');
  });
  it('converts fixed fees with banker\'s rounding (EUR 6.00 -> JPY 1020; EUR 10.00 -> GBP 8.60)', () => {
    const fxJ = { ...fx, rates: { ...fx.rates, JPY: '170.00' } };
    const j = landedCost({ date: '2026-05-01', originCountry: 'CN', destinationCountry: 'DE', incoterm: 'DAP', currency: 'JPY', lines: [tee(40000, 1)], shippingMinor: 0, rules: RULES, fx: fxJ });
    expect(j.feesMinor).toBe(1020);
    expect(j.dutyMinor).toBe(4800); // 12% of JPY 40000, exponent 0
    const g = lc({ destinationCountry: 'DE', currency: 'GBP', lines: [tee(20000, 1)], incoterm: 'DDP' });
    expect(g.feesMinor).toBe(860);
  });
  it('fails on a missing FX rate or unknown currency with typed errors', () => {
    expect(() => lc({ destinationCountry: 'DE', currency: 'NZD', lines: [tee(2000, 1)] })).toThrow(expect.objectContaining({ code: 'MISSING_FX_RATE' }));
    expect(() => lc({ destinationCountry: 'DE', currency: 'XYZ', lines: [tee(2000, 1)] })).toThrow(expect.objectContaining({ code: 'UNKNOWN_CURRENCY' }));
    expect(() => lc({ destinationCountry: 'CA', currency: 'EUR', lines: [tee(2000, 1)] })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DESTINATION' }));
  });
});

describe('configuration as data', () => {
  it('EU VAT defaults match fixtures/crossborder/eu_vat_standard_rates_2026.csv', () => {
    const csv = readFileSync(new URL('../../../fixtures/crossborder/eu_vat_standard_rates_2026.csv', import.meta.url), 'utf8');
    const fromCsv = vatRulesFromCsv(csv).map((r) => [r.country, Number(r.ratePct), r.effectiveFrom, r.effectiveTo ?? null]);
    const eu = RULES.vat.filter((r) => r.source.startsWith('eu_vat')).map((r) => [r.country, Number(r.ratePct), r.effectiveFrom, r.effectiveTo ?? null]);
    expect(eu).toEqual(fromCsv);
    expect(fromCsv).toHaveLength(31);
  });
  it('dated VAT changes apply from their date (EE 22% -> 24% on 2025-07-01)', () => {
    expect(latestInForce(RULES.vat, '2025-06-30', (r) => r.country === 'EE')?.ratePct).toBe('22');
    expect(latestInForce(RULES.vat, '2025-07-01', (r) => r.country === 'EE')?.ratePct).toBe('24.0');
  });
  it('default rules are frozen and every rule names its source', () => {
    expect(Object.isFrozen(RULES.duty[0])).toBe(true);
    const all = [...RULES.vat, ...RULES.duty, ...RULES.additionalDuties, ...RULES.checkoutTaxSchemes, ...RULES.lowValueDuty, ...RULES.carrierFees];
    for (const r of all) expect(r.source.length).toBeGreaterThan(3);
  });
});

describe('invariants (property-based)', () => {
  it('checkout + door + merchant-borne = duty + VAT + fees; DDP has nothing at the door, DAP nothing merchant-borne', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(['DE', 'EUR'], ['FR', 'EUR'], ['GB', 'GBP'], ['US', 'USD'], ['AU', 'AUD'], ['FR', 'USD']),
        fc.constantFrom<Incoterm>('DDP', 'DAP'),
        fc.array(fc.record({ unit: fc.integer({ min: 0, max: 60_000 }), qty: fc.integer({ min: 1, max: 5 }), hs: fc.constantFrom('610910', '611020', '847130', '851713') }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.constantFrom('2026-03-01', '2026-07-01'),
        fc.boolean(),
        ([dest, currency], incoterm, ls, shippingMinor, date, ioss) => {
          const r = landedCost({
            date, originCountry: 'CN', destinationCountry: dest as string, incoterm, currency: currency as string, shippingMinor, rules: RULES, fx,
            // the illustrative US sample has no 6110 row
            lines: ls.map((l) => tee(l.unit, l.qty, dest === 'US' && l.hs === '611020' ? '610910' : l.hs)),
            ...(ioss ? { sellerIossNumber: IOSS } : {}),
          });
          const total = r.dutyMinor + r.vatMinor + r.feesMinor;
          expect(r.collectedAtCheckoutMinor + r.payableAtDoorMinor + r.merchantBorneMinor).toBe(total);
          if (incoterm === 'DDP') expect(r.payableAtDoorMinor).toBe(0);
          else expect(r.merchantBorneMinor).toBe(0);
          for (const b of r.breakdown) expect(Number.isSafeInteger(b.amountMinor) && b.amountMinor >= 0).toBe(true);
          // amounts only (what the router asks for): the same result with the breakdown left out
          const amounts = landedCost({
            date, originCountry: 'CN', destinationCountry: dest as string, incoterm, currency: currency as string, shippingMinor, rules: RULES, fx, breakdown: false,
            lines: ls.map((l) => tee(l.unit, l.qty, dest === 'US' && l.hs === '611020' ? '610910' : l.hs)),
            ...(ioss ? { sellerIossNumber: IOSS } : {}),
          });
          expect(amounts).toEqual({ ...r, breakdown: [] });
          // rule lookups are remembered per rules object: a copy never asked before (nothing remembered) agrees
          const fresh = landedCost({
            date, originCountry: 'CN', destinationCountry: dest as string, incoterm, currency: currency as string, shippingMinor, rules: structuredClone(RULES), fx,
            lines: ls.map((l) => tee(l.unit, l.qty, dest === 'US' && l.hs === '611020' ? '610910' : l.hs)),
            ...(ioss ? { sellerIossNumber: IOSS } : {}),
          });
          expect(fresh).toEqual(r);
        },
      ),
      { numRuns: 300 },
    );
  });
});
