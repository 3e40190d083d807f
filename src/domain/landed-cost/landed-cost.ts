import {
  MoneyError,
  allocateMinor,
  convert,
  isKnownCurrency,
  money,
  multiplyMinorByRate,
  percentToRatio,
  toDecimalString,
  type FxTable,
  type Money,
} from '../money/index.ts';
import {
  inForce,
  latestInForce,
  matchDutyRule,
  type AdditionalDutyRule,
  type CarrierFeeRule,
  type CheckoutTaxScheme,
  type CrossBorderRules,
  type Dated,
  type DutyRateRule,
  type VatRateRule,
  type CustomsTerritory,
  type Incoterm,
  type LowValueDutyRule,
  type Threshold,
} from './rules.ts';

export interface LandedCostLine {
  /** HS / tariff code, 6 to 10 digits (dots and spaces are ignored). */
  readonly hsCode: string;
  /** Country of origin of the goods (ISO alpha-2), used for preferences and origin-specific duties. */
  readonly originCountry: string;
  /** Selling price per unit in the order currency, minor units. */
  readonly unitValueMinor: number;
  readonly qty: number;
}

export interface LandedCostInput {
  /** Date the goods are sold/imported, ISO; selects the rules, rates and thresholds in force. */
  readonly date: string;
  /** Country the parcel ships from. */
  readonly originCountry: string;
  readonly destinationCountry: string;
  readonly incoterm: Incoterm;
  /** Order currency; every amount in and out is in its minor units. */
  readonly currency: string;
  readonly lines: readonly LandedCostLine[];
  /** Transport charged/paid to the destination, order currency. */
  readonly shippingMinor: number;
  readonly insuranceMinor?: number;
  /** Treated as an immutable value (see `deepFreeze`): lookups in it are remembered per rules object. */
  readonly rules: CrossBorderRules;
  readonly fx: FxTable;
  /** The seller's EU IOSS number; without it the IOSS scheme does not apply and VAT is paid at import. */
  readonly sellerIossNumber?: string;
  /**
   * false: amounts only, `breakdown` left empty. Its human-readable bases are a good part of the work, and the
   * router prices many candidate shipments reading only the amounts. Default true.
   */
  readonly breakdown?: boolean;
}

export type LandedCostKind = 'duty' | 'additional_duty' | 'flat_duty' | 'vat' | 'fee';

export interface LandedCostComponent {
  readonly kind: LandedCostKind;
  readonly amountMinor: number;
  readonly currency: string;
  /** Human-readable derivation: rate, base, rule and its source. */
  readonly basis: string;
  /** Collected by the seller at checkout (scheme), or paid at import. */
  readonly collectedAt: 'checkout' | 'import';
  /** Who pays it in the end: the customer (checkout or door) or the merchant (DDP import charges). */
  readonly paidBy: 'customer' | 'merchant';
}

export interface CustomsDeclaration {
  readonly lines: ReadonlyArray<{ hsCode: string; originCountry: string; valueMinor: number; qty: number }>;
  readonly customsValueMinor: number;
  readonly currency: string;
  readonly iossNumber?: string;
  readonly incoterm: Incoterm;
}

export interface LandedCost {
  /** 'domestic' | 'intra_eu' | 'eu_ioss' | 'eu_import' | 'gb_low_value' | 'gb_import' | 'us_import' | ... */
  readonly regime: string;
  /** Duty base: goods (+ freight and insurance for CIF territories). For domestic/intra-EU: the goods value. */
  readonly customsValueMinor: number;
  readonly dutyMinor: number;
  readonly vatMinor: number;
  readonly feesMinor: number;
  readonly currency: string;
  /** Taxes/duties the seller charges the customer at checkout under a scheme and remits (IOSS, UK, AU). */
  readonly collectedAtCheckoutMinor: number;
  /** DAP: duties, import VAT and the carrier's disbursement fee the customer pays on delivery. DDP: 0. */
  readonly payableAtDoorMinor: number;
  /**
   * What the routing objective adds for this candidate. Choice: DDP = the import duties + import VAT + carrier
   * fees the merchant pays at the border (not recovered from the customer); DAP = 0. Scheme amounts collected at
   * checkout are never merchant-borne: the merchant remits tax the customer paid (pass-through).
   * Invariant: collectedAtCheckout + payableAtDoor + merchantBorne = duty + vat + fees.
   */
  readonly merchantBorneMinor: number;
  readonly breakdown: readonly LandedCostComponent[];
  readonly customs: CustomsDeclaration;
}

