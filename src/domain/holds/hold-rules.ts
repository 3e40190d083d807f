/**
 * Hold rules: ops policy, as data, for orders a person should look at before they are worked (a high value to a
 * new region, a tag the storefront's fraud check sets, hazmat by air). A rule is JsonLogic over the same order
 * facts routing profiles see; the first active rule (priority order) that matches puts the captured order on hold
 * with the rule's reason. Stock is still reserved, so releasing the hold loses nothing. Pure: no I/O.
 */
import { evaluateCondition } from '../routing/condition.ts';
import { settingChanges, validateConditions, type ProfileChange } from '../routing/profile.ts';
import type { JsonLogicRule, ProfileFacts } from '../routing/types.ts';

export interface HoldRule {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  /** lower is tried first */
  readonly priority: number;
  readonly active: boolean;
  /** JsonLogic over the order facts (channel, serviceLevel, country, postcode, tags, orderValueMinor, currency, lineCount, units, hasHazmat) */
  readonly conditions: JsonLogicRule;
  /** why such an order waits: shown to ops and kept in the order's audit trail */
  readonly reason: string;
}

export interface HoldRuleDraft {
  id: string;
  name: string;
  version?: number;
  priority?: number;
  active?: boolean;
  conditions: JsonLogicRule;
  reason: string;
}

export function defineHoldRule(d: HoldRuleDraft): HoldRule {
  return Object.freeze({
    id: d.id,
    version: d.version ?? 1,
    name: d.name,
    priority: d.priority ?? 100,
    active: d.active ?? true,
    conditions: structuredClone(d.conditions),
    reason: d.reason,
  });
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Problems with a rule (empty = valid), each naming its setting first. */
export function validateHoldRule(r: HoldRule): string[] {
  const errors: string[] = [];
  if (typeof r.id !== 'string' || !ID.test(r.id)) errors.push('id must be 1-64 lower-case letters, digits, dots, dashes or underscores');
  if (typeof r.name !== 'string' || r.name.trim() === '') errors.push('name must be a non-empty string');
  if (typeof r.reason !== 'string' || r.reason.trim() === '') errors.push('reason must be a non-empty string');
  if (typeof r.priority !== 'number' || !Number.isFinite(r.priority)) errors.push('priority must be a number');
  if (typeof r.active !== 'boolean') errors.push('active must be true or false');
  // a rule without conditions would hold every order: say so rather than take it
  if (r.conditions === null || r.conditions === undefined || r.conditions === true) errors.push('conditions must say which orders to hold (a rule for every order would hold them all)');
  else errors.push(...validateConditions(r.conditions));
  return errors;
}

/** Active rules, latest version of each id, in the order they are tried (priority, then id). */
export function rulesInOrder(rules: readonly HoldRule[]): HoldRule[] {
  const latest = new Map<string, HoldRule>();
  for (const r of rules) {
    const seen = latest.get(r.id);
    if (seen === undefined || r.version > seen.version) latest.set(r.id, r);
  }
  return [...latest.values()].filter((r) => r.active).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The first rule (in the order given) that holds this order, or null. A rule that fails to evaluate does not hold. */
export function firstHold(ordered: readonly HoldRule[], facts: ProfileFacts): HoldRule | null {
  for (const r of ordered) {
    try {
      if (evaluateCondition(r.conditions, facts)) return r;
    } catch {
      /* a rule that cannot be evaluated on these facts does not match (validated on save against sample facts) */
    }
  }
  return null;
}

/** The key order changes are listed in. */
const TEMPLATE: HoldRule = defineHoldRule({ id: '', name: '', priority: 0, active: true, conditions: false, reason: '' });

/** What changed from one version of a rule to the next, setting by setting (`name`, `conditions`, `reason`, …). */
export function holdRuleChanges(before: HoldRule, after: HoldRule): ProfileChange[] {
  return settingChanges(before, after, TEMPLATE);
}
