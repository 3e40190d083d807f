import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { DEFAULT_PROFILE, defineProfile, route, selectProfile, validateProfile, type RoutingProfile } from './index.ts';
import { evaluateCondition } from './condition.ts';
import { input, line, location, order } from './routing.test-kit.ts';

const express = defineProfile({
  id: 'express',
  name: 'Express',
  priority: 10,
  conditions: { in: [{ var: 'serviceLevel' }, ['express', 'next_day']] },
  constraints: { maxSplits: 1 },
});
const euVip = defineProfile({
  id: 'eu-vip',
  name: 'EU VIP high value',
  priority: 5,
  conditions: {
    and: [{ in: [{ var: 'country' }, ['FR', 'DE']] }, { in: ['vip', { var: 'tags' }] }, { '>=': [{ var: 'orderValueMinor' }, 10_000] }],
  },
});
const amazon = defineProfile({ id: 'amazon', name: 'Amazon', priority: 20, conditions: { '==': [{ var: 'channel' }, 'amazon'] } });

describe('selectProfile', () => {
  it('picks the first matching profile in priority order, whatever the input order', () => {
    const o = order([line('L1', 'A', 1, { unitValueMinor: 20_000 })], { destination: { country: 'FR' }, tags: ['vip'], serviceLevel: 'express' });
    expect(selectProfile(o, [express, amazon, euVip]).id).toBe('eu-vip');
    expect(selectProfile(o, [amazon, euVip, express]).id).toBe('eu-vip');
    expect(selectProfile({ ...o, tags: [] }, [express, euVip]).id).toBe('express');
  });

  it('matches on channel, service level, country, tags and value; falls back to the default profile', () => {
    const o = order([line('L1', 'A', 1)]);
    expect(selectProfile({ ...o, channel: 'amazon' }, [express, amazon]).id).toBe('amazon');
    expect(selectProfile(o, [express, amazon])).toBe(DEFAULT_PROFILE);
    expect(selectProfile({ ...o, destination: { country: 'DE' }, tags: ['vip'], orderValueMinor: 9_999 }, [euVip])).toBe(DEFAULT_PROFILE);
  });

  it('skips inactive profiles and uses the highest version of an id', () => {
    const o = order([line('L1', 'A', 1)], { serviceLevel: 'express' });
    const v2 = defineProfile({ id: 'express', name: 'Express v2', version: 2, priority: 10, conditions: express.conditions });
    const v3off = defineProfile({ id: 'express', name: 'Express v3', version: 3, priority: 10, active: false, conditions: express.conditions });
    expect(selectProfile(o, [express, v2, v3off]).name).toBe('Express v2');
  });

  it('sees profiles edited in place between calls (plain, unfrozen data)', () => {
    const o = order([line('L1', 'A', 1)], { serviceLevel: 'express', channel: 'amazon' });
    const a = JSON.parse(JSON.stringify(express)) as { priority: number };
    const b = JSON.parse(JSON.stringify(amazon)) as { priority: number };
    const list = [a, b] as unknown as RoutingProfile[];
    expect(selectProfile(o, list).id).toBe('express');
    a.priority = 99;
    expect(selectProfile(o, list).id).toBe('amazon');
  });

  it('a condition that fails to evaluate does not match', () => {
    const broken = defineProfile({ id: 'x', name: 'x', priority: 1, conditions: { nope: [1] } as never });
    expect(selectProfile(order([line('L1', 'A', 1)]), [broken])).toBe(DEFAULT_PROFILE);
  });

  it('the decision records the profile used', () => {
    const o = order([line('L1', 'A', 1)], { channel: 'amazon' });
    const d = route(input(o, [location('WH1', { A: 1 })], [express, amazon]));
    expect(d.profile).toEqual({ id: 'amazon', version: 1, name: 'Amazon' });
  });
});

