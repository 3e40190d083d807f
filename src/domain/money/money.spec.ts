import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_FX_TABLE,
  MoneyError,
  add,
  allocate,
  convert,
  convertAtRate,
  divideRound,
  formatMoney,
  fromDecimalString,
  isKnownCurrency,
  minorUnitExponent,
  money,
  multiplyByRate,
  percentToRatio,
  toDecimalString,
  type FxTable,
} from './index.ts';

describe('currencies', () => {
  it('knows ISO 4217 exponents, incl. JPY 0 and KWD 3', () => {
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KWD')).toBe(3);
  });
  it('rejects unknown or lower-case codes', () => {
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('eur')).toBe(false);
    expect(isKnownCurrency('XXX')).toBe(false);
    expect(isKnownCurrency('toString')).toBe(false);
    expect(() => money(1, 'ABC')).toThrow(MoneyError);
  });
  it('refuses fractional minor units and mixing currencies', () => {
    expect(() => money(1.5, 'USD')).toThrow(/integer/);
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(/Cannot combine/);
  });
});

describe('rounding', () => {
  it('half-even (banker\'s) vs half-up on ties, symmetric for negatives', () => {
    expect(divideRound(5n, 2n, 'half-even')).toBe(2n);
    expect(divideRound(7n, 2n, 'half-even')).toBe(4n);
    expect(divideRound(5n, 2n, 'half-up')).toBe(3n);
    expect(divideRound(-5n, 2n, 'half-up')).toBe(-3n);
    expect(divideRound(-5n, 2n, 'half-even')).toBe(-2n);
    expect(divideRound(7n, 3n, 'half-up')).toBe(2n);
  });
  it('multiplies by a percentage exactly and rounds once', () => {
    // 19.99 x 19% = 3.7981 -> 3.80
    expect(multiplyByRate(money(1999, 'EUR'), percentToRatio('19'), 'half-up').amountMinor).toBe(380);
    // 0.50 x 5% = 0.025 -> half-up 0.03, half-even 0.02
    expect(multiplyByRate(money(50, 'EUR'), percentToRatio('5'), 'half-up').amountMinor).toBe(3);
    expect(multiplyByRate(money(50, 'EUR'), percentToRatio('5'), 'half-even').amountMinor).toBe(2);
    expect(multiplyByRate(money(1000, 'EUR'), percentToRatio('25.5'), 'half-up').amountMinor).toBe(255);
  });
});

describe('allocate', () => {
  it('splits a cent remainder deterministically', () => {
    expect(allocate(money(100, 'USD'), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([34, 33, 33]);
    expect(allocate(money(5, 'JPY'), [0, 0]).map((m) => m.amountMinor)).toEqual([3, 2]);
    expect(allocate(money(-100, 'USD'), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([-34, -33, -33]);
  });
  it('always sums to the original amount and never gives a zero-weight part money when others have weight', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }),
        (amount, ratios) => {
          const parts = allocate(money(amount, 'EUR'), ratios);
          expect(parts.reduce((a, p) => a + p.amountMinor, 0)).toBe(amount);
          if (ratios.some((r) => r > 0)) {
            ratios.forEach((r, i) => {
              if (r === 0) expect(parts[i]?.amountMinor).toBe(0);
            });
          }
        },
      ),
    );
  });
});