export type LandedCostErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_CURRENCY'
  | 'UNSUPPORTED_DESTINATION'
  | 'NO_VAT_RATE'
  | 'NO_DUTY_RATE'
  | 'MISSING_FX_RATE';

/** Bad input or a gap in the rules/FX configuration: a configuration bug to fix, not a business outcome. */
export class LandedCostError extends Error {
  override readonly name = 'LandedCostError';
  constructor(readonly code: LandedCostErrorCode, message: string) {
    super(message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** A line with its value, read several times per call: a class so that every read sees one hidden class. */
class ValuedLine {
  constructor(
    readonly hsCode: string,
    readonly originCountry: string,
    readonly valueMinor: number,
    readonly qty: number,
  ) {}
}

function fail(code: LandedCostErrorCode, message: string): never {
  throw new LandedCostError(code, message);
}

const normalisedHs = new Map<string, string>();
function normaliseHs(hs: string): string {
  const hit = normalisedHs.get(hs);
  if (hit !== undefined) return hit;
  const digits = hs.replace(/[.\s]/g, '');
  if (!/^\d{6,10}$/.test(digits)) fail('INVALID_INPUT', `HS code must have 6-10 digits: '${hs}'`);
  if (normalisedHs.size > 50_000) normalisedHs.clear();
  normalisedHs.set(hs, digits);
  return digits;
}

/**
 * The rules that apply between two countries on a date, looked up once and remembered per rules object (rules
 * are immutable values, deep-frozen by `deepFreeze`): the router asks landed cost of every cross-border candidate
 * shipment, thousands a second, and these answers repeat across quotes and orders. Duty rules are remembered per
 * HS code and origin as they are met. Nested maps of the input strings: V8 keeps a string's hash, while a joined
 * key would cost a new string and its hash per lookup.
 */
interface BorderRules {
  readonly dest: CustomsTerritory | undefined;
  readonly origin: CustomsTerritory | undefined;
  /** in force in the destination territory, the most recently started first (stable for equal dates) */
  readonly schemes: readonly CheckoutTaxScheme[];
  readonly lowValue: readonly LowValueDutyRule[];
  readonly vatRule: VatRateRule | undefined;
  /** the destination has VAT rows at all (none in force on the date is then a data gap) */
  readonly hasVat: boolean;
  readonly fee: Readonly<Record<Incoterm, CarrierFeeRule | undefined>>;
  readonly duty: Map<string, Map<string, { rule: DutyRateRule | undefined; additional: readonly AdditionalDutyRule[] }>>;
}
type ByDate = Map<string, Map<string, Map<string, BorderRules>>>;
const remembered = new WeakMap<CrossBorderRules, ByDate>();

function latestFirst<T extends Dated>(list: readonly T[], date: string, match: (r: T) => boolean): T[] {
  return list.filter((r) => inForce(r, date) && match(r)).sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? 0 : a.effectiveFrom > b.effectiveFrom ? -1 : 1));
}

function borderRules(rules: CrossBorderRules, date: string, destination: string, originCountry: string): BorderRules {
  let byDate = remembered.get(rules);
  if (!byDate) remembered.set(rules, (byDate = new Map()));
  let byDest = byDate.get(date);
  if (!byDest) {
    if (byDate.size >= 16) byDate.clear(); // a long-running process moves on to new dates
    byDate.set(date, (byDest = new Map()));
  }
  let byOrigin = byDest.get(destination);
  if (!byOrigin) byDest.set(destination, (byOrigin = new Map()));
  let b = byOrigin.get(originCountry);
  if (!b) {
    const dest = rules.territories.find((t) => t.members.includes(destination));
    const id = dest?.id;
    b = {
      dest,
      origin: rules.territories.find((t) => t.members.includes(originCountry)),
      schemes: latestFirst(rules.checkoutTaxSchemes, date, (x) => x.territory === id),
      lowValue: latestFirst(rules.lowValueDuty, date, (x) => x.territory === id),
      vatRule: latestInForce(rules.vat, date, (r) => r.country === destination),
      hasVat: rules.vat.some((r) => r.country === destination),
      fee: {
        DDP: latestInForce(rules.carrierFees, date, (f) => f.territory === id && f.incoterm === 'DDP'),
        DAP: latestInForce(rules.carrierFees, date, (f) => f.territory === id && f.incoterm === 'DAP'),
      },
      duty: new Map(),
    };
    byOrigin.set(originCountry, b);
  }
  return b;
}

/** The duty rule and additional duties for an HS code and origin into `b.dest` (remembered on `b`). */
function dutiesFor(rules: CrossBorderRules, b: BorderRules, date: string, hsCode: string, origin: string) {
  let byOrigin = b.duty.get(hsCode);
  if (!byOrigin) b.duty.set(hsCode, (byOrigin = new Map()));
  let d = byOrigin.get(origin);
  if (!d) {
    const territory = (b.dest as CustomsTerritory).id;
    d = {
      rule: matchDutyRule(rules.duty, territory, hsCode, origin, date),
      additional: rules.additionalDuties.filter(
        (add) =>
          add.territory === territory && hsCode.startsWith(add.hsPrefix) && inForce(add, date) &&
          (!add.origins || add.origins.includes(origin)) && !add.excludeOrigins?.includes(origin),
      ),
    };
    byOrigin.set(origin, d);
  }
  return d;
}

const payerAt = (at: 'checkout' | 'import', incoterm: Incoterm): 'customer' | 'merchant' => (at === 'import' && incoterm === 'DDP' ? 'merchant' : 'customer');

function checkMinor(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) fail('INVALID_INPUT', `${what} must be a non-negative integer of minor units, got ${n}`);
}

