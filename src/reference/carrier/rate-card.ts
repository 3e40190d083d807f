import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SERVICE_LEVELS,
  validateRateTable,
  type CountryZoneChart,
  type RateTable,
  type ZoneChart,
  type Zip3ZoneChart,
} from '../../domain/carrier/rate-table.ts';
import { parseUspsZoneChart } from './usps-zone-chart.ts';

/**
 * Rate-card file (`switchyard-rate-card/1`): one carrier's services as JSON, prices in integer minor units.
 * Zone charts are declared once and referenced by name; a `usps-zip3-csv` chart is read from a CSV beside
 * the card (USPS chart layout).
 */
export interface RateCardFile {
  readonly format: 'switchyard-rate-card/1';
  readonly carrier: string;
  readonly carrierName?: string;
  readonly currency: string;
  readonly zoneCharts: Readonly<Record<string, ZoneChartSource>>;
  readonly services: readonly RateCardService[];
}

export type ZoneChartSource =
  | { readonly kind: 'usps-zip3-csv'; readonly file: string; readonly countries?: readonly string[] }
  | Omit<CountryZoneChart, 'id'>;

export type RateCardService = Omit<RateTable, 'carrier' | 'currency' | 'zones'> & {
  readonly zoneChart: string;
  readonly currency?: string;
};

function fail(where: string, what: string): never {
  throw new SyntaxError(`rate card ${where}: ${what}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkService(s: unknown, i: number): asserts s is RateCardService {
  const where = `services[${i}]`;
  if (!isRecord(s)) fail(where, 'not an object');
  for (const k of ['serviceCode', 'zoneChart'] as const) if (typeof s[k] !== 'string') fail(where, `${k} must be a string`);
  if (!Array.isArray(s.serviceLevels) || !s.serviceLevels.every((l) => (SERVICE_LEVELS as readonly unknown[]).includes(l))) {
    fail(where, `serviceLevels must be a subset of ${SERVICE_LEVELS.join(', ')}`);
  }
  const w = s.weights;
  if (!isRecord(w) || (w.unit !== 'lb' && w.unit !== 'kg') || !Array.isArray(w.breaks) || !isRecord(w.prices)) {
    fail(where, 'weights must have unit lb|kg, breaks[] and prices{}');
  }
  if (!isRecord(s.surcharges) || !Array.isArray(s.surcharges.remoteAreas)) fail(where, 'surcharges must have remoteAreas[]');
  if (!isRecord(s.transitDays)) fail(where, 'transitDays must be an object');
  if (!Array.isArray(s.pickupDays) || !Array.isArray(s.deliveryDays)) fail(where, 'pickupDays and deliveryDays must be arrays');
  if (s.dimWeight !== undefined && (!isRecord(s.dimWeight) || (s.dimWeight.unit !== 'in' && s.dimWeight.unit !== 'cm'))) {
    fail(where, 'dimWeight.unit must be in|cm');
  }
}

/**
 * Turn a parsed rate-card JSON into rate tables. `readSibling` reads a file named in the card (relative to
 * it). Throws SyntaxError on a malformed card; tables sharing a zone chart share one object.
 */
export function parseRateCard(json: unknown, readSibling: (file: string) => string): RateTable[] {
  if (!isRecord(json) || json.format !== 'switchyard-rate-card/1') fail('root', 'format must be switchyard-rate-card/1');
  if (typeof json.carrier !== 'string' || typeof json.currency !== 'string') fail('root', 'carrier and currency must be strings');
  if (!isRecord(json.zoneCharts) || !Array.isArray(json.services)) fail('root', 'zoneCharts{} and services[] required');
  const card = json as unknown as RateCardFile;
  const charts = new Map<string, ZoneChart>();
  for (const [id, src] of Object.entries(card.zoneCharts)) {
    if (!isRecord(src)) fail(`zoneCharts.${id}`, 'not an object');
    const kind = src.kind;
    if (kind === 'usps-zip3-csv') {
      if (typeof src.file !== 'string') fail(`zoneCharts.${id}`, 'file must be a string');
      const chart: Zip3ZoneChart = parseUspsZoneChart(readSibling(src.file), {
        id,
        ...(Array.isArray(src.countries) ? { countries: src.countries as string[] } : {}),
      });
      charts.set(id, chart);
    } else if (kind === 'country') {
      if (!isRecord(src.groups) || !isRecord(src.lanes)) fail(`zoneCharts.${id}`, 'groups{} and lanes{} required');
      charts.set(id, { ...(src as unknown as Omit<CountryZoneChart, 'id'>), id });
    } else fail(`zoneCharts.${id}`, `unknown kind ${String(kind)}`);
  }
  return card.services.map((s, i) => {
    checkService(s, i);
    const zones = charts.get(s.zoneChart);
    if (zones === undefined) fail(`services[${i}]`, `unknown zoneChart ${s.zoneChart}`);
    const { zoneChart: _ref, currency, ...rest } = s;
    const table: RateTable = { ...rest, carrier: card.carrier, currency: currency ?? card.currency, zones };
    const problems = validateRateTable(table);
    if (problems.length > 0) fail(`services[${i}]`, problems.join('; '));
    return table;
  });
}

/** Load a rate card from a JSON file (zone-chart CSVs resolved relative to it). */
export function loadRateCard(path: string): RateTable[] {
  const dir = dirname(path);
  return parseRateCard(JSON.parse(readFileSync(path, 'utf8')), (file) => readFileSync(resolve(dir, file), 'utf8'));
}

/** Path of the shipped synthetic "Switchyard Demo" rate card. */
export const DEFAULT_RATE_CARD_PATH = fileURLToPath(new URL('../../../fixtures/carrier/switchyard-demo-rate-card.json', import.meta.url));

/**
 * The shipped, licence-clean default: Switchyard Demo Ground / 2-Day / Next-Day (US, zones from a USPS
 * ZIP3 chart subset for the demo origins) and International Standard / Express (by country group, origins
 * US, DE, GB, CN).
 */
export function loadDefaultRateTables(): RateTable[] {
  return loadRateCard(DEFAULT_RATE_CARD_PATH);
}
