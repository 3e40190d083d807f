// Formatting without the DOM (importable from tests).

/**
 * ISO 4217 minor-unit exponents, the same table as the server's src/domain/money/currency.ts (a test keeps them
 * equal). Amounts on the API are integer minor units; a wrong exponent is a 100x error, so it is not guessed.
 */
export const CURRENCY_EXPONENTS = Object.freeze({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
  AED: 2, ARS: 2, AUD: 2, BDT: 2, BGN: 2, BRL: 2, CAD: 2, CHF: 2, CNY: 2, COP: 2, CZK: 2, DKK: 2,
  DZD: 2, EGP: 2, EUR: 2, GBP: 2, GEL: 2, GHS: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, JMD: 2,
  KES: 2, KZT: 2, LKR: 2, MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, PEN: 2, PHP: 2, PKR: 2,
  PLN: 2, QAR: 2, RON: 2, RSD: 2, RUB: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TTD: 2, TWD: 2,
  UAH: 2, USD: 2, UYU: 2, UZS: 2, ZAR: 2,
});

/** The exponent of a currency: the table, else what Intl knows, else null (shown unformatted). */
export function exponentOf(currency) {
  if (Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, currency)) return CURRENCY_EXPONENTS[currency];
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}

/** Integer minor units as an exact decimal string: (123456, 2) → "1234.56", (-5, 2) → "-0.05", (1234, 0) → "1234". */
export function minorToDecimal(minor, exponent) {
  const s = String(Math.abs(Math.trunc(minor)));
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return sign + s;
  const padded = s.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** formatMoney(123456, 'USD') → "$1,234.56"; formatMoney(1234, 'JPY') → "¥1,234". */
export function formatMoney(minor, currency, locale = undefined) {
  if (minor === null || minor === undefined || Number.isNaN(Number(minor))) return '—';
  const exponent = currency ? exponentOf(currency) : null;
  if (exponent === null) return `${minor} (minor units${currency ? ` ${currency}` : ''})`;
  const decimal = minorToDecimal(Number(minor), exponent);
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
  // a decimal string is formatted exactly (Intl.NumberFormat v3); older engines convert it to a Number
  return nf.format(/** @type {any} */ (decimal));
}

/** A signed difference: "+$7.28" / "−$3.21". */
export function formatMoneyDelta(minor, currency, locale = undefined) {
  if (minor === null || minor === undefined) return '';
  const abs = formatMoney(Math.abs(minor), currency, locale);
  return minor > 0 ? `+${abs}` : minor < 0 ? `−${abs}` : `±${abs}`;
}

/** "2026-11-25" → "Wed 25 Nov 2026" (a calendar date: no time zone shift). */
export function formatDay(isoDay, locale = undefined) {
  if (!isoDay) return '—';
  const d = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(isoDay);
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** An instant in the viewer's time zone. */
export function formatInstant(iso, locale = undefined) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export function formatNumber(n, locale = undefined) {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat(locale).format(n);
}

/** "partially_allocated" → "partially allocated" */
export function humanize(code) {
  return String(code ?? '').replace(/_/g, ' ');
}

/** A setting's value in a list of changes: text as it is, anything else as short JSON, "—" for none. */
export function formatValue(v) {
  return v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
}
