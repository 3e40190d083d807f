import type { CountryZoneChart, ZoneChart, Zip3Origin, Zip3ZoneChart } from './rate-table.ts';

export interface Place {
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly postcode: string;
}

export interface ZoneMatch {
  readonly zone: string;
  /** USPS `*` flag of the matched range. */
  readonly sameNdc: boolean;
  /** The range carries USPS `+` (5-digit exceptions exist); false when the zone came from a ZIP5 exception. */
  readonly hasZip5Exceptions: boolean;
  /** The zone came from a 5-digit exception entry. */
  readonly fromZip5Exception: boolean;
}

/** Upper case, no spaces or dashes: "sw1a 1aa" → "SW1A1AA", "10001-1234" → "100011234". */
export function normalisePostcode(postcode: string): string {
  // Fast path (hot in compileLane): already upper-case alphanumeric.
  for (let i = 0; i < postcode.length; i++) {
    const c = postcode.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return postcode.replace(/[\s-]+/g, '').toUpperCase();
  }
  return postcode;
}

/** Numeric ZIP3 of a normalised postcode whose first five characters are digits, else -1. */
function zip3Of(pc: string): number {
  if (pc.length < 5) return -1;
  let n = 0;
  for (let i = 0; i < 5; i++) {
    const d = pc.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    if (i < 3) n = n * 10 + d;
  }
  return n;
}

/**
 * Zone for a lane, or null when the chart does not serve it.
 *
 * @example resolveZone(uspsChart, { country: 'US', postcode: '10001' }, { country: 'US', postcode: '90001' })
 *   // → { zone: '8', sameNdc: false, … }
 */
export function resolveZone(chart: ZoneChart, origin: Place, dest: Place): ZoneMatch | null {
  return chart.kind === 'zip3' ? resolveZip3(chart, origin, dest) : resolveCountry(chart, origin, dest);
}

/** Dense per-origin index: destination ZIP3 (0–999) → range index, -1 = not served. */
interface DenseOrigin {
  readonly src: Zip3Origin;
  readonly rangeAt: Int16Array;
}

// Derived once per chart (charts are immutable data): origin ZIP3 number → dense index, built lazily.
const zip3Index = new WeakMap<Zip3ZoneChart, (DenseOrigin | null | undefined)[]>();

function denseOrigin(chart: Zip3ZoneChart, origin3: number, originKey: string): DenseOrigin | null {
  let byOrigin = zip3Index.get(chart);
  if (byOrigin === undefined) zip3Index.set(chart, (byOrigin = new Array<DenseOrigin | null | undefined>(1000)));
  const hit = byOrigin[origin3];
  if (hit !== undefined) return hit;
  const src: Zip3Origin | undefined = chart.origins[originKey];
  let dense: DenseOrigin | null = null;
  if (src !== undefined) {
    const rangeAt = new Int16Array(1000).fill(-1);
    src.ranges.forEach((r, i) => {
      for (let z = Math.max(0, r.from); z <= Math.min(999, r.to); z++) if (rangeAt[z] < 0) rangeAt[z] = i;
    });
    dense = { src, rangeAt };
  }
  byOrigin[origin3] = dense;
  return dense;
}

/** Upper-case without allocating when it already is (country codes are hot in compileLane). */
function upper(code: string): string {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c >= 97 && c <= 122) return code.toUpperCase();
  }
  return code;
}

function resolveZip3(chart: Zip3ZoneChart, origin: Place, dest: Place): ZoneMatch | null {
  if (!chart.countries.includes(upper(origin.country)) || !chart.countries.includes(upper(dest.country))) return null;
  const o = normalisePostcode(origin.postcode);
  const d = normalisePostcode(dest.postcode);
  const origin3 = zip3Of(o);
  const dest3 = zip3Of(d);
  if (dest3 < 0 || origin3 < 0) return null;
  const dense = denseOrigin(chart, origin3, o.slice(0, 3));
  if (dense === null) return null;
  if (dense.src.zip5 !== undefined) {
    const zip5 = dense.src.zip5[d.slice(0, 5)];
    if (zip5 !== undefined) return { zone: zip5, sameNdc: false, hasZip5Exceptions: false, fromZip5Exception: true };
  }
  const i = dense.rangeAt[dest3];
  if (i < 0) return null;
  const r = dense.src.ranges[i];
  return { zone: r.zone, sameNdc: r.sameNdc === true, hasZip5Exceptions: r.hasZip5Exceptions === true, fromZip5Exception: false };
}

// Country → group, derived once per chart (charts are immutable data).
const groupIndex = new WeakMap<CountryZoneChart, ReadonlyMap<string, string>>();

function groupOf(chart: CountryZoneChart, country: string): string | undefined {
  let idx = groupIndex.get(chart);
  if (idx === undefined) {
    const m = new Map<string, string>();
    for (const [group, countries] of Object.entries(chart.groups)) {
      for (const c of countries) {
        const k = c.toUpperCase();
        if (!m.has(k)) m.set(k, group);
      }
    }
    groupIndex.set(chart, m);
    idx = m;
  }
  return idx.get(country) ?? chart.otherGroup;
}

function resolveCountry(chart: CountryZoneChart, origin: Place, dest: Place): ZoneMatch | null {
  const oc = upper(origin.country);
  const dc = upper(dest.country);
  const lanes = chart.lanes[oc];
  if (lanes === undefined) return null;
  const key = oc === dc ? 'domestic' : groupOf(chart, dc);
  if (key === undefined) return null;
  const zone = lanes[key];
  return zone === undefined ? null : { zone, sameNdc: false, hasZip5Exceptions: false, fromZip5Exception: false };
}