/** FX conversion with the stated rounding: banker's (half-even), one rounding per conversion. */
function fxConvert(m: Money, to: string, fx: FxTable): Money {
  try {
    return convert(m, to, fx, 'half-even');
  } catch (e) {
    if (e instanceof MoneyError && e.code === 'MISSING_FX_RATE') fail('MISSING_FX_RATE', e.message);
    throw e;
  }
}

const fmt = (amountMinor: number, currency: string): string => `${toDecimalString(money(amountMinor, currency))} ${currency}`;

/** Intrinsic value <= threshold, comparing in the threshold's currency (goods value converted half-even). */
function withinThreshold(goods: Money, threshold: Threshold, fx: FxTable): boolean {
  return fxConvert(goods, threshold.currency, fx).amountMinor <= threshold.amountMinor;
}

function shipFromAllowed(rule: LowValueDutyRule, origin: string): boolean {
  const s = rule.shipFrom;
  if (!s) return true;
  if (s.include && !s.include.includes(origin)) return false;
  if (s.exclude && s.exclude.includes(origin)) return false;
  return true;
}

/**
 * Landed cost of one parcel crossing a border: duty, import or checkout VAT/GST, carrier duty-handling fees, who
 * pays what and when, and the customs data for the label.
 *
 * Rounding (stated): FX conversions half-even, once per conversion; duty per line and VAT per consignment half-up
 * to the minor unit of the order currency (customs practice rounds to the nearest unit; ties up).
 * Bases: duty on the customs value (CIF or FOB per territory; freight and insurance are apportioned to lines by
 * value); import VAT on goods + freight + insurance + duty (EU/UK CIF + duty; AU value of the taxable
 * importation); checkout-scheme VAT on the sale price goods + freight + insurance.
 *
 * @example
 * landedCost({ date: '2026-05-01', originCountry: 'CN', destinationCountry: 'DE', incoterm: 'DAP', currency: 'EUR',
 *   lines: [{ hsCode: '610910', originCountry: 'CN', unitValueMinor: 2000, qty: 2 }], shippingMinor: 500,
 *   rules: DEFAULT_CROSSBORDER_RULES, fx: DEFAULT_FX_TABLE, sellerIossNumber: 'IM2760000001' })
 * // regime 'eu_ioss', vatMinor 855 (19% of 45.00) collected at checkout, no duty, nothing at the door
 */
