import { describe, expect, it } from 'vitest';
import { profileFacts } from '../routing/profile.ts';
import { defineHoldRule, firstHold, rulesInOrder, validateHoldRule } from './hold-rules.ts';

const facts = profileFacts({
  channel: 'web', serviceLevel: 'express', destination: { country: 'GB', postcode: 'SW1A 1AA' }, tags: ['new-customer'],
  orderValueMinor: 250_000, currency: 'GBP',
  lines: [{ lineId: '1', skuId: 'A', qty: 2, unitWeightGrams: 100, unitValueMinor: 125_000, hazmat: false }],
});
const big = defineHoldRule({ id: 'big-new', name: 'Large first orders', priority: 10, reason: 'first order over 2,000', conditions: { and: [{ in: ['new-customer', { var: 'tags' }] }, { '>': [{ var: 'orderValueMinor' }, 200_000] }] } });
const hazmat = defineHoldRule({ id: 'hazmat-express', name: 'Hazmat by air', priority: 5, reason: 'dangerous goods paperwork', conditions: { and: [{ '==': [{ var: 'hasHazmat' }, true] }, { '!=': [{ var: 'serviceLevel' }, 'standard'] }] } });

describe('hold rules', () => {
  it('the first active rule in priority order that matches holds the order', () => {
    expect(firstHold(rulesInOrder([big, hazmat]), facts)?.id).toBe('big-new');
    expect(firstHold(rulesInOrder([big, hazmat]), { ...facts, hasHazmat: true })?.id).toBe('hazmat-express');
    expect(firstHold(rulesInOrder([big, hazmat]), { ...facts, tags: [] })).toBeNull();
    expect(firstHold(rulesInOrder([defineHoldRule({ ...big, active: false })]), facts)).toBeNull();
  });

  it('takes the latest version of each rule', () => {
    const v2 = defineHoldRule({ ...big, version: 2, conditions: { '>': [{ var: 'orderValueMinor' }, 900_000] } });
    expect(rulesInOrder([big, v2])).toEqual([v2]);
    expect(firstHold(rulesInOrder([v2, big]), facts)).toBeNull();
  });

  it('refuses a rule that would hold every order, unknown facts, and missing reasons, naming each', () => {
    expect(validateHoldRule(big)).toEqual([]);
    expect(validateHoldRule(defineHoldRule({ ...big, conditions: true as never })).join()).toMatch(/conditions must say which orders/);
    expect(validateHoldRule(defineHoldRule({ ...big, conditions: { '==': [{ var: 'colour' }, 'red'] } })).join()).toMatch(/unknown fact 'colour'/);
    expect(validateHoldRule(defineHoldRule({ ...big, reason: ' ' })).join()).toMatch(/^reason must be/);
    expect(validateHoldRule(defineHoldRule({ ...big, id: 'Has Spaces' })).join()).toMatch(/^id must be/);
  });
});
