import { MoneyError, isKnownCurrency, minorUnitExponent } from './currency.ts';

/**
 * An amount of money: an integer count of the currency's minor unit (cents, yen, fils) and an ISO 4217 code.
 * Never a float. Amounts are JS safe integers (|n| < 2^53, i.e. 90 trillion USD); rate arithmetic runs in BigInt.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/**
 * How a result that falls between two minor units is rounded.
 * - `half-even` (banker's): ties go to the even neighbour (2.5 -> 2, 3.5 -> 4); unbiased over many sums. Used for FX.
 * - `half-up`: ties go away from zero (2.5 -> 3, -2.5 -> -3); what tax and customs authorities print. Used for tax.
 */
export type Rounding = 'half-even' | 'half-up';

/** An exact non-negative rational rate `num/den`, e.g. a VAT rate 19/100 or an FX rate 10850/10000. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new MoneyError('NOT_AN_INTEGER', `${what} must be a safe integer, got ${n}`);
}

function toSafeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError('INVALID_AMOUNT', `amount out of the safe integer range: ${n}`);
  }
  return Number(n);
}

/** Builds a Money, checking the currency is known and the amount is an integer of minor units. */
export function money(amountMinor: number, currency: string): Money {
  if (!isKnownCurrency(currency)) throw new MoneyError('UNKNOWN_CURRENCY', `Unknown currency: ${currency}`);
  assertSafeInteger(amountMinor, 'amountMinor');
  return Object.freeze({ amountMinor, currency });
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('CURRENCY_MISMATCH', `Cannot combine ${a.currency} and ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

/** Sum of amounts that must all be in `currency` (an empty list sums to zero). */
export function sum(items: readonly Money[], currency: string): Money {
  let total = 0;
  for (const m of items) {
    if (m.currency !== currency) throw new MoneyError('CURRENCY_MISMATCH', `Cannot sum ${m.currency} into ${currency}`);
    total += m.amountMinor;
  }
  return money(total, currency);
}

/** Integer multiple (quantity x unit price); exact. */
export function multiplyByInt(m: Money, factor: number): Money {
  assertSafeInteger(factor, 'factor');
  return money(toSafeNumber(BigInt(m.amountMinor) * BigInt(factor)), m.currency);
}

/**
 * Rounds the exact quotient `num/den` to an integer. `den` must be positive.
 * @example divideRound(5n, 2n, 'half-even') === 2n; divideRound(5n, 2n, 'half-up') === 3n
 */
export function divideRound(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den <= 0n) throw new MoneyError('INVALID_RATE', 'denominator must be positive');
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  const r = abs % den;
  const twice = r * 2n;
  if (twice > den) q += 1n;
  else if (twice === den) {
    if (rounding === 'half-up' || q % 2n === 1n) q += 1n;
  }
  return negative ? -q : q;
}

/** Below 2^52 products and quotients of integers are exact in a double, and so is q * den <= p + den < 2^53. */
const EXACT = 2 ** 52;

/** floor(p / d) for integers 0 <= p, 0 < d below EXACT: the double quotient, corrected by one where it rounds across an integer. */
function floorDiv(p: number, d: number): number {
  const q = Math.floor(p / d);
  const r = p - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

/**
 * `round(a * num / den)` for a safe integer `a`: in double arithmetic while every intermediate is an exact integer
 * (the usual case: cents times a rate of a few digits), else in BigInt. Same result either way (tested); the
 * double path spares a BigInt allocation per operation, which landed cost does many times per routing decision.
 */
function mulDivRound(a: number, num: bigint, den: bigint, rounding: Rounding): number {
  const n = Number(num);
  const d = Number(den);
  const abs = a < 0 ? -a : a;
  const p = abs * n;
  if (p < EXACT && n < EXACT && d < EXACT && d > 0) {
    let q = floorDiv(p, d);
    const r = p - q * d;
    const rest = d - r;
    if (r > rest || (r === rest && (rounding === 'half-up' || q % 2 === 1))) q += 1;
    return a < 0 && q !== 0 ? -q : q;
  }
  return toSafeNumber(divideRound(BigInt(a) * num, den, rounding));
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const FRACTION = /^(\d+)\/(\d+)$/;

/**
 * Parses a rate written as a decimal string ("1.0850", "19", "25.5") or a fraction ("3/4") into an exact Ratio.
 * Numbers are refused on purpose: a float such as 0.1 is already inexact before it reaches us.
 */
export function parseRate(rate: string | Ratio): Ratio {
  if (typeof rate !== 'string') {
    if (rate.den <= 0n || rate.num < 0n) throw new MoneyError('INVALID_RATE', 'ratio must be non-negative with den > 0');
    return rate;
  }
  const hit = parsedRates.get(rate);
  if (hit) return hit;
  const parsed = parseRateText(rate);
  if (parsedRates.size > 10_000) parsedRates.clear();
  parsedRates.set(rate, parsed);
  return parsed;
}

// rates come from a few configuration strings, parsed again on every landed-cost and FX call: remember them
const parsedRates = new Map<string, Ratio>();

function parseRateText(rate: string): Ratio {
  const s = rate.trim();
  const f = FRACTION.exec(s);
  if (f) {
    const den = BigInt(f[2] as string);
    if (den === 0n) throw new MoneyError('INVALID_RATE', `Invalid rate: ${rate}`);
    return { num: BigInt(f[1] as string), den };
  }
  const d = DECIMAL.exec(s);
  if (!d) throw new MoneyError('INVALID_RATE', `Invalid rate: ${rate}`);
  const frac = d[2] ?? '';
  return { num: BigInt((d[1] as string) + frac), den: 10n ** BigInt(frac.length) };
}

/** A percentage string ("19", "25.5") as a Ratio of one (19/100). */
export function percentToRatio(pct: string): Ratio {
  let hit = percentRatios.get(pct);
  if (!hit) {
    const r = parseRate(pct);
    hit = Object.freeze({ num: r.num, den: r.den * 100n });
    if (percentRatios.size > 10_000) percentRatios.clear();
    percentRatios.set(pct, hit);
  }
  return hit;
}
const percentRatios = new Map<string, Ratio>();

/**
 * `m x rate`, rounded once to the minor unit with the stated rounding.
 * @example multiplyByRate(money(1999, 'EUR'), percentToRatio('19'), 'half-up') // 380 (= 379.81 cents -> 380)
 */
export function multiplyByRate(m: Money, rate: string | Ratio, rounding: Rounding): Money {
  return money(multiplyMinorByRate(m.amountMinor, rate, rounding), m.currency);
}

/** `multiplyByRate` on a bare amount of minor units (hot paths that would otherwise build a Money per step). */
export function multiplyMinorByRate(amountMinor: number, rate: string | Ratio, rounding: Rounding): number {
  assertSafeInteger(amountMinor, 'amountMinor');
  const r = parseRate(rate);
  return mulDivRound(amountMinor, r.num, r.den, rounding);
}

/**
 * Converts `m` to `toCurrency` at `rate` (units of `toCurrency` per one unit of `m.currency`, e.g. EUR->JPY "170.25"),
 * accounting for the two currencies' minor-unit exponents, with a single rounding at the end.
 * @example convertAtRate(money(10000, 'EUR'), 'JPY', '170.25', 'half-even') // 17025 JPY
 */
export function convertAtRate(m: Money, toCurrency: string, rate: string | Ratio, rounding: Rounding): Money {
  const r = parseRate(rate);
  const shift = minorUnitExponent(toCurrency) - minorUnitExponent(m.currency);
  const num = shift > 0 ? r.num * 10n ** BigInt(shift) : r.num;
  const den = shift < 0 ? r.den * 10n ** BigInt(-shift) : r.den;
  return money(mulDivRound(m.amountMinor, num, den, rounding), toCurrency);
}

/**
 * Splits `m` in proportion to non-negative integer `ratios` so that the parts sum exactly to `m`
 * (largest-remainder method; ties go to the earlier part, so the result is deterministic).
 * @example allocate(money(100, 'USD'), [1, 1, 1]) // 34, 33, 33 cents
 */
export function allocate(m: Money, ratios: readonly (number | bigint)[]): Money[] {
  return allocateMinor(m.amountMinor, ratios).map((p) => money(p, m.currency));
}

/** `allocate` on a bare amount of minor units (hot paths that would otherwise build a Money per part). */
export function allocateMinor(amountMinor: number, ratios: readonly (number | bigint)[]): number[] {
  if (ratios.length === 0) throw new MoneyError('INVALID_RATIOS', 'allocate needs at least one ratio');
  assertSafeInteger(amountMinor, 'amountMinor');
  return allocateExactly(amountMinor, ratios) ?? allocateBig(amountMinor, ratios);
}

function allocateBig(amountMinor: number, ratios: readonly (number | bigint)[]): number[] {
  const rs = ratios.map((r) => {
    const b = typeof r === 'bigint' ? r : (assertSafeInteger(r, 'ratio'), BigInt(r));
    if (b < 0n) throw new MoneyError('INVALID_RATIOS', 'ratios must be non-negative');
    return b;
  });
  const total = rs.reduce((a, b) => a + b, 0n);
  const amount = BigInt(amountMinor);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  if (total === 0n) {
    // Nothing to weigh by: split evenly rather than fail (e.g. shipping over zero-value lines).
    return allocateMinor(amountMinor, rs.map(() => 1n));
  }
  const parts = rs.map((r) => (abs * r) / total);
  const remainders = rs.map((r, i) => ({ i, rem: (abs * r) % total }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) {
    const idx = (remainders[k % remainders.length] as { i: number }).i;
    parts[idx] = (parts[idx] as bigint) + 1n;
  }
  return parts.map((p) => toSafeNumber(negative ? -p : p));
}

/**
 * `allocate` in double arithmetic when every product is an exact integer (< 2^52); undefined otherwise (bigint
 * ratios, or amounts and weights too large), and the BigInt version answers.
 */
function allocateExactly(amountMinor: number, ratios: readonly (number | bigint)[]): number[] | undefined {
  let total = 0;
  let max = 0;
  for (const r of ratios) {
    if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0) return undefined;
    total += r;
    if (r > max) max = r;
  }
  const abs = Math.abs(amountMinor);
  if (total === 0 || total >= EXACT || abs * max >= EXACT) return undefined;
  const parts: number[] = [];
  const remainders: Array<{ i: number; rem: number }> = [];
  ratios.forEach((r, i) => {
    const p = abs * (r as number);
    const q = floorDiv(p, total);
    parts.push(q);
    remainders.push({ i, rem: p - q * total });
  });
  let left = abs - parts.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => (a.rem === b.rem ? a.i - b.i : b.rem - a.rem));
  for (let k = 0; left > 0; k++, left--) parts[remainders[k % remainders.length]!.i]! += 1;
  return amountMinor < 0 ? parts.map((p) => (p !== 0 ? -p : p)) : parts;
}

/** The exact decimal string of an amount in major units: `toDecimalString(money(-1234, 'USD')) === '-12.34'`. */
export function toDecimalString(m: Money): string {
  const exp = minorUnitExponent(m.currency);
  const negative = m.amountMinor < 0;
  const digits = String(Math.abs(m.amountMinor)).padStart(exp + 1, '0');
  const body = exp === 0 ? digits : `${digits.slice(0, digits.length - exp)}.${digits.slice(digits.length - exp)}`;
  return negative ? `-${body}` : body;
}

/** Parses a major-unit decimal string exactly ("12.34" USD -> 1234). Refuses more decimals than the currency has. */
export function fromDecimalString(s: string, currency: string): Money {
  const exp = minorUnitExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!match) throw new MoneyError('INVALID_AMOUNT', `Invalid amount: ${s}`);
  const frac = match[3] ?? '';
  if (frac.length > exp) throw new MoneyError('INVALID_AMOUNT', `${s} has more than ${exp} decimals for ${currency}`);
  const n = BigInt((match[2] as string) + frac.padEnd(exp, '0'));
  return money(toSafeNumber(match[1] ? -n : n), currency);
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats for display with the currency's own number of decimals. The exact decimal string is handed to
 * Intl (never a float), so large amounts are not rounded on the way.
 * @example formatMoney(money(123456, 'EUR'), 'de-DE') // "1.234,56 €"
 */
export function formatMoney(m: Money, locale = 'en-US'): string {
  const exp = minorUnitExponent(m.currency);
  const key = `${locale}|${m.currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    formatters.set(key, f);
  }
  return f.format(toDecimalString(m) as `${number}`);
}
