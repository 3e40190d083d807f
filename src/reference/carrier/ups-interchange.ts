import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  validateRateTable,
  type RateTable,
  type RemoteArea,
  type ServiceLevel,
  type WeightScale,
  type Weekday,
  type Zip3Origin,
  type Zip3Range,
  type Zip3ZoneChart,
} from '../../domain/carrier/rate-table.ts';
import { parseCsv, parseMinor } from './csv.ts';

/**
 * Loaders for the circa-2007 UPS tables of the Interchange project (GPL-2.0: read from where they are, never
 * copied into Switchyard). Old prices: they exist to test rating logic against real tariff shapes.
 *
 * Files: `450.csv` zone chart for origin ZIP3 450–452 (one column per service, footnotes with Hawaii/Alaska
 * ZIP5 zones), `Ground.csv` / `3DaySelect.csv` / `2ndDayAir.csv` / `NextDayAir.csv` weight (lb) × zone,
 * last column `res` = residential differential, `Xarea.csv` delivery-area-surcharge ZIPs, `Accessorials.csv`
 * (code 0010 = DIM factor).
 */

/** Zone-chart column names as printed in 450.csv. */
export type UpsZoneColumn = 'Ground' | '3 Day Select' | '2nd Day Air' | '2nd Day Air A.M.' | 'Next Day Air Saver' | 'Next Day Air';

const ZIP_COUNTRIES = ['US', 'PR'] as const;

/**
 * Parse a UPS zone chart (`450.csv` layout): "Dest. ZIP" header, rows `004-005,4,304,…` or `245,…`, `-` and
 * `[1]` = not served, `[2]`/`[3]` = served only for the ZIP5s listed in the footnotes.
 */
