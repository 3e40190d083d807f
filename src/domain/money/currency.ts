/**
 * ISO 4217 minor-unit exponents (the number of decimal places of the minor unit) for the currencies an OMS
 * commonly meets. Source: ISO 4217 list one (SIX Group, "Current currency & funds code list"), as published 2025.
 * A currency that is not in this table is rejected by the order API (`isKnownCurrency`), rather than being
 * guessed at 2 decimals: JPY has 0 and KWD has 3, and a wrong exponent is a 100x or 10x pricing error.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  // 0 decimals
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // 3 decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // 4 decimals (units of account)
  CLF: 4, UYW: 4,
  // 2 decimals
  AED: 2, ARS: 2, AUD: 2, BDT: 2, BGN: 2, BRL: 2, CAD: 2, CHF: 2, CNY: 2, COP: 2, CZK: 2, DKK: 2,
  DZD: 2, EGP: 2, EUR: 2, GBP: 2, GEL: 2, GHS: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, JMD: 2,
  KES: 2, KZT: 2, LKR: 2, MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, PEN: 2, PHP: 2, PKR: 2,
  PLN: 2, QAR: 2, RON: 2, RSD: 2, RUB: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TTD: 2, TWD: 2,
  UAH: 2, USD: 2, UYU: 2, UZS: 2, ZAR: 2,
});

/** True when `code` is an ISO 4217 code this system knows the minor unit of (case-sensitive, upper case). */
export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

/** Minor-unit exponent of a known currency: `minorUnitExponent('JPY') === 0`, `minorUnitExponent('KWD') === 3`. */
export function minorUnitExponent(currency: string): number {
  if (!isKnownCurrency(currency)) throw new MoneyError('UNKNOWN_CURRENCY', `Unknown currency: ${currency}`);
  return CURRENCY_EXPONENTS[currency] as number;
}

export type MoneyErrorCode =
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'NOT_AN_INTEGER'
  | 'INVALID_RATE'
  | 'INVALID_AMOUNT'
  | 'INVALID_RATIOS'
  | 'MISSING_FX_RATE';

/** A programming or configuration error in money handling (bad input); never an expected business outcome. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  constructor(readonly code: MoneyErrorCode, message: string) {
    super(message);
  }
}
