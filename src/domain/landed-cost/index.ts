export {
  LandedCostError,
  landedCost,
  type CustomsDeclaration,
  type LandedCost,
  type LandedCostComponent,
  type LandedCostErrorCode,
  type LandedCostInput,
  type LandedCostKind,
  type LandedCostLine,
} from './landed-cost.ts';
export {
  deepFreeze,
  inForce,
  latestInForce,
  matchDutyRule,
  type AdditionalDutyRule,
  type CarrierFeeRule,
  type CheckoutTaxScheme,
  type CrossBorderRules,
  type CustomsTerritory,
  type Dated,
  type DutyRateRule,
  type Incoterm,
  type LowValueDutyRule,
  type LowValueDutyTreatment,
  type Threshold,
  type VatRateRule,
} from './rules.ts';
export { DEFAULT_CROSSBORDER_FX, DEFAULT_CROSSBORDER_RULES, EU_MEMBERS } from './default-rules.ts';
export { EU_VAT_TABLE_FROM, vatRulesFromCsv } from './vat-csv.ts';
