/** Degrees, WGS 84. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in km (spherical Earth; within ~0.5 % of the ellipsoidal distance).
 *
 * @example haversineKm({ lat: 40.7128, lon: -74.006 }, { lat: 34.0522, lon: -118.2437 }) // ≈ 3936
 */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Centroids for one country's postcode prefixes, tried longest first (US: ZIP5, then ZIP3 average). */
export interface PostcodeCentroids {
  /** Descending, e.g. [5, 3]. */
  readonly prefixLengths: readonly number[];
  readonly byPrefix: ReadonlyMap<string, LatLon>;
}

/** Where places are: postcode-prefix centroids per country, and a centroid per country as the fallback. */
export interface GeoIndex {
  /** ISO 3166-1 alpha-2 → centroid. */
  readonly countries: ReadonlyMap<string, LatLon>;
  /** ISO 3166-1 alpha-2 → postcode centroids (several countries may share one, e.g. US and PR ZIPs). */
  readonly postcodes: ReadonlyMap<string, PostcodeCentroids>;
}

/**
 * Best-known position of an address: the longest matching postcode prefix, else the country centroid, else
 * null (unknown country). Postcodes are compared upper case without spaces or dashes.
 *
 * @example locate(index, { country: 'US', postcode: '10001-1234' }) // ZIP 10001's centroid
 */
export function locate(index: GeoIndex, place: { readonly country: string; readonly postcode?: string | null }): LatLon | null {
  const country = place.country.toUpperCase();
  const centroids = index.postcodes.get(country);
  if (centroids !== undefined && place.postcode) {
    const pc = place.postcode.replace(/[\s-]+/g, '').toUpperCase();
    for (const len of centroids.prefixLengths) {
      if (pc.length < len) continue;
      const hit = centroids.byPrefix.get(pc.slice(0, len));
      if (hit !== undefined) return hit;
    }
  }
  return index.countries.get(country) ?? null;
}

/** Build an index from plain rows (what loaders and fixtures produce); stores plain `{ lat, lon }` copies. */
export function buildGeoIndex(input: {
  readonly countries: Iterable<readonly [string, LatLon]>;
  readonly postcodes?: Iterable<{ readonly countries: readonly string[]; readonly prefixes: Iterable<readonly [string, LatLon]> }>;
}): GeoIndex {
  const countries = new Map<string, LatLon>();
  for (const [code, ll] of input.countries) countries.set(code.toUpperCase(), { lat: ll.lat, lon: ll.lon });
  const postcodes = new Map<string, PostcodeCentroids>();
  for (const set of input.postcodes ?? []) {
    const byPrefix = new Map<string, LatLon>();
    const lengths = new Set<number>();
    for (const [prefix, ll] of set.prefixes) {
      const key = prefix.replace(/[\s-]+/g, '').toUpperCase();
      byPrefix.set(key, { lat: ll.lat, lon: ll.lon });
      lengths.add(key.length);
    }
    const centroids: PostcodeCentroids = { prefixLengths: [...lengths].sort((a, b) => b - a), byPrefix };
    for (const c of set.countries) postcodes.set(c.toUpperCase(), centroids);
  }
  return { countries, postcodes };
}

/**
 * Centroid per postcode prefix of the given length (e.g. ZIP3 from ZIP5 points): the mean of the points as
 * unit vectors, so prefixes straddling the antimeridian (Aleutian ZIPs) average correctly.
 */
export function prefixCentroids(points: Iterable<readonly [string, LatLon]>, prefixLength: number): Map<string, LatLon & { readonly count: number }> {
  const acc = new Map<string, { x: number; y: number; z: number; n: number }>();
  for (const [postcode, { lat, lon }] of points) {
    if (postcode.length < prefixLength) continue;
    const key = postcode.slice(0, prefixLength);
    let a = acc.get(key);
    if (a === undefined) acc.set(key, (a = { x: 0, y: 0, z: 0, n: 0 }));
    const cl = Math.cos(lat * RAD);
    a.x += cl * Math.cos(lon * RAD);
    a.y += cl * Math.sin(lon * RAD);
    a.z += Math.sin(lat * RAD);
    a.n++;
  }
  const out = new Map<string, LatLon & { readonly count: number }>();
  for (const [key, { x, y, z, n }] of [...acc].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.set(key, { lat: Math.atan2(z, Math.hypot(x, y)) / RAD, lon: Math.atan2(y, x) / RAD, count: n });
  }
  return out;
}
