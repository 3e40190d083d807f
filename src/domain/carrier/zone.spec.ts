import { describe, expect, it } from 'vitest';
import { normalisePostcode, resolveZone } from './zone.ts';
import { testCountryChart, testZip3Chart } from './rate-table.fixtures.ts';

const US = (postcode: string) => ({ country: 'US', postcode });

describe('resolveZone (ZIP3 chart)', () => {
  it('finds the range containing the destination ZIP3, with its flags', () => {
    expect(resolveZone(testZip3Chart, US('10001'), US('10118'))).toEqual({ zone: '1', sameNdc: true, hasZip5Exceptions: false, fromZip5Exception: false });
    expect(resolveZone(testZip3Chart, US('10001'), US('00601'))?.zone).toBe('7');
    expect(resolveZone(testZip3Chart, US('10001'), US('49999'))?.zone).toBe('4');
    expect(resolveZone(testZip3Chart, US('10001'), US('99999'))?.zone).toBe('8');
  });

  it('checks 5-digit exceptions before the ranges', () => {
    expect(resolveZone(testZip3Chart, US('10001'), US('96201'))).toMatchObject({ zone: '9', fromZip5Exception: true });
    expect(resolveZone(testZip3Chart, US('10001'), US('96202'))).toMatchObject({ zone: '8', hasZip5Exceptions: true });
  });

  it('accepts ZIP+4 and territories, rejects gaps, unknown origins, non-ZIPs and other countries', () => {
    expect(resolveZone(testZip3Chart, US('10001-0001'), { country: 'pr', postcode: '00901' })?.zone).toBe('7');
    expect(resolveZone(testZip3Chart, US('10001'), US('96801'))).toBeNull();
    expect(resolveZone(testZip3Chart, US('45040'), US('10001'))).toBeNull();
    expect(resolveZone(testZip3Chart, US('10001'), US('1000'))).toBeNull();
    expect(resolveZone(testZip3Chart, US('10001'), { country: 'CA', postcode: '10001' })).toBeNull();
  });
});

describe('resolveZone (country groups)', () => {
  it('uses domestic for same-country lanes, the group otherwise, the other-group last', () => {
    const de = { country: 'DE', postcode: '10115' };
    expect(resolveZone(testCountryChart, de, { country: 'DE', postcode: '80331' })?.zone).toBe('D');
    expect(resolveZone(testCountryChart, de, { country: 'nl', postcode: '1012 AB' })?.zone).toBe('E');
    expect(resolveZone(testCountryChart, de, { country: 'US', postcode: '10001' })?.zone).toBe('N');
    expect(resolveZone(testCountryChart, de, { country: 'JP', postcode: '100-0001' })?.zone).toBe('R');
  });

  it('does not serve origins or groups missing from the lanes', () => {
    const us = { country: 'US', postcode: '10001' };
    expect(resolveZone(testCountryChart, us, { country: 'US', postcode: '90001' })).toBeNull(); // no US domestic
    expect(resolveZone(testCountryChart, us, { country: 'BR', postcode: '01000' })).toBeNull(); // no ROW from US
    expect(resolveZone(testCountryChart, { country: 'FR', postcode: '75001' }, us)).toBeNull();
  });
});

it('normalisePostcode strips spaces and dashes and upper-cases', () => {
  expect(normalisePostcode(' sw1a 1aa ')).toBe('SW1A1AA');
  expect(normalisePostcode('10001-1234')).toBe('100011234');
});