export function landedCost(input: LandedCostInput): LandedCost {
  const { date, currency, rules, fx, incoterm } = input;
  if (!ISO_DATE.test(date)) fail('INVALID_INPUT', `date must be YYYY-MM-DD, got '${date}'`);
  if (!isKnownCurrency(currency)) fail('UNKNOWN_CURRENCY', `Unknown currency: ${currency}`);
  if (!COUNTRY.test(input.originCountry) || !COUNTRY.test(input.destinationCountry)) {
    fail('INVALID_INPUT', 'origin and destination must be ISO 3166-1 alpha-2 codes');
  }
  if (incoterm !== 'DDP' && incoterm !== 'DAP') fail('INVALID_INPUT', `Unsupported incoterm: ${String(incoterm)}`);
  if (input.lines.length === 0) fail('INVALID_INPUT', 'at least one line is required');
  const shipping = input.shippingMinor;
  const insurance = input.insuranceMinor ?? 0;
  checkMinor(shipping, 'shippingMinor');
  checkMinor(insurance, 'insuranceMinor');

  const lines = input.lines.map((l) => {
    checkMinor(l.unitValueMinor, 'unitValueMinor');
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) fail('INVALID_INPUT', `qty must be a positive integer, got ${l.qty}`);
    if (!COUNTRY.test(l.originCountry)) fail('INVALID_INPUT', `line originCountry must be alpha-2: '${l.originCountry}'`);
    const valueMinor = l.unitValueMinor * l.qty;
    checkMinor(valueMinor, 'line value');
    return new ValuedLine(normaliseHs(l.hsCode), l.originCountry, valueMinor, l.qty);
  });
  const goodsMinor = lines.reduce((a, l) => a + l.valueMinor, 0);
  const goods = money(goodsMinor, currency);
  const freightIns = shipping + insurance;

  const border = borderRules(rules, date, input.destinationCountry, input.originCountry);
  const { dest, origin } = border;

  // Domestic and single-market movements: no customs, no import taxes. The sale's own VAT/sales tax is the
  // ordinary domestic tax (OSS for intra-EU B2C) that the tax module charges; it is not a landed cost.
  if (input.originCountry === input.destinationCountry || (dest && origin && dest.id === origin.id)) {
    const regime = input.originCountry === input.destinationCountry ? 'domestic' : (dest as CustomsTerritory).internalRegime;
    return {
      regime,
      customsValueMinor: goodsMinor,
      dutyMinor: 0,
      vatMinor: 0,
      feesMinor: 0,
      currency,
      collectedAtCheckoutMinor: 0,
      payableAtDoorMinor: 0,
      merchantBorneMinor: 0,
      breakdown: [],
      customs: { lines, customsValueMinor: goodsMinor, currency, incoterm },
    };
  }
  if (!dest) fail('UNSUPPORTED_DESTINATION', `No customs territory configured for ${input.destinationCountry}`);

  // 1. Customs value: freight and insurance apportioned to lines by value (needed for per-line CIF duty).
  const extra = dest.valuation === 'CIF' ? allocateMinor(freightIns, lines.map((l) => l.valueMinor)) : null;
  const lineCustomsValue = lines.map((l, i) => l.valueMinor + (extra ? (extra[i] as number) : 0));
  const customsValueMinor = lineCustomsValue.reduce((a, b) => a + b, 0);

  // 2. Which scheme and which low-value duty treatment apply (thresholds on intrinsic value = goods only).
  // (the latest in force that matches: the in-force lists are remembered latest first)
  const scheme: CheckoutTaxScheme | undefined = border.schemes.find(
    (s) => (!s.requiresIossNumber || !!input.sellerIossNumber) && withinThreshold(goods, s.threshold, fx),
  );
  const lowValue = border.lowValue.find((r) => shipFromAllowed(r, input.originCountry) && withinThreshold(goods, r.threshold, fx));
  const regime = scheme?.regime ?? lowValue?.regime ?? dest.importRegime;

  const breakdown: LandedCostComponent[] = [];
  const explain = input.breakdown !== false;
  let dutyAtCheckout = 0;
  let dutyAtImport = 0;

  // 3. Duty.
  if (lowValue?.treatment.kind === 'exempt') {
    // nothing to charge; recorded in the basis of the result for the explanation
    explain && breakdown.push({
      kind: 'duty',
      amountMinor: 0,
      currency,
      basis: `${lowValue.id}: ${lowValue.description} (${lowValue.source})`,
      collectedAt: 'import',
      paidBy: payerAt('import', incoterm),
    });
  } else if (lowValue?.treatment.kind === 'flat_per_tariff_category') {
    const t = lowValue.treatment;
    const categories = new Set(lines.map((l) => l.hsCode.slice(0, t.hsDigits)));
    const amount = fxConvert(money(t.amountMinor * categories.size, t.currency), currency, fx).amountMinor;
    const at = scheme && t.collectedWithScheme === scheme.id ? 'checkout' : 'import';
    if (at === 'checkout') dutyAtCheckout += amount;
    else dutyAtImport += amount;
    explain && breakdown.push({
      kind: 'flat_duty',
      amountMinor: amount,
      currency,
      basis:
        `${lowValue.id}: ${fmt(t.amountMinor, t.currency)} x ${categories.size} tariff categor${categories.size === 1 ? 'y' : 'ies'} ` +
        `(HS${t.hsDigits} ${[...categories].join(', ')})${t.currency !== currency ? ` converted at FX ${fx.asOf}` : ''} (${lowValue.source})`,
      collectedAt: at,
      paidBy: payerAt(at, incoterm),
    });
  } else {
    lines.forEach((l, i) => {
      const base = lineCustomsValue[i] as number;
      const { rule, additional } = dutiesFor(rules, border, date, l.hsCode, l.originCountry);
      if (!rule) fail('NO_DUTY_RATE', `No ${dest.id} duty rate for HS ${l.hsCode} (origin ${l.originCountry}) on ${date}`);
      const amount = multiplyMinorByRate(base, percentToRatio(rule.ratePct), 'half-up');
      dutyAtImport += amount;
      explain && breakdown.push({
        kind: 'duty',
        amountMinor: amount,
        currency,
        basis:
          `HS ${l.hsCode} (${l.originCountry}): ${rule.ratePct}% of ${dest.valuation} ${fmt(base, currency)} ` +
          `[${dest.id} ${rule.origins ? 'preferential' : 'MFN'} ${rule.hsPrefix || '*'}${rule.description ? ` ${rule.description}` : ''}] (${rule.source})`,
        collectedAt: 'import',
        paidBy: payerAt('import', incoterm),
      });
      for (const add of additional) {
        const extraDuty = multiplyMinorByRate(base, percentToRatio(add.ratePct), 'half-up');
        dutyAtImport += extraDuty;
        explain && breakdown.push({
          kind: 'additional_duty',
          amountMinor: extraDuty,
          currency,
          basis: `HS ${l.hsCode} (${l.originCountry}): ${add.id} ${add.ratePct}% of ${fmt(base, currency)} - ${add.description} (${add.source})`,
          collectedAt: 'import',
          paidBy: payerAt('import', incoterm),
        });
      }
    });
  }
  const dutyMinor = dutyAtCheckout + dutyAtImport;

  // 4. VAT / GST at the destination rate (none configured, e.g. US: no import VAT in landed cost).
  // A country with no VAT rows at all has no import VAT (US); one with rows but none in force is a data gap.
  const vatRule = border.vatRule;
  if (!vatRule && border.hasVat) {
    fail('NO_VAT_RATE', `No VAT rate for ${input.destinationCountry} in force on ${date}`);
  }
  let vatAtCheckout = 0;
  let vatAtImport = 0;
  if (vatRule) {
    const rate = percentToRatio(vatRule.ratePct);
    if (scheme) {
      const base = goodsMinor + freightIns;
      vatAtCheckout = multiplyMinorByRate(base, rate, 'half-up');
      explain && breakdown.push({
        kind: 'vat',
        amountMinor: vatAtCheckout,
        currency,
        basis:
          `${input.destinationCountry} ${vatRule.taxName} ${vatRule.ratePct}% of sale price ${fmt(base, currency)} (goods + freight + insurance), ` +
          `collected at checkout under ${scheme.id}: ${scheme.description} (${scheme.source})`,
        collectedAt: 'checkout',
        paidBy: 'customer',
      });
    } else {
      const base = goodsMinor + freightIns + dutyMinor;
      vatAtImport = multiplyMinorByRate(base, rate, 'half-up');
      explain && breakdown.push({
        kind: 'vat',
        amountMinor: vatAtImport,
        currency,
        basis:
          `${input.destinationCountry} import ${vatRule.taxName} ${vatRule.ratePct}% of ${fmt(base, currency)} ` +
          `(goods + freight + insurance + duty) (${vatRule.source})`,
        collectedAt: 'import',
        paidBy: payerAt('import', incoterm),
      });
    }
  }
  const vatMinor = vatAtCheckout + vatAtImport;

  // 5. Carrier fee for advancing duties/taxes at import, only when something is payable at import.
  const importCharges = dutyAtImport + vatAtImport;
  let feesMinor = 0;
  if (importCharges > 0) {
    const feeRule = border.fee[incoterm];
    if (feeRule) {
      const minimum = fxConvert(money(feeRule.minimum.amountMinor, feeRule.minimum.currency), currency, fx).amountMinor;
      const pct = multiplyMinorByRate(importCharges, percentToRatio(feeRule.pctOfCharges), 'half-up');
      feesMinor = Math.max(minimum, pct);
      explain && breakdown.push({
        kind: 'fee',
        amountMinor: feesMinor,
        currency,
        basis:
          `${incoterm} ${feeRule.description}: max(${fmt(feeRule.minimum.amountMinor, feeRule.minimum.currency)}, ` +
          `${feeRule.pctOfCharges}% of ${fmt(importCharges, currency)}) (${feeRule.source})`,
        collectedAt: 'import',
        paidBy: payerAt('import', incoterm),
      });
    }
  }

  const collectedAtCheckoutMinor = dutyAtCheckout + vatAtCheckout;
  const atImport = importCharges + feesMinor;
  const useIoss = scheme?.requiresIossNumber === true && input.sellerIossNumber !== undefined;
  return {
    regime,
    customsValueMinor,
    dutyMinor,
    vatMinor,
    feesMinor,
    currency,
    collectedAtCheckoutMinor,
    payableAtDoorMinor: incoterm === 'DAP' ? atImport : 0,
    merchantBorneMinor: incoterm === 'DDP' ? atImport : 0,
    breakdown,
    customs: {
      lines,
      customsValueMinor,
      currency,
      ...(useIoss ? { iossNumber: input.sellerIossNumber as string } : {}),
      incoterm,
    },
  };
}