describe('compiled conditions behave exactly like jsonLogic.apply', () => {
  const facts = fc.record({
    channel: fc.constantFrom('web', 'amazon', ''),
    serviceLevel: fc.constantFrom('standard', 'express'),
    country: fc.constantFrom('GB', 'FR', 'US'),
    postcode: fc.option(fc.constantFrom('SW1', '75001', '02110')),
    tags: fc.array(fc.constantFrom('vip', 'b2b', 'gift'), { maxLength: 3 }),
    orderValueMinor: fc.integer({ min: 0, max: 100_000 }),
    currency: fc.constantFrom('GBP', 'EUR'),
    lineCount: fc.integer({ min: 0, max: 5 }),
    units: fc.integer({ min: 0, max: 9 }),
    hasHazmat: fc.boolean(),
  });
  const leaf = fc.oneof(
    fc.constantFrom('channel', 'serviceLevel', 'country', 'postcode', 'tags', 'orderValueMinor', 'lineCount', 'missing', 'tags.0').map((v) => ({ var: v })),
    fc.constantFrom('web', 'GB', 'vip', 0, 3, 10_000, true, null, '', [], ['GB', 'FR'], ['vip'], 'SW', '02', '001'),
  );
  const rule: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ op: fc.constantFrom('==', '===', '!=', '!==', '>', '>=', '<', '<=', 'in', 'and', 'or', '!', '!!', 'if', '+', 'cat', 'max', 'startsWith', 'endsWith'), args: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }).map(({ op, args }) => ({ [op]: args })),
      fc.record({ op: fc.constantFrom('some', 'all', 'none'), test: tie('node') }).map(({ op, test }) => ({ [op]: [{ var: 'tags' }, test] })),
    ),
  })).node;
  it('on random rules and facts', () => {
    fc.assert(
      fc.property(rule, facts, (r, f) => {
        let expected: boolean | 'throws';
        try {
          expected = jsonLogic.truthy(jsonLogic.apply(r as never, f));
        } catch {
          expected = 'throws';
        }
        let actual: boolean | 'throws';
        try {
          actual = evaluateCondition(r as never, f);
        } catch {
          actual = 'throws';
        }
        expect(actual).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('validateProfile', () => {
  it('accepts the default profile and defined profiles', () => {
    expect(validateProfile(DEFAULT_PROFILE)).toEqual([]);
    expect(validateProfile(euVip)).toEqual([]);
    expect(validateProfile(JSON.parse(JSON.stringify(express)))).toEqual([]);
  });

  it('returns human-readable errors', () => {
    const bad = {
      ...JSON.parse(JSON.stringify(DEFAULT_PROFILE)),
      id: '',
      version: 0,
      whenNothingFits: 'cancel',
      search: 'thorough',
      conditions: { and: [{ '==': [{ var: 'chanel' }, 'web'] }, { log: 'x' }] },
    } as Record<string, any>;
    bad.constraints.maxSplits = 0;
    bad.constraints.excludedLocationTypes = ['shop'];
    bad.weights.carrier = -1;
    bad.penalties.distanceBands = [{ maxKm: 500, penaltyMinor: 0 }, { maxKm: 100, penaltyMinor: 10 }];
    bad.preferences.locationTypePenaltyMinor = { kiosk: 5 };
    const errors = validateProfile(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        'id must be a non-empty string',
        'version must be an integer >= 1',
        "whenNothingFits must be one of 'backorder', 'next_profile', 'hold'",
        "search must be one of 'fast', 'balanced', 'optimal'",
        "conditions.and[0].==[0]: unknown fact 'chanel' (known: channel, serviceLevel, country, postcode, tags, orderValueMinor, currency, lineCount, units, hasHazmat)",
        "conditions.and[1]: unknown or disallowed operation 'log'",
        'constraints.maxSplits must be an integer >= 1',
        'constraints.excludedLocationTypes must be a list of warehouse, store, 3pl, dropship, factory_fc',
        'weights.carrier must be a number >= 0',
        'penalties.distanceBands must be in ascending maxKm order',
        'preferences.locationTypePenaltyMinor.kiosk is not a location type',
      ]),
    );
    expect(validateProfile(null)).toEqual(['profile must be an object']);
    // profiles saved before the search setting existed have none: still valid (read as 'balanced')
    const { search: _, ...older } = JSON.parse(JSON.stringify(DEFAULT_PROFILE)) as Record<string, unknown>;
    expect(validateProfile(older)).toEqual([]);
    expect(validateProfile({ ...DEFAULT_PROFILE, constraints: { ...DEFAULT_PROFILE.constraints, shipComplete: true, allowLineSplit: true } })).toEqual([
      'constraints.allowLineSplit cannot be true when shipComplete is true (one shipment has every line)',
    ]);
  });
});

describe('when nothing fits', () => {
  const o = order([line('L1', 'A', 2)]);
  const cands = [location('WH1', { B: 5 })];
  const make = (id: string, priority: number, whenNothingFits: RoutingProfile['whenNothingFits'], extra = {}) =>
    defineProfile({ id, name: id, priority, whenNothingFits, ...extra });

  it('backorder: all units unallocated with the reason', () => {
    const d = route(input(o, cands, [make('p', 1, 'backorder')]));
    expect(d.outcome).toBe('backorder');
    expect(d.unallocated).toEqual([expect.objectContaining({ lineId: 'L1', qty: 2, reason: 'out_of_stock' })]);
    expect(d.explanation).toContain('Nothing fits');
  });

  it('hold: the order is held', () => {
    expect(route(input(o, cands, [make('p', 1, 'hold')])).outcome).toBe('hold');
  });

  it('next_profile: tries the next matching profile and records the trail', () => {
    const strict = make('strict', 1, 'next_profile', { constraints: { requiredLocationTags: ['x'] } });
    const loose = make('loose', 2, 'backorder');
    const d = route(input(o, [location('WH1', { A: 5 })], [strict, loose]));
    expect(d.outcome).toBe('routed');
    expect(d.profile.id).toBe('loose');
    expect(d.profileTrail).toEqual([{ id: 'strict', version: 1, result: 'every location excluded' }]);
    expect(d.explanation).toContain("Profile 'strict' v1");
  });
});
