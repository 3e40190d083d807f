import type { RateTable, Zip3ZoneChart, CountryZoneChart } from './rate-table.ts';

/** Small hand-made tables for unit tests (not used by production code). */

export const testZip3Chart: Zip3ZoneChart = {
  kind: 'zip3',
  id: 'test-zip3',
  countries: ['US', 'PR'],
  origins: {
    '100': {
      ranges: [
        { from: 0, to: 99, zone: '7' },
        { from: 100, to: 119, zone: '1', sameNdc: true },
        { from: 120, to: 499, zone: '4' },
        { from: 500, to: 899, zone: '6' },
        { from: 900, to: 961, zone: '8' },
        { from: 962, to: 966, zone: '8', hasZip5Exceptions: true },
        // 967–969 missing: not served
        { from: 970, to: 999, zone: '8' },
      ],
      zip5: { '96201': '9' },
    },
  },
};

export const testCountryChart: CountryZoneChart = {
  kind: 'country',
  id: 'test-country',
  groups: { EU: ['DE', 'FR', 'NL'], NA: ['US', 'CA'] },
  otherGroup: 'ROW',
  lanes: {
    DE: { domestic: 'D', EU: 'E', NA: 'N', ROW: 'R' },
    US: { EU: 'E', NA: 'N' },
  },
};

const mf: readonly (1 | 2 | 3 | 4 | 5)[] = [1, 2, 3, 4, 5];

/** lb table: breaks 1,2,3,5,10; price = 500 + 100·zone·break; $1/lb·zone beyond 10 lb, max 20 lb. */
export function testLbTable(overrides: Partial<RateTable> = {}): RateTable {
  const zones = ['1', '4', '6', '7', '8', '9'];
  const breaks = [1, 2, 3, 5, 10];
  return {
    carrier: 'TEST',
    serviceCode: 'LB_GROUND',
    serviceLevels: ['standard'],
    currency: 'USD',
    zones: testZip3Chart,
    weights: {
      unit: 'lb',
      stepsPerUnit: 1,
      breaks,
      prices: Object.fromEntries(zones.map((z) => [z, breaks.map((b) => 500 + 100 * Number(z) * b)])),
      extraPerUnit: Object.fromEntries(zones.map((z) => [z, 100 * Number(z)])),
      maxWeight: 20,
    },
    dimWeight: { unit: 'in', divisor: 139 },
    surcharges: {
      fuelBasisPoints: 1250,
      residentialMinor: 400,
      remoteAreas: [
        { country: 'US', amountMinor: 300, postcodePrefixes: ['90210', '995'] },
        { country: 'US', amountMinor: 999, postcodePrefixes: ['9'] },
      ],
    },
    transitDays: { '1': 1, '4': 3, '6': 4, '7': 5, '8': 5, '9': 7 },
    pickupDays: mf,
    deliveryDays: mf,
    ...overrides,
  };
}

/** kg table on the country chart: 0.5 kg steps, breaks 0.5, 1, 2, 5; €2/kg beyond 5 kg; DIM 5000 cm³/kg. */
export function testKgTable(overrides: Partial<RateTable> = {}): RateTable {
  const breaks = [0.5, 1, 2, 5];
  const zone = (base: number): number[] => breaks.map((b) => base + Math.round(b * 200));
  return {
    carrier: 'TEST',
    serviceCode: 'KG_INTL',
    serviceLevels: ['standard', 'express'],
    currency: 'EUR',
    zones: testCountryChart,
    weights: { unit: 'kg', stepsPerUnit: 2, breaks, prices: { D: zone(400), E: zone(900), N: zone(2000), R: zone(3000) }, extraPerUnit: { D: 100, E: 200, N: 500, R: 700 } },
    dimWeight: { unit: 'cm', divisor: 5000 },
    surcharges: { fuelBasisPoints: 0, residentialMinor: 0, remoteAreas: [] },
    transitDays: { D: 1, E: 2, N: 4, R: 6 },
    pickupDays: mf,
    deliveryDays: [1, 2, 3, 4, 5, 6],
    ...overrides,
  };
}
