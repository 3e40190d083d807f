import { readFileSync } from 'node:fs';
import type { Zip3Origin, Zip3Range, Zip3ZoneChart } from '../../domain/carrier/rate-table.ts';
import { parseCsv } from './csv.ts';

/** Countries whose addresses carry USPS ZIP codes (states, territories, freely associated states). */
export const USPS_ZIP_COUNTRIES: readonly string[] = ['US', 'PR', 'VI', 'GU', 'AS', 'MP', 'FM', 'MH', 'PW'];

export interface UspsZoneChartOptions {
  readonly id?: string;
  /** Keep only these origin ZIP3s (the full chart has 931). */
  readonly origins?: Iterable<string>;
  readonly countries?: readonly string[];
  /**
   * The 5-digit exceptions that rows marked `+` refer to (origin ZIP3 → destination ZIP5 → zone). USPS
   * publishes them separately; the scraped chart only carries the flag.
   */
  readonly zip5Exceptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const HEADER = ['origin_zip', 'dest_zip_start', 'dest_zip_end', 'zone', 'modifier_1', 'modifier_2'];

/**
 * Parse the USPS ZIP3 zone chart in the layout of aedobbyn/postal (`origin_zip,dest_zip_start,dest_zip_end,
 * zone,modifier_1,modifier_2`; modifier_1 `*` = same NDC, modifier_2 `+` = 5-digit exceptions, `NA` = none).
 */
export function parseUspsZoneChart(csvText: string, opts: UspsZoneChartOptions = {}): Zip3ZoneChart {
  const rows = parseCsv(csvText);
  const header = rows[0]?.map((h) => h.trim());
  if (header === undefined || HEADER.some((h, i) => header[i] !== h)) {
    throw new SyntaxError(`USPS zone chart: expected header ${HEADER.join(',')}, got ${header?.join(',')}`);
  }
  const keep = opts.origins === undefined ? null : new Set(opts.origins);
  const byOrigin = new Map<string, Zip3Range[]>();
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length === 1 && r[0] === '') continue;
    const [origin, start, end, zone, mod1, mod2] = r;
    if (r.length < 6 || !/^\d{3}$/.test(origin) || !/^\d{3}$/.test(start) || !/^\d{3}$/.test(end) || !/^\d+$/.test(zone)) {
      throw new SyntaxError(`USPS zone chart line ${i + 1}: ${r.join(',')}`);
    }
    if (keep !== null && !keep.has(origin)) continue;
    let list = byOrigin.get(origin);
    if (list === undefined) byOrigin.set(origin, (list = []));
    const range: Zip3Range = {
      from: Number(start),
      to: Number(end),
      zone: String(Number(zone)),
      ...(mod1.trim() === '*' ? { sameNdc: true } : {}),
      ...(mod2.trim() === '+' ? { hasZip5Exceptions: true } : {}),
    };
    list.push(range);
  }
  const origins: Record<string, Zip3Origin> = {};
  for (const [origin, ranges] of byOrigin) {
    ranges.sort((a, b) => a.from - b.from);
    for (let k = 1; k < ranges.length; k++) {
      if (ranges[k].from <= ranges[k - 1].to) throw new SyntaxError(`USPS zone chart: overlapping ranges for origin ${origin} at ${ranges[k].from}`);
    }
    const zip5 = opts.zip5Exceptions?.[origin];
    origins[origin] = zip5 === undefined ? { ranges } : { ranges, zip5 };
  }
  return { kind: 'zip3', id: opts.id ?? 'usps-zip3', countries: opts.countries ?? USPS_ZIP_COUNTRIES, origins };
}

export function loadUspsZoneChart(path: string, opts: UspsZoneChartOptions = {}): Zip3ZoneChart {
  return parseUspsZoneChart(readFileSync(path, 'utf8'), opts);
}
