import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGeoIndex, prefixCentroids, type GeoIndex, type LatLon } from '../../domain/geo/geo.ts';
import { parseCsv } from '../carrier/csv.ts';
import { USPS_ZIP_COUNTRIES } from '../carrier/usps-zone-chart.ts';

/** APO/FPO "states": their coordinates are bases abroad or 0,0, not a place a parcel is routed to by distance. */
const MILITARY_STATES = new Set(['AA', 'AE', 'AP']);

function columns(header: readonly string[], names: readonly string[], file: string): number[] {
  const idx = names.map((n) => header.findIndex((h) => h.trim() === n));
  const missing = names.filter((_, i) => idx[i] < 0);
  if (missing.length > 0) throw new SyntaxError(`${file}: missing column(s) ${missing.join(', ')}`);
  return idx;
}

function latLon(lat: string, lon: string, where: string): LatLon {
  const ll = { lat: Number(lat), lon: Number(lon) };
  if (!(Math.abs(ll.lat) <= 90 && Math.abs(ll.lon) <= 180) || lat.trim() === '' || lon.trim() === '') {
    throw new SyntaxError(`${where}: bad coordinates ${lat},${lon}`);
  }
  return ll;
}

/**
 * US ZIP5 centroids from the zipcodes npm package layout (`zip,latitude,longitude,city,state,country`).
 * APO/FPO ZIPs and 0,0 placeholders are dropped.
 */
export function parseUsZipCentroids(text: string): Array<[string, LatLon]> {
  const rows = parseCsv(text);
  const [zip, lat, lon, state] = columns(rows[0] ?? [], ['zip', 'latitude', 'longitude', 'state'], 'US ZIP centroids');
  const out: Array<[string, LatLon]> = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length < 3) continue;
    const z = r[zip].trim();
    if (!/^\d{5}$/.test(z)) throw new SyntaxError(`US ZIP centroids line ${i + 1}: ZIP ${JSON.stringify(z)}`);
    if (MILITARY_STATES.has(r[state]?.trim() ?? '')) continue;
    const ll = latLon(r[lat], r[lon], `US ZIP centroids line ${i + 1}`);
    if (ll.lat === 0 && ll.lon === 0) continue;
    out.push([z, ll]);
  }
  return out;
}

/** Country centroids, world-countries layout (`cca2,…,latitude,longitude,…`); also reads `cca2,lat,lon,name`. */
export function parseCountryCentroids(text: string): Array<[string, LatLon & { readonly name: string }]> {
  const rows = parseCsv(text);
  const header = rows[0] ?? [];
  const wide = header.includes('latitude');
  const [code, lat, lon, name] = columns(header, wide ? ['cca2', 'latitude', 'longitude', 'name_common'] : ['cca2', 'lat', 'lon', 'name'], 'country centroids');
  const out: Array<[string, LatLon & { name: string }]> = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length < 3) continue;
    const c = r[code].trim().toUpperCase(); // note: Namibia is "NA", not a null marker
    if (!/^[A-Z]{2}$/.test(c)) throw new SyntaxError(`country centroids line ${i + 1}: code ${JSON.stringify(c)}`);
    out.push([c, { ...latLon(r[lat], r[lon], `country centroids line ${i + 1}`), name: r[name]?.trim() ?? '' }]);
  }
  return out;
}

/** ZIP3 centroids file shipped in fixtures (`zip3,lat,lon,zip_count`). */
export function parseZip3Centroids(text: string): Array<[string, LatLon]> {
  const rows = parseCsv(text);
  const [zip3, lat, lon] = columns(rows[0] ?? [], ['zip3', 'lat', 'lon'], 'ZIP3 centroids');
  const out: Array<[string, LatLon]> = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length < 3) continue;
    if (!/^\d{3}$/.test(r[zip3])) throw new SyntaxError(`ZIP3 centroids line ${i + 1}: ${r[zip3]}`);
    out.push([r[zip3], latLon(r[lat], r[lon], `ZIP3 centroids line ${i + 1}`)]);
  }
  return out;
}

export interface GeoSourcePaths {
  /** zipcodes-npm layout; gives ZIP5 points and ZIP3 averages. */
  readonly usZipCsv: string;
  /** world-countries layout. */
  readonly countriesCsv: string;
}

/**
 * Full index from the source files: US ZIP5 centroids, ZIP3 averages of them, and country centroids. US
 * postcode centroids also answer for the territories that use ZIPs (PR, VI, GU, …).
 */
export function loadGeoIndex(paths: GeoSourcePaths): GeoIndex {
  const zips = parseUsZipCentroids(readFileSync(paths.usZipCsv, 'utf8'));
  const zip3 = prefixCentroids(zips, 3);
  return buildGeoIndex({
    countries: parseCountryCentroids(readFileSync(paths.countriesCsv, 'utf8')),
    postcodes: [{ countries: USPS_ZIP_COUNTRIES, prefixes: [...zips, ...zip3] }],
  });
}

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/geo/${name}`, import.meta.url));

export const DEFAULT_GEO_PATHS = {
  zip3Csv: fixture('us_zip3_centroids.csv'),
  countriesCsv: fixture('country_centroids.csv'),
} as const;

/** The shipped default: US ZIP3 average centroids (no ZIP5) and country centroids. */
export function loadDefaultGeoIndex(): GeoIndex {
  return buildGeoIndex({
    countries: parseCountryCentroids(readFileSync(DEFAULT_GEO_PATHS.countriesCsv, 'utf8')),
    postcodes: [{ countries: USPS_ZIP_COUNTRIES, prefixes: parseZip3Centroids(readFileSync(DEFAULT_GEO_PATHS.zip3Csv, 'utf8')) }],
  });
}