export function parseUpsZoneChart(text: string, idPrefix = 'ups'): Readonly<Record<UpsZoneColumn, Zip3ZoneChart>> {
  const rows = parseCsv(text);
  const flat = rows.map((r) => r.join(','));
  const originMatch = flat.map((l) => /ZIP Codes (\d{3})-\d{2} to (\d{3})-\d{2}/.exec(l)).find((m) => m !== null);
  if (originMatch == null) throw new SyntaxError('UPS zone chart: no "ZIP Codes nnn-nn to nnn-nn" origin line');
  const originFrom = Number(originMatch[1]);
  const originTo = Number(originMatch[2]);
  const headerAt = rows.findIndex((r) => r[0]?.trim() === 'Dest. ZIP');
  if (headerAt < 0) throw new SyntaxError('UPS zone chart: no "Dest. ZIP" header');
  const columns = rows[headerAt].slice(1).map((c) => c.trim()) as UpsZoneColumn[];
  const ranges = new Map<UpsZoneColumn, Zip3Range[]>(columns.map((c) => [c, []]));
  const zip5 = new Map<UpsZoneColumn, Record<string, string>>(columns.map((c) => [c, {}]));
  let i = headerAt + 1;
  for (; i < rows.length; i++) {
    const r = rows[i];
    const key = r[0]?.trim() ?? '';
    if (key === '') continue; // blank separator lines
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(key);
    if (m === null) break; // first footnote: the table has ended
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    columns.forEach((col, k) => {
      const cell = (r[k + 1] ?? '').trim();
      if (/^\d+$/.test(cell)) ranges.get(col)!.push({ from, to, zone: cell });
      else if (cell !== '-' && !/^\[\d+\]$/.test(cell)) throw new SyntaxError(`UPS zone chart: cell ${JSON.stringify(cell)} for ${key}/${col}`);
    });
  }
  // Footnotes: a sentence naming the zones, then one line of ZIP5s.
  for (; i < rows.length; i++) {
    const m = /Zone (\d+) for Next Day Air and Zone (\d+) for 2nd Day Air/.exec(flat[i]);
    if (m === null) continue;
    const zips = (rows[i + 1] ?? []).map((z) => z.trim()).filter((z) => /^\d{5}$/.test(z));
    if (zips.length === 0) throw new SyntaxError(`UPS zone chart: footnote without ZIPs after line ${i + 1}`);
    for (const z of zips) {
      if (zip5.has('Next Day Air')) zip5.get('Next Day Air')![z] = m[1];
      if (zip5.has('2nd Day Air')) zip5.get('2nd Day Air')![z] = m[2];
    }
    i++;
  }
  const out = {} as Record<UpsZoneColumn, Zip3ZoneChart>;
  for (const col of columns) {
    const sorted = ranges.get(col)!.sort((a, b) => a.from - b.from);
    const exceptions = zip5.get(col)!;
    const shared: Zip3Origin = Object.keys(exceptions).length > 0 ? { ranges: sorted, zip5: exceptions } : { ranges: sorted };
    const origins: Record<string, Zip3Origin> = {};
    for (let o = originFrom; o <= originTo; o++) origins[String(o).padStart(3, '0')] = shared;
    out[col] = { kind: 'zip3', id: `${idPrefix}-${originMatch[1]}-${col.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, countries: ZIP_COUNTRIES, origins };
  }
  return out;
}

export interface UpsRateFile {
  readonly weights: WeightScale;
  /** The `res` column (the same on every row in these files). */
  readonly residentialMinor: number;
  /** The `Letter` row (envelope rate), when present; not used for parcels. */
  readonly letter?: Readonly<Record<string, number>>;
}

/**
 * Parse a UPS rate file: `WeightNotToExceed,<zone>…,res`, one row per whole lb. Rows above `maxWeightLb`
 * (2nd Day Air / Next Day Air continue to 2000 lb with fewer zones: multi-package rates) are dropped.
 */
export function parseUpsRateTable(text: string, maxWeightLb = 150): UpsRateFile {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0].trim() === ''));
  const header = rows[0].map((h) => h.trim());
  if (header[0] !== 'WeightNotToExceed') throw new SyntaxError(`UPS rate table: header starts with ${header[0]}`);
  const resCol = header.indexOf('res');
  const zoneCols = header.map((h, k) => ({ h, k })).filter(({ h, k }) => k > 0 && k !== resCol && /^\d+$/.test(h));
  const breaks: number[] = [];
  const prices: Record<string, (number | null)[]> = Object.fromEntries(zoneCols.map(({ h }) => [h, []]));
  let residentialMinor: number | null = null;
  let letter: Record<string, number> | undefined;
  for (const r of rows.slice(1)) {
    const w = r[0].trim();
    if (w === 'Letter') {
      letter = Object.fromEntries(zoneCols.filter(({ k }) => (r[k] ?? '').trim() !== '').map(({ h, k }) => [h, parseMinor(r[k])]));
      continue;
    }
    if (!/^\d+$/.test(w)) throw new SyntaxError(`UPS rate table: weight ${JSON.stringify(w)}`);
    const lb = Number(w);
    if (lb > maxWeightLb) continue;
    breaks.push(lb);
    for (const { h, k } of zoneCols) {
      const cell = (r[k] ?? '').trim();
      prices[h].push(cell === '' || cell === '-' ? null : parseMinor(cell));
    }
    if (resCol >= 0 && (r[resCol] ?? '').trim() !== '') {
      const res = parseMinor(r[resCol]);
      if (residentialMinor !== null && res !== residentialMinor) throw new SyntaxError(`UPS rate table: residential differs by row (${res} vs ${residentialMinor})`);
      residentialMinor = res;
    }
  }
  return {
    weights: { unit: 'lb', stepsPerUnit: 1, breaks, prices, maxWeight: maxWeightLb },
    residentialMinor: residentialMinor ?? 0,
    ...(letter === undefined ? {} : { letter }),
  };
}

/** `Xarea.csv` (`zip,surcharge,country`) → one remote area per (country, amount). */
export function parseUpsDeliveryAreas(text: string): RemoteArea[] {
  const groups = new Map<string, { country: string; amountMinor: number; postcodePrefixes: string[] }>();
  for (const r of parseCsv(text).slice(1)) {
    if (r.length < 3) continue;
    const [zip, amount, country] = r.map((c) => c.trim());
    if (!/^\d{5}$/.test(zip)) throw new SyntaxError(`UPS delivery areas: ZIP ${JSON.stringify(zip)}`);
    const amountMinor = parseMinor(amount);
    const key = `${country}|${amountMinor}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { country, amountMinor, postcodePrefixes: [] }));
    g.postcodePrefixes.push(zip);
  }
  return [...groups.values()];
}

/** `Accessorials.csv` (`code,accessorial,rate`) → code → { name, rate text }. */
export function parseUpsAccessorials(text: string): Map<string, { readonly name: string; readonly rate: string }> {
  const out = new Map<string, { name: string; rate: string }>();
  for (const r of parseCsv(text).slice(1)) if (r.length >= 3) out.set(r[0].trim(), { name: r[1].trim(), rate: r[2].trim() });
  return out;
}

