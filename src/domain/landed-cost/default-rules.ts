import { DEFAULT_FX_TABLE, type FxTable } from '../money/index.ts';
import { deepFreeze, type CrossBorderRules, type VatRateRule } from './rules.ts';

/**
 * Default cross-border configuration (data only). Facts collected 2026 (see /work/shared/data/crossborder/
 * CROSSBORDER_FACTS.md); verify before relying on them in production, and override per merchant.
 * Coverage: EU (27), GB, US, AU as destinations. Duty rates are a small illustrative MFN sample, not a tariff:
 * an HS code with no matching row fails loudly (LandedCostError NO_DUTY_RATE) rather than being guessed at.
 */

export const EU_MEMBERS = Object.freeze([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
] as const);

const EU_VAT_SOURCE =
  'eu_vat_standard_rates_2026.csv: npm sales-tax@2.23.0 res/sales_tax_rates.json (2026-05-19); cross-checked vs easytax.co/vat-solutions.com/newcraft.dev 2025 tables';

/** [country, rate %, from, to?]; mirrors fixtures/crossborder/eu_vat_standard_rates_2026.csv (a spec checks it). */
const EU_VAT: ReadonlyArray<readonly [string, string, string, string?]> = [
  ['AT', '20.0', '2024-01-01'], ['BE', '21.0', '2024-01-01'], ['BG', '20.0', '2024-01-01'],
  ['HR', '25.0', '2024-01-01'], ['CY', '19.0', '2024-01-01'], ['CZ', '21.0', '2024-01-01'],
  ['DK', '25.0', '2024-01-01'],
  ['EE', '22', '2024-01-01', '2025-06-30'], ['EE', '24.0', '2025-07-01'],
  ['FI', '24', '2024-01-01', '2024-08-31'], ['FI', '25.5', '2024-09-01'],
  ['FR', '20.0', '2024-01-01'], ['DE', '19.0', '2024-01-01'], ['GR', '24.0', '2024-01-01'],
  ['HU', '27.0', '2024-01-01'], ['IE', '23.0', '2024-01-01'], ['IT', '22.0', '2024-01-01'],
  ['LV', '21.0', '2024-01-01'], ['LT', '21.0', '2024-01-01'], ['LU', '17.0', '2024-01-01'],
  ['MT', '18.0', '2024-01-01'], ['NL', '21.0', '2024-01-01'], ['PL', '23.0', '2024-01-01'],
  ['PT', '23.0', '2024-01-01'],
  ['RO', '19', '2024-01-01', '2025-07-31'], ['RO', '21.0', '2025-08-01'],
  ['SK', '20', '2024-01-01', '2024-12-31'], ['SK', '23.0', '2025-01-01'],
  ['SI', '22.0', '2024-01-01'], ['ES', '21.0', '2024-01-01'], ['SE', '25.0', '2024-01-01'],
];

const eu = (t: readonly [string, string, string, string?]): VatRateRule => ({
  country: t[0],
  ratePct: t[1],
  taxName: 'VAT',
  effectiveFrom: t[2],
  ...(t[3] ? { effectiveTo: t[3] } : {}),
  source: EU_VAT_SOURCE,
});

const ILLUSTRATIVE_TARIFF = 'illustrative MFN sample; verify against TARIC / UK Global Tariff / USITC HTS / ABF tariff';
const ILLUSTRATIVE_FEE = 'illustrative carrier fee; replace with the figures in your carrier contract';