describe('exact double arithmetic (the fast paths) equals BigInt arithmetic', () => {
  // the reference: everything in BigInt, as the functions did before they learned the double path
  const refMul = (a: number, num: bigint, den: bigint, rounding: 'half-up' | 'half-even') => Number(divideRound(BigInt(a) * num, den, rounding));
  const refAllocate = (amount: number, ratios: number[]) => {
    const rs = ratios.map(BigInt);
    let total = rs.reduce((a, b) => a + b, 0n);
    const ws = total === 0n ? rs.map(() => 1n) : rs;
    total = ws.reduce((a, b) => a + b, 0n);
    const abs = BigInt(Math.abs(amount));
    const parts = ws.map((r) => (abs * r) / total);
    const order = ws.map((r, i) => ({ i, rem: (abs * r) % total })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
    let left = abs - parts.reduce((a, b) => a + b, 0n);
    for (let k = 0; left > 0n; k++, left--) parts[order[k % order.length]!.i]! += 1n;
    return parts.map((p) => (amount < 0 ? -Number(p) : Number(p)) || 0);
  };
  const amounts = fc.oneof(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
  // a decimal rate of up to 6 places as text, with its exact num/den; or a fraction
  const rates = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 6 })).map(([n, e]) => {
      const digits = String(n).padStart(e + 1, '0');
      return { text: e ? `${digits.slice(0, -e)}.${digits.slice(-e)}` : digits, num: BigInt(n), den: 10n ** BigInt(e) };
    }),
    fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 9 })).map(([n, d]) => ({ text: `${n}/${d}`, num: BigInt(n), den: BigInt(d) })),
  );
  const orOutOfRange = (f: () => number) => {
    try {
      const v = f();
      return Number.isSafeInteger(v) ? v : 'out of range';
    } catch {
      return 'out of range';
    }
  };
  it('multiplyByRate (rates and percentages) and convertAtRate, both roundings, on cents and near the safe-integer limit', () => {
    fc.assert(
      fc.property(amounts, rates, fc.constantFrom('half-up' as const, 'half-even' as const), (a, rate, rounding) => {
        const cases: Array<[() => number, () => number]> = [
          [() => multiplyByRate(money(a, 'EUR'), rate.text, rounding).amountMinor, () => refMul(a, rate.num, rate.den, rounding)],
          // EUR (2 decimals) -> JPY (0): the denominator grows by 100; JPY -> KWD (3): the numerator by 1000
          [() => convertAtRate(money(a, 'EUR'), 'JPY', rate.text, rounding).amountMinor, () => refMul(a, rate.num, rate.den * 100n, rounding)],
          [() => convertAtRate(money(a, 'JPY'), 'KWD', rate.text, rounding).amountMinor, () => refMul(a, rate.num * 1000n, rate.den, rounding)],
        ];
        if (!rate.text.includes('/')) cases.push([() => multiplyByRate(money(a, 'EUR'), percentToRatio(rate.text), rounding).amountMinor, () => refMul(a, rate.num, rate.den * 100n, rounding)]);
        for (const [actual, reference] of cases) expect(orOutOfRange(actual)).toBe(orOutOfRange(reference));
      }),
      { numRuns: 3000 },
    );
  });
  it('allocate', () => {
    fc.assert(
      fc.property(amounts, fc.array(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), { minLength: 1, maxLength: 12 }), (a, ratios) => {
        expect(allocate(money(a, 'EUR'), ratios).map((m) => m.amountMinor)).toEqual(refAllocate(a, ratios));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decimal strings and formatting', () => {
  it('round-trips exactly across exponents', () => {
    expect(toDecimalString(money(-1234, 'USD'))).toBe('-12.34');
    expect(toDecimalString(money(5, 'USD'))).toBe('0.05');
    expect(toDecimalString(money(1234, 'JPY'))).toBe('1234');
    expect(toDecimalString(money(1234, 'KWD'))).toBe('1.234');
    expect(fromDecimalString('1.234', 'KWD').amountMinor).toBe(1234);
    expect(() => fromDecimalString('1.5', 'JPY')).toThrow(/decimals/);
  });
  it('formats with the currency\'s decimals', () => {
    expect(formatMoney(money(123456, 'USD'))).toBe('$1,234.56');
    expect(formatMoney(money(1234, 'JPY'), 'en-US')).toBe('¥1,234');
    expect(formatMoney(money(1234, 'KWD'), 'en-US')).toMatch(/1\.234/);
    expect(formatMoney(money(9_007_199_254_740_991, 'USD'))).toBe('$90,071,992,547,409.91');
  });
});

describe('FX conversion', () => {
  const fx: FxTable = { asOf: '2026-05-01', base: 'EUR', rates: { USD: '1.1500', JPY: '170.25', KWD: '0.3520' } };
  it('converts through the base with one rounding, banker\'s by default', () => {
    // USD 100.00 / 1.15 = EUR 86.9565.. -> 86.96
    expect(convert(money(10000, 'USD'), 'EUR', fx).amountMinor).toBe(8696);
    // EUR 100.00 -> JPY 17025 (exponent 2 -> 0)
    expect(convert(money(10000, 'EUR'), 'JPY', fx).amountMinor).toBe(17025);
    // JPY 1 -> KWD: 0.352/170.25 = 0.0020675.. KWD -> 2 fils
    expect(convert(money(1, 'JPY'), 'KWD', fx).amountMinor).toBe(2);
  });
  it('rounds exact ties per the stated mode', () => {
    // EUR 0.01 x 0.5 = 0.005 -> half-even 0, half-up 1
    expect(convertAtRate(money(1, 'EUR'), 'USD', '0.5', 'half-even').amountMinor).toBe(0);
    expect(convertAtRate(money(3, 'EUR'), 'USD', '0.5', 'half-even').amountMinor).toBe(2);
    expect(convertAtRate(money(1, 'EUR'), 'USD', '0.5', 'half-up').amountMinor).toBe(1);
  });
  it('fails loudly on a missing rate', () => {
    expect(() => convert(money(1, 'EUR'), 'CHF', fx)).toThrow(/No EUR->CHF/);
    expect(convert(money(100, 'EUR'), 'CHF', DEFAULT_FX_TABLE).amountMinor).toBe(94);
  });
});
