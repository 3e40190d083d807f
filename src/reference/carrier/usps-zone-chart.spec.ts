import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveZone } from '../../domain/carrier/zone.ts';
import { loadUspsZoneChart, parseUspsZoneChart } from './usps-zone-chart.ts';

const FULL = resolve(process.cwd(), '../shared/data/carrier/usps_zone_chart_zip3_2018-06_postal-R.csv');
const SUBSET = resolve(process.cwd(), 'fixtures/carrier/usps_zone_chart_zip3_2018-06_demo_origins.csv');
const US = (postcode: string) => ({ country: 'US', postcode });

describe('USPS ZIP3 zone chart (full 2018-06 file)', () => {
  it.skipIf(!existsSync(FULL))('loads all 930 origins and matches known rows', () => {
    const chart = loadUspsZoneChart(FULL);
    expect(Object.keys(chart.origins)).toHaveLength(930); // 930 origin ZIP3s (+ header = the 931 distinct first fields)
    // 005,005,005,1,*,NA — same NDC
    expect(resolveZone(chart, US('00501'), US('00544'))).toMatchObject({ zone: '1', sameNdc: true, hasZip5Exceptions: false });
    // 005,090,098,1,*,+ — same NDC and 5-digit exceptions
    expect(resolveZone(chart, US('00501'), US('09012'))).toMatchObject({ zone: '1', sameNdc: true, hasZip5Exceptions: true });
    // 100,962,966,8,NA,+ and 100,969,969,9,NA,+
    expect(resolveZone(chart, US('10001'), US('96201'))).toMatchObject({ zone: '8', sameNdc: false, hasZip5Exceptions: true });
    expect(resolveZone(chart, US('10001'), US('96910'))).toMatchObject({ zone: '9', hasZip5Exceptions: true });
    // 606,100,129,5,NA,NA ; 752,900,908,6,NA,NA ; 450,450,455,1,*,NA ; 917,995,997,8,NA,NA
    expect(resolveZone(chart, US('60601'), US('12901'))?.zone).toBe('5');
    expect(resolveZone(chart, US('75201'), US('90210'))?.zone).toBe('6');
    expect(resolveZone(chart, US('45040'), US('45202'))).toMatchObject({ zone: '1', sameNdc: true });
    expect(resolveZone(chart, US('91761'), US('99701'))?.zone).toBe('8');
  });

  it.skipIf(!existsSync(FULL))('applies supplied 5-digit exceptions before the ranges', () => {
    const chart = parseUspsZoneChart(readFileSync(FULL, 'utf8'), { origins: ['100'], zip5Exceptions: { '100': { '96201': '7' } } });
    expect(Object.keys(chart.origins)).toEqual(['100']);
    expect(resolveZone(chart, US('10001'), US('96201'))).toMatchObject({ zone: '7', fromZip5Exception: true });
    expect(resolveZone(chart, US('10001'), US('96202'))?.zone).toBe('8');
  });

  it.skipIf(!existsSync(FULL))('the shipped subset is the full chart restricted to the demo origins', () => {
    const full = loadUspsZoneChart(FULL);
    const subset = loadUspsZoneChart(SUBSET);
    for (const origin of Object.keys(subset.origins)) expect(subset.origins[origin]).toEqual(full.origins[origin]);
  });
});

describe('USPS ZIP3 zone chart (shipped subset)', () => {
  const chart = loadUspsZoneChart(SUBSET);

  it('holds the demo origins', () => {
    expect(Object.keys(chart.origins).sort()).toEqual(['070', '088', '100', '303', '450', '606', '752', '770', '900', '917', '981']);
  });

  it('resolves known rows', () => {
    expect(resolveZone(chart, US('08817'), US('10001'))).toMatchObject({ zone: '1', sameNdc: true }); // 088,100,119,1,*,NA
    expect(resolveZone(chart, US('08817'), US('90001'))?.zone).toBe('8'); // 088,900,908,8
    expect(resolveZone(chart, US('91761'), US('90001'))).toMatchObject({ zone: '1', sameNdc: true }); // 917,900,908,1,*
    expect(resolveZone(chart, US('45040'), US('09001'))).toMatchObject({ zone: '4', hasZip5Exceptions: true }); // 450,090,098,4,NA,+
    expect(resolveZone(chart, US('33101'), US('10001'))).toBeNull(); // origin 331 not in the subset
  });

  it('rejects a malformed file', () => {
    expect(() => parseUspsZoneChart('a,b,c\n1,2,3\n')).toThrow(SyntaxError);
    expect(() => parseUspsZoneChart('origin_zip,dest_zip_start,dest_zip_end,zone,modifier_1,modifier_2\n005,0x5,005,1,*,NA\n')).toThrow(SyntaxError);
  });
});
