export {
  CURRENCY_EXPONENTS,
  MoneyError,
  isKnownCurrency,
  minorUnitExponent,
  type MoneyErrorCode,
} from './currency.ts';
export {
  add,
  allocate,
  convertAtRate,
  divideRound,
  formatMoney,
  fromDecimalString,
  money,
  multiplyByInt,
  multiplyByRate,
  parseRate,
  percentToRatio,
  subtract,
  sum,
  toDecimalString,
  zero,
  type Money,
  type Ratio,
  type Rounding,
} from './money.ts';
export { DEFAULT_FX_TABLE, convert, fxRate, type FxTable } from './fx.ts';
