import { MoneyError, isKnownCurrency } from './currency.ts';
import { convertAtRate, parseRate, type Money, type Ratio, type Rounding } from './money.ts';

/**
 * A table of FX rates quoted against one base currency, as of a date: `rates[X]` is how many units of X one unit
 * of `base` buys, as a decimal string ("1.1500") or exact ratio. Rates are data (a treasury/ECB feed), never floats.
 */
export interface FxTable {
  readonly asOf: string;
  readonly base: string;
  readonly rates: Readonly<Record<string, string | Ratio>>;
  readonly source?: string;
}

/** The exact cross rate from -> to (units of `to` per unit of `from`) through the table's base currency. */
export function fxRate(fx: FxTable, from: string, to: string): Ratio {
  if (from === to) return { num: 1n, den: 1n };
  const leg = (c: string): Ratio => {
    if (c === fx.base) return { num: 1n, den: 1n };
    const r = fx.rates[c];
    if (r === undefined) throw new MoneyError('MISSING_FX_RATE', `No ${fx.base}->${c} rate in FX table as of ${fx.asOf}`);
    const ratio = parseRate(r);
    if (ratio.num === 0n) throw new MoneyError('INVALID_RATE', `Zero FX rate for ${c}`);
    return ratio;
  };
  const f = leg(from);
  const t = leg(to);
  // to/from = (t.num/t.den) / (f.num/f.den)
  return { num: t.num * f.den, den: t.den * f.num };
}

/**
 * Converts with the table's cross rate, rounding once at the end; default rounding is banker's (half-even),
 * which does not drift when many conversions are summed.
 * @example convert(money(10000, 'USD'), 'EUR', fx) // USD 100.00 at EUR->USD 1.1500 = EUR 86.96 (86.9565..)
 */
export function convert(m: Money, to: string, fx: FxTable, rounding: Rounding = 'half-even'): Money {
  if (!isKnownCurrency(to)) throw new MoneyError('UNKNOWN_CURRENCY', `Unknown currency: ${to}`);
  if (m.currency === to) return m;
  return convertAtRate(m, to, fxRate(fx, m.currency, to), rounding);
}

/**
 * A small illustrative FX table (EUR base, mid-market levels of the kind seen in 2025-26) for demos and tests.
 * Replace with a dated feed in production; do not price real orders with it.
 */
export const DEFAULT_FX_TABLE: FxTable = Object.freeze({
  asOf: '2026-05-01',
  base: 'EUR',
  source: 'illustrative values for demos/tests, not a market feed',
  rates: Object.freeze({
    USD: '1.1500',
    GBP: '0.8600',
    AUD: '1.7500',
    CAD: '1.5800',
    CHF: '0.9400',
    CNY: '8.2000',
    JPY: '170.00',
    SEK: '11.000',
    PLN: '4.2500',
    KWD: '0.3520',
  }),
});
