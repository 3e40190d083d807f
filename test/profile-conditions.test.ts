import { formatQuery, type RuleGroupType } from '@react-querybuilder/core';
import { parseJsonLogic } from '@react-querybuilder/core/parseJsonLogic';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../src/domain/routing/condition.ts';
import { defineProfile, profileFacts, profileMatches, validateProfile } from '../src/domain/routing/profile.ts';
import type { ProfileFacts } from '../src/domain/routing/types.ts';
import { conditionFields, JSONLOGIC_OPTIONS } from '../web/profile-editor/fields.ts';

/**
 * Every condition the dashboard's builder (react-querybuilder over `conditionFields`) can produce: the profile
 * API accepts it, the server evaluates it as the builder means it, and the builder reads it back unchanged.
 */
const channels = ['web', 'amazon-us'];
const fields = conditionFields(channels);

const facts: ProfileFacts = profileFacts({
  channel: 'web',
  serviceLevel: 'express',
  destination: { country: 'GB', postcode: '02110' },
  tags: ['vip'],
  orderValueMinor: 12_000,
  currency: 'GBP',
  lines: [
    { lineId: '1', skuId: 'A', qty: 2, unitWeightGrams: 100, unitValueMinor: 5_000, hazmat: false },
    { lineId: '2', skuId: 'B', qty: 1, unitWeightGrams: 100, unitValueMinor: 2_000, hazmat: false },
  ],
});

/** [field, operator, value as the builder holds it, holds for `facts`] */
const CASES: Array<[string, string, unknown, boolean]> = [
  ['channel', '=', 'web', true], ['channel', '!=', 'web', false], ['channel', 'in', 'web,amazon-us', true], ['channel', 'notIn', 'amazon-us', true],
  ['serviceLevel', '=', 'express', true], ['serviceLevel', '!=', 'standard', true], ['serviceLevel', 'in', 'standard,next_day', false], ['serviceLevel', 'notIn', 'express', false],
  ['country', '=', 'GB', true], ['country', '!=', 'GB', false], ['country', 'in', 'GB,IE', true], ['country', 'notIn', 'US,CA', true],
  // a numeric-looking text value stays text: "02" must not become 2
  ['postcode', '=', '02110', true], ['postcode', '!=', '02110', false], ['postcode', 'in', '02110,10001', true], ['postcode', 'notIn', '10001', true],
  ['postcode', 'beginsWith', '02', true], ['postcode', 'doesNotBeginWith', '02', false], ['postcode', 'endsWith', '110', true],
  ['postcode', 'null', null, false], ['postcode', 'notNull', null, true],
  ['tags', 'contains', 'vip', true], ['tags', 'contains', 'b2b', false], ['tags', 'doesNotContain', 'vip', false],
  ['orderValueMinor', '=', '12000', true], ['orderValueMinor', '!=', '12000', false], ['orderValueMinor', '<', '9000', false], ['orderValueMinor', '<=', '12000', true],
  ['orderValueMinor', '>', '9000', true], ['orderValueMinor', '>=', '12001', false], ['orderValueMinor', 'between', '10000,15000', true], ['orderValueMinor', 'notBetween', '10000,15000', false],
  ['currency', '=', 'GBP', true], ['currency', 'in', 'USD,EUR', false], ['currency', '!=', 'USD', true], ['currency', 'notIn', 'GBP', false],
  ['lineCount', 'between', '1,2', true], ['lineCount', '>', '2', false], ['lineCount', '=', '2', true], ['lineCount', '!=', '2', false],
  ['lineCount', '<', '3', true], ['lineCount', '<=', '1', false], ['lineCount', '>=', '2', true], ['lineCount', 'notBetween', '5,9', true],
  ['units', '>=', '3', true], ['units', '<', '3', false], ['units', '=', '3', true], ['units', '!=', '4', true], ['units', '<=', '2', false],
  ['units', '>', '2', true], ['units', 'between', '4,9', false], ['units', 'notBetween', '4,9', true],
  ['hasHazmat', '=', true, false], ['hasHazmat', '=', false, true],
];

const group = (field: string, operator: string, value: unknown): RuleGroupType => ({ combinator: 'and', rules: [{ field, operator, value }] });
const jsonlogic = (q: RuleGroupType) => formatQuery(q, { ...JSONLOGIC_OPTIONS, fields }) as object;

describe('conditions built in the dashboard', () => {
  it('cover every operator the builder offers for every field', () => {
    const offered = fields.flatMap((f) => (f.operators as Array<{ name: string }>).map((o) => `${f.name} ${o.name}`));
    const tested = new Set(CASES.map(([f, o]) => `${f} ${o}`));
    expect(offered.filter((x) => !tested.has(x))).toEqual([]);
  });

  it.each(CASES)('%s %s %j: accepted, evaluated as meant, read back unchanged', (field, operator, value, holds) => {
    const conditions = jsonlogic(group(field, operator, value));
    const profile = defineProfile({ id: 'built', name: 'Built in the dashboard', conditions });
    expect(validateProfile(profile)).toEqual([]);
    expect(profileMatches(profile, facts)).toBe(holds);
    expect(evaluateCondition(conditions, facts)).toBe(jsonLogic.truthy(jsonLogic.apply(conditions as never, facts)));
    expect(jsonlogic(parseJsonLogic(conditions as never, { fields }))).toEqual(conditions);
  });

  it('nested groups (or within and) are accepted and evaluated', () => {
    const q: RuleGroupType = {
      combinator: 'and',
      rules: [
        { field: 'country', operator: '=', value: 'GB' },
        { combinator: 'or', rules: [{ field: 'tags', operator: 'contains', value: 'b2b' }, { field: 'postcode', operator: 'beginsWith', value: '02' }] },
      ],
    };
    const conditions = jsonlogic(q);
    expect(validateProfile(defineProfile({ id: 'n', name: 'n', conditions }))).toEqual([]);
    expect(evaluateCondition(conditions, facts)).toBe(true);
    expect(evaluateCondition(conditions, { ...facts, postcode: '10001' })).toBe(false);
  });

  it('an unknown operation is still refused, naming it', () => {
    expect(validateProfile(defineProfile({ id: 'x', name: 'x', conditions: { matches: [{ var: 'postcode' }, '^02'] } as never })).join()).toMatch(/unknown or disallowed operation 'matches'/);
  });
});