export interface UpsServiceSpec {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly file: string;
  readonly zoneColumn: UpsZoneColumn;
  readonly serviceLevels: readonly ServiceLevel[];
  /**
   * Zone → transit days. Not in the files: typical UPS figures from origin 450 (Ground by zone; air
   * services by their name; Hawaii/Alaska zones 126/226 a day longer).
   */
  readonly transitDays: Readonly<Record<string, number>>;
}

const range = (zones: number[], days: number): Record<string, number> => Object.fromEntries(zones.map((z) => [String(z), days]));

export const UPS_SERVICES: readonly UpsServiceSpec[] = [
  {
    serviceCode: 'GROUND',
    serviceName: 'UPS Ground',
    file: 'Ground.csv',
    zoneColumn: 'Ground',
    serviceLevels: ['standard'],
    transitDays: { '2': 1, '3': 2, '4': 3, '5': 3, '6': 4, '7': 5, '8': 5 },
  },
  {
    serviceCode: '3DAY_SELECT',
    serviceName: 'UPS 3 Day Select',
    file: '3DaySelect.csv',
    zoneColumn: '3 Day Select',
    serviceLevels: ['standard', 'express'],
    transitDays: range([302, 303, 304, 305, 306, 307, 308], 3),
  },
  {
    serviceCode: '2ND_DAY_AIR',
    serviceName: 'UPS 2nd Day Air',
    file: '2ndDayAir.csv',
    zoneColumn: '2nd Day Air',
    serviceLevels: ['standard', 'express'],
    transitDays: { ...range([202, 203, 204, 205, 206, 207, 208, 224, 225], 2), '226': 3 },
  },
  {
    serviceCode: 'NEXT_DAY_AIR',
    serviceName: 'UPS Next Day Air',
    file: 'NextDayAir.csv',
    zoneColumn: 'Next Day Air',
    serviceLevels: ['standard', 'express', 'next_day'],
    transitDays: { ...range([102, 103, 104, 105, 106, 107, 108, 124, 125], 1), '126': 2 },
  },
];

export interface UpsLoadOptions {
  /** Fuel surcharge (not in the files), basis points of the base. Default 0. */
  readonly fuelBasisPoints?: number;
  /** Apply DIM weight only above this many cubic inches (pre-2015 UPS Ground rule: 5184). Default: always. */
  readonly dimMinCubicInches?: number;
  readonly maxWeightLb?: number;
  readonly services?: readonly UpsServiceSpec[];
}

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5];

/**
 * Load the UPS Ground / 3 Day Select / 2nd Day Air / Next Day Air tables for origin ZIP3 450–452 from an
 * Interchange `ups_interchange_circa2007` directory.
 *
 * @example const [ground] = loadUpsInterchangeTables('../shared/data/carrier/ups_interchange_circa2007');
 */
export function loadUpsInterchangeTables(dir: string, opts: UpsLoadOptions = {}): RateTable[] {
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  const charts = parseUpsZoneChart(read('450.csv'));
  const accessorials = parseUpsAccessorials(read('Accessorials.csv'));
  const dimFactor = Number(accessorials.get('0010')?.rate);
  if (!(dimFactor > 0)) throw new SyntaxError('UPS accessorials: no Dimensional Weight Factor (code 0010)');
  const remoteAreas = parseUpsDeliveryAreas(read('Xarea.csv'));
  return (opts.services ?? UPS_SERVICES).map((spec) => {
    const rates = parseUpsRateTable(read(spec.file), opts.maxWeightLb ?? 150);
    const table: RateTable = {
      carrier: 'UPS',
      serviceCode: spec.serviceCode,
      serviceName: spec.serviceName,
      serviceLevels: spec.serviceLevels,
      currency: 'USD',
      zones: charts[spec.zoneColumn],
      weights: rates.weights,
      dimWeight: { unit: 'in', divisor: dimFactor, ...(opts.dimMinCubicInches === undefined ? {} : { minVolume: opts.dimMinCubicInches }) },
      surcharges: { fuelBasisPoints: opts.fuelBasisPoints ?? 0, residentialMinor: rates.residentialMinor, remoteAreas },
      transitDays: spec.transitDays,
      pickupDays: WEEKDAYS,
      deliveryDays: WEEKDAYS,
    };
    const problems = validateRateTable(table);
    if (problems.length > 0) throw new SyntaxError(`UPS ${spec.file}: ${problems.join('; ')}`);
    return table;
  });
}
