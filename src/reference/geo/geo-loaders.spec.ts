import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haversineKm, locate } from '../../domain/geo/geo.ts';
import { DEFAULT_GEO_PATHS, loadDefaultGeoIndex, loadGeoIndex, parseCountryCentroids, parseZip3Centroids } from './geo-loaders.ts';

const ZIPS = resolve(process.cwd(), '../shared/data/geo/us_zip_centroids_zipcodes-npm-8.0.0.csv');
const COUNTRIES = resolve(process.cwd(), '../shared/data/geo/world_country_centroids_world-countries-5.1.0.csv');
const haveSources = existsSync(ZIPS) && existsSync(COUNTRIES);

describe('default geo index (shipped fixtures)', () => {
  const index = loadDefaultGeoIndex();

  it('has ~900 ZIP3 centroids and 250 countries', () => {
    expect(index.countries.size).toBe(250);
    expect(index.postcodes.get('US')!.byPrefix.size).toBe(916);
    expect(index.postcodes.get('PR')).toBe(index.postcodes.get('US'));
  });

  it('locates US ZIPs by ZIP3 and other countries by centroid', () => {
    const nyc = locate(index, { country: 'US', postcode: '10001' })!;
    expect(haversineKm(nyc, { lat: 40.7484, lon: -73.9967 })).toBeLessThan(10);
    const la = locate(index, { country: 'US', postcode: '90012' })!;
    expect(Math.abs(haversineKm(nyc, la) - 3936) / 3936).toBeLessThan(0.02);
    expect(locate(index, { country: 'DE', postcode: '10115' })).toEqual({ lat: 51, lon: 9 });
    expect(locate(index, { country: 'NA' })).toEqual({ lat: -22, lon: 17 }); // Namibia, not a null marker
    expect(locate(index, { country: 'US', postcode: '09001' })).toEqual({ lat: 38, lon: -97 }); // APO: country centroid
  });
});

describe.skipIf(!haveSources)('geo loaders on the full source files', () => {
  const index = haveSources ? loadGeoIndex({ usZipCsv: ZIPS, countriesCsv: COUNTRIES }) : null;

  it('locates a ZIP5 exactly and falls back to the ZIP3 average', () => {
    expect(locate(index!, { country: 'US', postcode: '10001' })).toEqual({ lat: 40.7484, lon: -73.9967 });
    expect(locate(index!, { country: 'US', postcode: '90001' })).toEqual({ lat: 33.9731, lon: -118.2479 });
    const zip3 = locate(index!, { country: 'US', postcode: '10099' })!; // not a ZIP in the file
    expect(haversineKm(zip3, { lat: 40.7484, lon: -73.9967 })).toBeLessThan(10);
  });

  it('the shipped ZIP3 file is the rounded ZIP3 average of the full file', () => {
    const shipped = parseZip3Centroids(readFileSync(DEFAULT_GEO_PATHS.zip3Csv, 'utf8'));
    const full = index!.postcodes.get('US')!.byPrefix;
    expect(shipped).toHaveLength(916);
    for (const [zip3, ll] of shipped) {
      const f = full.get(zip3)!;
      expect(Math.abs(f.lat - ll.lat)).toBeLessThan(1e-4 + 1e-9);
      expect(Math.abs(f.lon - ll.lon)).toBeLessThan(1e-4 + 1e-9);
    }
  });

  it('parses the world-countries layout, quoted names included', () => {
    const rows = new Map(parseCountryCentroids(readFileSync(COUNTRIES, 'utf8')));
    expect(rows.size).toBe(250);
    expect(rows.get('SH')?.name).toBe('Saint Helena, Ascension and Tristan da Cunha');
    expect(rows.get('CN')).toMatchObject({ lat: 35, lon: 105 });
  });
});
