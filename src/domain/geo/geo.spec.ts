import { describe, expect, it } from 'vitest';
import { buildGeoIndex, haversineKm, locate, prefixCentroids } from './geo.ts';

const NYC = { lat: 40.7128, lon: -74.006 };
const LA = { lat: 34.0522, lon: -118.2437 };

describe('haversineKm', () => {
  it('NYC–LA is about 3936 km', () => {
    expect(Math.abs(haversineKm(NYC, LA) - 3936) / 3936).toBeLessThan(0.01);
  });

  it('is symmetric, zero on the spot, and half the circumference between antipodes', () => {
    expect(haversineKm(NYC, LA)).toBeCloseTo(haversineKm(LA, NYC), 9);
    expect(haversineKm(NYC, NYC)).toBe(0);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6371.0088, 3);
    // Berlin – London ≈ 930 km
    expect(haversineKm({ lat: 52.52, lon: 13.405 }, { lat: 51.5074, lon: -0.1278 })).toBeGreaterThan(920);
    expect(haversineKm({ lat: 52.52, lon: 13.405 }, { lat: 51.5074, lon: -0.1278 })).toBeLessThan(940);
  });
});

describe('locate', () => {
  const index = buildGeoIndex({
    countries: [['US', { lat: 38, lon: -97 }], ['DE', { lat: 51, lon: 9 }]],
    postcodes: [{ countries: ['US', 'PR'], prefixes: [['10001', { lat: 40.7484, lon: -73.9967 }], ['100', { lat: 40.75, lon: -73.98 }], ['006', { lat: 18.3, lon: -66.9 }]] }],
  });

  it('prefers the ZIP5, then the ZIP3, then the country centroid', () => {
    expect(locate(index, { country: 'US', postcode: '10001-1234' })).toEqual({ lat: 40.7484, lon: -73.9967 });
    expect(locate(index, { country: 'us', postcode: '10002' })).toEqual({ lat: 40.75, lon: -73.98 });
    expect(locate(index, { country: 'US', postcode: '59001' })).toEqual({ lat: 38, lon: -97 });
    expect(locate(index, { country: 'US' })).toEqual({ lat: 38, lon: -97 });
    expect(locate(index, { country: 'PR', postcode: '00601' })).toEqual({ lat: 18.3, lon: -66.9 });
    expect(locate(index, { country: 'DE', postcode: '10115' })).toEqual({ lat: 51, lon: 9 });
    expect(locate(index, { country: 'ZZ', postcode: '1' })).toBeNull();
  });
});

describe('prefixCentroids', () => {
  it('averages points per prefix, across the antimeridian too', () => {
    const c = prefixCentroids(
      [
        ['99501', { lat: 10, lon: 179 }],
        ['99502', { lat: 10, lon: -179 }],
        ['10001', { lat: 40, lon: -74 }],
        ['10002', { lat: 42, lon: -74 }],
      ],
      3,
    );
    expect(Math.abs(c.get('995')!.lon)).toBeCloseTo(180, 6);
    expect(c.get('100')).toMatchObject({ count: 2 });
    expect(c.get('100')!.lat).toBeCloseTo(41, 1);
    expect(c.get('100')!.lon).toBeCloseTo(-74, 6);
  });
});