export const DEFAULT_CROSSBORDER_RULES: CrossBorderRules = deepFreeze({
  version: '2026-05-01',
  territories: [
    { id: 'EU', members: EU_MEMBERS, valuation: 'CIF', importRegime: 'eu_import', internalRegime: 'intra_eu' },
    // Northern Ireland follows EU rules for goods; not modelled (GB destination = Great Britain).
    { id: 'GB', members: ['GB'], valuation: 'CIF', importRegime: 'gb_import', internalRegime: 'domestic' },
    { id: 'US', members: ['US'], valuation: 'FOB', importRegime: 'us_import', internalRegime: 'domestic' },
    { id: 'AU', members: ['AU'], valuation: 'FOB', importRegime: 'au_import', internalRegime: 'domestic' },
  ],

  vat: [
    ...EU_VAT.map(eu),
    { country: 'GB', ratePct: '20', taxName: 'VAT', effectiveFrom: '2011-01-04', source: 'HMRC: UK standard rate 20% since 2011-01-04' },
    { country: 'AU', ratePct: '10', taxName: 'GST', effectiveFrom: '2000-07-01', source: 'ATO: GST 10% since 2000-07-01' },
    // US: no VAT. State/local sales tax is a domestic sales tax the tax module computes; it is left out of landed cost.
  ],

  duty: [
    // EU Common Customs Tariff (Combined Nomenclature)
    { territory: 'EU', hsPrefix: '6109', ratePct: '12', description: 'T-shirts, singlets, knitted', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '6110', ratePct: '12', description: 'Jerseys, pullovers, knitted', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '6204', ratePct: '12', description: "Women's suits, dresses, woven", effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '6403', ratePct: '8', description: 'Footwear, leather uppers', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '8471', ratePct: '0', description: 'Computers', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '851713', ratePct: '0', description: 'Smartphones', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '9503', ratePct: '4.7', description: 'Toys', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'EU', hsPrefix: '3304', ratePct: '0', description: 'Beauty / make-up preparations', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    // UK Global Tariff
    { territory: 'GB', hsPrefix: '6109', ratePct: '12', description: 'T-shirts, knitted', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'GB', hsPrefix: '6110', ratePct: '12', description: 'Jerseys, knitted', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'GB', hsPrefix: '8471', ratePct: '0', description: 'Computers', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'GB', hsPrefix: '851713', ratePct: '0', description: 'Smartphones', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'GB', hsPrefix: '3304', ratePct: '0', description: 'Beauty preparations', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    // US HTS column 1 general
    { territory: 'US', hsPrefix: '610910', ratePct: '16.5', description: 'T-shirts, knitted, of cotton', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'US', hsPrefix: '8471', ratePct: '0', description: 'Computers', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'US', hsPrefix: '851713', ratePct: '0', description: 'Smartphones', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'US', hsPrefix: '9503', ratePct: '0', description: 'Toys', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    // Australian Customs Tariff, general rate
    { territory: 'AU', hsPrefix: '61', ratePct: '5', description: 'Apparel, knitted', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'AU', hsPrefix: '62', ratePct: '5', description: 'Apparel, woven', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'AU', hsPrefix: '8471', ratePct: '0', description: 'Computers', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    { territory: 'AU', hsPrefix: '851713', ratePct: '0', description: 'Smartphones', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_TARIFF },
    // Preferences: EU-UK Trade and Cooperation Agreement, 0% for originating goods (assumes the rules of origin are
    // met and the importer holds a statement on origin).
    { territory: 'EU', hsPrefix: '', ratePct: '0', origins: ['GB'], description: 'TCA preference', effectiveFrom: '2021-01-01', source: 'EU-UK Trade and Cooperation Agreement (in force 2021-01-01)' },
    { territory: 'GB', hsPrefix: '', ratePct: '0', origins: EU_MEMBERS, description: 'TCA preference', effectiveFrom: '2021-01-01', source: 'EU-UK Trade and Cooperation Agreement (in force 2021-01-01)' },
  ],

  additionalDuties: [
    {
      id: 'us_section_122_2026',
      territory: 'US',
      hsPrefix: '',
      ratePct: '10',
      excludeOrigins: ['CA', 'MX'], // USMCA-qualifying goods are exempt; approximated by country of origin
      description: 'Section 122 temporary import surcharge (HTSUS 9903.03.01), 150 days',
      effectiveFrom: '2026-02-24',
      effectiveTo: '2026-07-23',
      source: 'Proclamation of 2026-02-20; CBP CSMS #67844987 (12:01 a.m. EST 2026-02-24 to 12:01 a.m. EDT 2026-07-24). Annex exemptions not modelled.',
    },
    {
      id: 'us_section_301_list_4a',
      territory: 'US',
      hsPrefix: '610910',
      ratePct: '7.5',
      origins: ['CN'],
      description: 'Section 301 List 4A (China), cotton T-shirts',
      effectiveFrom: '2020-02-14',
      source: 'USTR Section 301 List 4A, 85 FR 3741 (7.5% from 2020-02-14); verify',
    },
  ],

  checkoutTaxSchemes: [
    {
      id: 'eu_ioss',
      regime: 'eu_ioss',
      territory: 'EU',
      threshold: { amountMinor: 150_00, currency: 'EUR' },
      requiresIossNumber: true,
      description: 'Import One-Stop Shop: destination VAT charged at checkout for consignments <= EUR 150 intrinsic value',
      effectiveFrom: '2021-07-01',
      source: 'Council Directive (EU) 2017/2455 and 2019/1995; AEAT guide 3.1.4 "Threshold of 150 EUR"',
    },
    {
      id: 'gb_low_value',
      regime: 'gb_low_value',
      territory: 'GB',
      threshold: { amountMinor: 135_00, currency: 'GBP' },
      requiresIossNumber: false,
      description: 'UK supply VAT charged at point of sale for consignments <= GBP 135 (per consignment)',
      effectiveFrom: '2021-01-01',
      source: 'gov.uk/guidance/vat-and-overseas-goods-sold-to-customers-in-great-britain-using-online-marketplaces-from-1-january-2021',
    },
    {
      id: 'au_low_value_gst',
      regime: 'au_low_value_gst',
      territory: 'AU',
      threshold: { amountMinor: 1000_00, currency: 'AUD' },
      requiresIossNumber: false,
      description: 'GST on low value imported goods (<= AUD 1000) collected by the (registered) seller at sale',
      effectiveFrom: '2018-07-01',
      source: 'ATO: GST on low value imported goods, from 2018-07-01',
    },
  ],

  lowValueDuty: [
    {
      id: 'eu_duty_relief_150',
      territory: 'EU',
      threshold: { amountMinor: 150_00, currency: 'EUR' },
      treatment: { kind: 'exempt' },
      description: 'Customs duty relief for consignments of negligible value (<= EUR 150)',
      effectiveFrom: '2021-07-01',
      effectiveTo: '2026-06-30',
      source: 'Council Regulation (EC) 1186/2009 art. 23; abolished for e-commerce parcels by the 2026-02-11 Council decision',
    },
    {
      id: 'eu_flat_duty_3',
      territory: 'EU',
      threshold: { amountMinor: 150_00, currency: 'EUR' },
      treatment: { kind: 'flat_per_tariff_category', amountMinor: 3_00, currency: 'EUR', hsDigits: 6, collectedWithScheme: 'eu_ioss' },
      description: 'Interim flat customs duty EUR 3 per tariff category (distinct HS 6-digit) in parcels <= EUR 150',
      effectiveFrom: '2026-07-01',
      effectiveTo: '2028-06-30',
      source: 'Council approval 2026-02-11 (regfollower.com/?p=78434; politis.com.cy 986140); interim until the EU customs data hub',
    },
    {
      id: 'gb_duty_relief_135',
      territory: 'GB',
      threshold: { amountMinor: 135_00, currency: 'GBP' },
      treatment: { kind: 'exempt' },
      description: 'No customs duty on consignments <= GBP 135 (excise goods excluded, not modelled)',
      effectiveFrom: '2021-01-01',
      source: 'gov.uk (as for gb_low_value)',
    },
    {
      id: 'us_de_minimis_800',
      territory: 'US',
      threshold: { amountMinor: 800_00, currency: 'USD' },
      treatment: { kind: 'exempt' },
      regime: 'us_de_minimis',
      description: 'Section 321 de minimis USD 800',
      effectiveFrom: '2016-03-10',
      effectiveTo: '2025-05-01',
      source: '19 U.S.C. 1321 as amended by TFTEA 2015 (USD 800 from 2016-03-10)',
    },
    {
      id: 'us_de_minimis_800_ex_cn_hk',
      territory: 'US',
      threshold: { amountMinor: 800_00, currency: 'USD' },
      treatment: { kind: 'exempt' },
      regime: 'us_de_minimis',
      shipFrom: { exclude: ['CN', 'HK'] },
      description: 'Section 321 de minimis, no longer for China/Hong Kong from 2025-05-02; suspended for all from 2025-08-29',
      effectiveFrom: '2025-05-02',
      effectiveTo: '2025-08-28',
      source: 'EO 14256 (CN/HK from 2025-05-02); EO 14324 suspends de minimis for all countries from 2025-08-29 (CBP FR 2025-16802); statutory repeal 2027-07-01',
    },
    {
      id: 'au_duty_free_1000',
      territory: 'AU',
      threshold: { amountMinor: 1000_00, currency: 'AUD' },
      treatment: { kind: 'exempt' },
      description: 'No duty (or border GST) on consignments <= AUD 1000 (tobacco/alcohol excluded, not modelled)',
      effectiveFrom: '2018-07-01',
      source: 'Australian Border Force: low value threshold AUD 1000',
    },
  ],

  carrierFees: [
    { territory: 'EU', incoterm: 'DDP', minimum: { amountMinor: 10_00, currency: 'EUR' }, pctOfCharges: '0', description: 'duty/tax paid service charge', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'EU', incoterm: 'DAP', minimum: { amountMinor: 6_00, currency: 'EUR' }, pctOfCharges: '2', description: 'disbursement fee at the door', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'GB', incoterm: 'DDP', minimum: { amountMinor: 10_00, currency: 'GBP' }, pctOfCharges: '0', description: 'duty/tax paid service charge', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'GB', incoterm: 'DAP', minimum: { amountMinor: 11_00, currency: 'GBP' }, pctOfCharges: '2.5', description: 'disbursement fee at the door', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'US', incoterm: 'DDP', minimum: { amountMinor: 10_00, currency: 'USD' }, pctOfCharges: '0', description: 'duty paid service charge', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'US', incoterm: 'DAP', minimum: { amountMinor: 10_00, currency: 'USD' }, pctOfCharges: '2', description: 'disbursement fee at the door', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'AU', incoterm: 'DDP', minimum: { amountMinor: 15_00, currency: 'AUD' }, pctOfCharges: '0', description: 'duty/tax paid service charge', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
    { territory: 'AU', incoterm: 'DAP', minimum: { amountMinor: 15_00, currency: 'AUD' }, pctOfCharges: '2.5', description: 'disbursement fee at the door', effectiveFrom: '2024-01-01', source: ILLUSTRATIVE_FEE },
  ],
});

/** The small default FX table (EUR base, illustrative) that goes with the default rules. */
export const DEFAULT_CROSSBORDER_FX: FxTable = DEFAULT_FX_TABLE;
