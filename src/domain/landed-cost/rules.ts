/**
 * Cross-border rules as data. Every rule carries the dates it is in force and where it comes from, so a change in
 * law is a new row with a new `effectiveFrom`, never a code change, and a past order can be re-priced as it was.
 * The engine (`landed-cost.ts`) knows the *shapes* below, not the numbers.
 */

export type Incoterm = 'DDP' | 'DAP';

export interface Dated {
  /** First day the rule applies, ISO date, inclusive. */
  readonly effectiveFrom: string;
  /** Last day the rule applies, ISO date, inclusive; absent = until replaced. */
  readonly effectiveTo?: string;
  /** Where the fact comes from (regulation, URL, feed), so ops can re-check it. */
  readonly source: string;
}

/** A customs territory: one tariff and one set of import rules (the EU is one; GB, US, AU each another). */
export interface CustomsTerritory {
  readonly id: string;
  /** ISO 3166-1 alpha-2 countries inside it. */
  readonly members: readonly string[];
  /** What import duty is charged on: CIF = goods + freight + insurance (EU, GB); FOB = goods only (US, AU). */
  readonly valuation: 'CIF' | 'FOB';
  /** Regime reported for an ordinary import into the territory, e.g. 'eu_import'. */
  readonly importRegime: string;
  /** Regime reported between two different member countries (no customs), e.g. 'intra_eu'. */
  readonly internalRegime: string;
}

/** Standard VAT/GST rate of a destination country. */
export interface VatRateRule extends Dated {
  readonly country: string;
  /** Percentage as a decimal string, e.g. '19', '25.5'. */
  readonly ratePct: string;
  readonly taxName: 'VAT' | 'GST';
}

/** Import duty rate by HS-code prefix (longest prefix wins). `hsPrefix: ''` is a territory-wide fallback. */
export interface DutyRateRule extends Dated {
  readonly territory: string;
  readonly hsPrefix: string;
  readonly ratePct: string;
  /**
   * Countries of origin this (preferential) rate is for. A rule with `origins` beats any rule without for those
   * origins, whatever the prefix lengths: a preference (e.g. UK-EU TCA 0%) replaces the MFN rate.
   */
  readonly origins?: readonly string[];
  readonly description?: string;
}

/** A duty charged on top of the ordinary rate (US Section 301/122 style), by HS prefix and country of origin. */
export interface AdditionalDutyRule extends Dated {
  readonly id: string;
  readonly territory: string;
  readonly hsPrefix: string;
  readonly ratePct: string;
  /** Only goods of these origins; absent = all origins. */
  readonly origins?: readonly string[];
  /** Goods of these origins are exempt. */
  readonly excludeOrigins?: readonly string[];
  readonly description: string;
}

/** Consignment value limit, inclusive: a consignment qualifies when its intrinsic value is <= the amount. */
export interface Threshold {
  readonly amountMinor: number;
  readonly currency: string;
}

/**
 * A scheme under which the seller charges the destination's VAT/GST at checkout instead of at import
 * (EU IOSS, UK <= GBP 135 supply VAT, Australian low-value goods GST).
 */
export interface CheckoutTaxScheme extends Dated {
  readonly id: string;
  /** Regime reported when the scheme applies, e.g. 'eu_ioss'. */
  readonly regime: string;
  readonly territory: string;
  /** Compared with the consignment's intrinsic value (goods only, no freight or insurance). */
  readonly threshold: Threshold;
  /** EU IOSS is optional: it applies only when the seller gives an IOSS number. */
  readonly requiresIossNumber: boolean;
  readonly description: string;
}

export type LowValueDutyTreatment =
  | { readonly kind: 'exempt' }
  | {
      /** A flat amount per tariff category: distinct first `hsDigits` digits of the HS codes in the parcel. */
      readonly kind: 'flat_per_tariff_category';
      readonly amountMinor: number;
      readonly currency: string;
      readonly hsDigits: number;
      /** When this checkout scheme applies, the flat duty is collected at checkout with the VAT. */
      readonly collectedWithScheme?: string;
    };

/** How import duty is treated for a consignment at or under a value (de minimis relief, EU flat duty). */
export interface LowValueDutyRule extends Dated {
  readonly id: string;
  readonly territory: string;
  readonly threshold: Threshold;
  readonly treatment: LowValueDutyTreatment;
  /** Regime reported when this rule applies and no checkout scheme does, e.g. 'us_de_minimis'. */
  readonly regime?: string;
  /** Countries the consignment may be shipped from / may not be shipped from. */
  readonly shipFrom?: { readonly include?: readonly string[]; readonly exclude?: readonly string[] };
  readonly description: string;
}

/**
 * What the carrier charges for handling duties and taxes at import: DDP = duty/tax-paid service charge billed to
 * the shipper; DAP = disbursement/advancement fee collected from the consignee at the door.
 * Charged only when something is payable at import. Fee = max(minimum, pct x duties and taxes paid at import).
 */
export interface CarrierFeeRule extends Dated {
  readonly territory: string;
  readonly incoterm: Incoterm;
  readonly minimum: Threshold;
  readonly pctOfCharges: string;
  readonly description: string;
}

export interface CrossBorderRules {
  readonly version: string;
  readonly territories: readonly CustomsTerritory[];
  readonly vat: readonly VatRateRule[];
  readonly duty: readonly DutyRateRule[];
  readonly additionalDuties: readonly AdditionalDutyRule[];
  readonly checkoutTaxSchemes: readonly CheckoutTaxScheme[];
  readonly lowValueDuty: readonly LowValueDutyRule[];
  readonly carrierFees: readonly CarrierFeeRule[];
}

/** True when `rule` is in force on `date` (ISO dates compare correctly as strings). */
export function inForce(rule: Dated, date: string): boolean {
  return rule.effectiveFrom <= date && (rule.effectiveTo === undefined || date <= rule.effectiveTo);
}

/** Of the rules in force on `date` that match, the most recently started one (a later row supersedes). */
export function latestInForce<T extends Dated>(rules: readonly T[], date: string, match: (r: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const r of rules) {
    if (inForce(r, date) && match(r) && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  }
  return best;
}

/**
 * The duty rule for an HS code: preferential (origin-specific) rules first, then MFN; within each, the longest
 * matching prefix; on equal prefixes, the most recently started rule.
 */
export function matchDutyRule(
  rules: readonly DutyRateRule[],
  territory: string,
  hsCode: string,
  origin: string,
  date: string,
): DutyRateRule | undefined {
  let bestPref: DutyRateRule | undefined;
  let bestMfn: DutyRateRule | undefined;
  const better = (a: DutyRateRule, b: DutyRateRule | undefined): boolean =>
    !b || a.hsPrefix.length > b.hsPrefix.length || (a.hsPrefix.length === b.hsPrefix.length && a.effectiveFrom > b.effectiveFrom);
  for (const r of rules) {
    if (r.territory !== territory || !inForce(r, date) || !hsCode.startsWith(r.hsPrefix)) continue;
    if (r.origins) {
      if (r.origins.includes(origin) && better(r, bestPref)) bestPref = r;
    } else if (better(r, bestMfn)) bestMfn = r;
  }
  return bestPref ?? bestMfn;
}

/** Freezes a configuration object graph (defaults are shared by every request and must not be mutated). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
