/**
 * Routing profiles: versioned data (never code) that ops users edit. A profile is picked by JsonLogic conditions
 * over a small fact object built from the order; it says which hard constraints apply and how each cost is
 * weighted. The vocabulary covers Shopify (minimise splits, stay in market, closest, ranked locations), Fluent
 * (conditions, max split, distance bands, location type, daily capacity, order value) and HotWax (filters, single
 * vs multi-location, what to do when nothing fits).
 */
import jsonLogic from 'json-logic-js';
import { evaluateCondition, EXTRA_OPERATIONS } from './condition.ts';
import {
  LOCATION_TYPES,
  SEARCH_LEVELS,
  type CostWeights,
  type ProfileConstraints,
  type ProfileFacts,
  type ProfilePenalties,
  type ProfilePreferences,
  type RoutingOrder,
  type RoutingProfile,
  type SearchLevel,
} from './types.ts';

/** The profile used when no profile's conditions match: cheapest plan, any number of shipments up to 3. */
export const DEFAULT_PROFILE: RoutingProfile = deepFreeze({
  id: 'default',
  version: 1,
  name: 'Default: lowest total cost',
  priority: Number.MAX_SAFE_INTEGER,
  active: true,
  conditions: null,
  constraints: {
    shipComplete: false,
    maxSplits: 3,
    allowLineSplit: false,
    stayInMarket: false,
    allowedOriginCountries: {},
    hazmatRequiresLicense: true,
    highValueThresholdMinor: null,
    requiredLocationTags: [],
    excludedLocationTags: [],
    excludedLocationTypes: [],
    maxDistanceKm: null,
    respectCapacity: true,
  },
  weights: { carrier: 1, handling: 1, splitPenalty: 1, landed: 1, lateness: 1, futureValue: 1 },
  penalties: {
    splitMinor: 500,
    latenessPerDayMinor: { standard: 100, express: 500, next_day: 1000, '*': 200 },
    distanceBands: [],
  },
  preferences: {
    rankedLocations: [],
    rankStepMinor: 0,
    preferredLocations: [],
    preferredBonusMinor: 0,
    locationPriorityStepMinor: 0,
    locationTypePenaltyMinor: {},
  },
  whenNothingFits: 'backorder',
  search: 'balanced',
} satisfies RoutingProfile);

/** What an author writes: identity plus only the settings that differ from DEFAULT_PROFILE. */
export interface ProfileDraft {
  id: string;
  name: string;
  version?: number;
  priority?: number;
  active?: boolean;
  conditions?: RoutingProfile['conditions'];
  constraints?: Partial<ProfileConstraints>;
  weights?: Partial<CostWeights>;
  penalties?: Partial<ProfilePenalties>;
  preferences?: Partial<ProfilePreferences>;
  whenNothingFits?: RoutingProfile['whenNothingFits'];
  search?: SearchLevel;
}

/**
 * A complete, frozen profile from a draft, defaults taken from DEFAULT_PROFILE.
 * @example defineProfile({ id: 'uk-stay', name: 'UK stays in the UK', priority: 10,
 *   conditions: { '==': [{ var: 'country' }, 'GB'] }, constraints: { stayInMarket: true, maxSplits: 2 } })
 */
export function defineProfile(d: ProfileDraft): RoutingProfile {
  const D = DEFAULT_PROFILE;
  // cloned so that freezing never reaches objects the caller still owns
  return deepFreeze(structuredClone({
    id: d.id,
    version: d.version ?? 1,
    name: d.name,
    priority: d.priority ?? 100,
    active: d.active ?? true,
    conditions: d.conditions ?? null,
    constraints: { ...D.constraints, ...d.constraints },
    weights: { ...D.weights, ...d.weights },
    penalties: { ...D.penalties, ...d.penalties },
    preferences: { ...D.preferences, ...d.preferences },
    whenNothingFits: d.whenNothingFits ?? 'backorder',
    search: d.search ?? 'balanced',
  }));
}

/** One setting that differs between two versions of a profile. */
export interface ProfileChange {
  /** dotted path of the setting, e.g. `constraints.maxSplits`; lists and conditions compare as a whole */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * What changed from one version of a profile to the next, setting by setting (see `settingChanges`), in
 * DEFAULT_PROFILE's key order.
 */
export function profileChanges(before: RoutingProfile, after: RoutingProfile): ProfileChange[] {
  return settingChanges(before, after, DEFAULT_PROFILE);
}

/**
 * What changed between two versions of a rule set (routing profile, hold rule), setting by setting, the version
 * number aside, in `template`'s key order (then other keys alphabetically: stored definitions do not keep key
 * order). Objects are walked (so a weight change names the weight); lists, the JsonLogic `conditions` and
 * scalars are compared as whole values. A setting only one side has is a change from / to null.
 */
export function settingChanges(before: object, after: object, template: object): ProfileChange[] {
  const out: ProfileChange[] = [];
  const walk = (a: unknown, b: unknown, path: string, tpl: unknown): void => {
    if (path !== 'conditions' && isObject(a) && isObject(b)) {
      const known = isObject(tpl) ? Object.keys(tpl) : [];
      const rank = (k: string) => (known.includes(k) ? known.indexOf(k) : known.length);
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
      for (const k of keys) {
        if (path === '' && k === 'version') continue;
        walk(a[k], b[k], path === '' ? k : `${path}.${k}`, isObject(tpl) ? tpl[k] : undefined);
      }
      return;
    }
    // key-order-independent equality for records inside lists and conditions
    if (canonicalJson(a) !== canonicalJson(b)) out.push({ path, from: a ?? null, to: b ?? null });
  };
  walk(before, after, '', template);
  return out;
}

function canonicalJson(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    isObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  );
}

/** The fact object profile conditions see. */
export function profileFacts(order: RoutingOrder): ProfileFacts {
  let units = 0;
  let hasHazmat = false;
  for (const l of order.lines) {
    units += l.qty;
    if (l.hazmat && l.qty > 0) hasHazmat = true;
  }
  return {
    channel: order.channel,
    serviceLevel: order.serviceLevel,
    country: order.destination.country,
    postcode: order.destination.postcode ?? null,
    tags: order.tags,
    orderValueMinor: order.orderValueMinor,
    currency: order.currency,
    lineCount: order.lines.length,
    units,
    hasHazmat,
  };
}

/** Sorted profile lists by the caller's array, reused while that array still holds the same profiles. */
const orderCache = new WeakMap<readonly RoutingProfile[], { snapshot: RoutingProfile[]; keys: string; sorted: readonly RoutingProfile[] }>();

/** What the order depends on, so that a profile edited in place (not frozen) invalidates the cache. */
function sortKeys(profiles: readonly RoutingProfile[]): string {
  let k = '';
  for (const p of profiles) k += `${p.id}\u0000${p.version}\u0000${p.priority}\u0000${p.active}\u0001`;
  return k;
}

/**
 * Active profiles in the order they are tried: the highest active version of each id, then by priority
 * (lower first), then id. Input order does not matter.
 */
export function profilesInPriorityOrder(profiles: readonly RoutingProfile[]): readonly RoutingProfile[] {
  const hit = orderCache.get(profiles);
  const keys = sortKeys(profiles);
  if (hit !== undefined && hit.keys === keys && hit.snapshot.length === profiles.length && hit.snapshot.every((p, i) => p === profiles[i])) {
    return hit.sorted;
  }
  const sorted = Object.freeze(sortProfiles(profiles));
  orderCache.set(profiles, { snapshot: [...profiles], keys, sorted });
  return sorted;
}

function sortProfiles(profiles: readonly RoutingProfile[]): RoutingProfile[] {
  const byId = new Map<string, RoutingProfile>();
  for (const p of profiles) {
    if (!p.active) continue;
    const seen = byId.get(p.id);
    if (seen === undefined || p.version > seen.version) byId.set(p.id, p);
  }
  return [...byId.values()].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** True when the profile's conditions hold for the facts. A rule that fails to evaluate does not match. */
export function profileMatches(p: RoutingProfile, facts: ProfileFacts): boolean {
  if (p.conditions === null) return true;
  try {
    return evaluateCondition(p.conditions, facts);
  } catch {
    return false;
  }
}

/** Every profile whose conditions match, in priority order, always ending with DEFAULT_PROFILE. */
export function matchingProfiles(order: RoutingOrder, profiles: readonly RoutingProfile[]): RoutingProfile[] {
  const facts = profileFacts(order);
  const out: RoutingProfile[] = [];
  for (const p of profilesInPriorityOrder(profiles)) if (profileMatches(p, facts)) out.push(p);
  if (!out.some((p) => p.id === DEFAULT_PROFILE.id)) out.push(DEFAULT_PROFILE);
  return out;
}

/** The first active profile (priority order) whose conditions match the order; DEFAULT_PROFILE when none do. */
export function selectProfile(order: RoutingOrder, profiles: readonly RoutingProfile[]): RoutingProfile {
  const facts = profileFacts(order);
  for (const p of profilesInPriorityOrder(profiles)) if (profileMatches(p, facts)) return p;
  return DEFAULT_PROFILE;
}

const SAMPLE_FACTS: ProfileFacts = {
  channel: 'web',
  serviceLevel: 'standard',
  country: 'GB',
  postcode: 'SW1A 1AA',
  tags: ['vip'],
  orderValueMinor: 10_000,
  currency: 'GBP',
  lineCount: 2,
  units: 3,
  hasHazmat: false,
};
const FACT_NAMES = new Set(Object.keys(SAMPLE_FACTS));
/**
 * JsonLogic operations a profile may use: the standard set minus `log` (console output is I/O), plus the
 * dashboard condition builder's `startsWith` / `endsWith`.
 */
const ALLOWED_OPS = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<',
  '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some', 'merge', 'in',
  'cat', 'substr', ...Object.keys(EXTRA_OPERATIONS),
]);

/**
 * Human-readable problems with a stored profile (empty = valid). Used by the profile API before a profile is
 * saved, so it checks the shape of untrusted JSON, not just the TypeScript type.
 */
export function validateProfile(p: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(p)) return ['profile must be an object'];
  const str = (v: unknown, path: string) => {
    if (typeof v !== 'string' || v.trim() === '') errors.push(`${path} must be a non-empty string`);
  };
  const int = (v: unknown, path: string, min: number) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) errors.push(`${path} must be an integer >= ${min}`);
  };
  const num = (v: unknown, path: string, min: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) errors.push(`${path} must be a number >= ${min}`);
  };
  const bool = (v: unknown, path: string) => {
    if (typeof v !== 'boolean') errors.push(`${path} must be true or false`);
  };
  const strList = (v: unknown, path: string) => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) errors.push(`${path} must be a list of non-empty strings`);
  };
  const minorMap = (v: unknown, path: string) => {
    if (!isObject(v)) return errors.push(`${path} must be an object`);
    for (const [k, x] of Object.entries(v)) int(x, `${path}.${k}`, 0);
  };

  str(p.id, 'id');
  int(p.version, 'version', 1);
  str(p.name, 'name');
  if (typeof p.priority !== 'number' || !Number.isFinite(p.priority)) errors.push('priority must be a number');
  bool(p.active, 'active');
  if (!['backorder', 'next_profile', 'hold'].includes(p.whenNothingFits as string)) {
    errors.push("whenNothingFits must be one of 'backorder', 'next_profile', 'hold'");
  }
  if (p.search !== undefined && !SEARCH_LEVELS.includes(p.search as SearchLevel)) {
    errors.push(`search must be one of ${SEARCH_LEVELS.map((s) => `'${s}'`).join(', ')}`);
  }
  if (p.conditions !== null) errors.push(...validateConditions(p.conditions));

  const c = p.constraints;
  if (!isObject(c)) errors.push('constraints must be an object');
  else {
    bool(c.shipComplete, 'constraints.shipComplete');
    int(c.maxSplits, 'constraints.maxSplits', 1);
    bool(c.allowLineSplit, 'constraints.allowLineSplit');
    bool(c.stayInMarket, 'constraints.stayInMarket');
    if (!isObject(c.allowedOriginCountries)) errors.push('constraints.allowedOriginCountries must be an object');
    else for (const [k, v] of Object.entries(c.allowedOriginCountries)) strList(v, `constraints.allowedOriginCountries.${k}`);
    bool(c.hazmatRequiresLicense, 'constraints.hazmatRequiresLicense');
    if (c.highValueThresholdMinor !== null) int(c.highValueThresholdMinor, 'constraints.highValueThresholdMinor', 0);
    strList(c.requiredLocationTags, 'constraints.requiredLocationTags');
    strList(c.excludedLocationTags, 'constraints.excludedLocationTags');
    if (!Array.isArray(c.excludedLocationTypes) || c.excludedLocationTypes.some((t) => !LOCATION_TYPES.includes(t))) {
      errors.push(`constraints.excludedLocationTypes must be a list of ${LOCATION_TYPES.join(', ')}`);
    }
    if (c.maxDistanceKm !== null) num(c.maxDistanceKm, 'constraints.maxDistanceKm', 0);
    bool(c.respectCapacity, 'constraints.respectCapacity');
    if (c.shipComplete === true && c.allowLineSplit === true) {
      errors.push('constraints.allowLineSplit cannot be true when shipComplete is true (one shipment has every line)');
    }
  }

  const w = p.weights;
  if (!isObject(w)) errors.push('weights must be an object');
  else for (const k of ['carrier', 'handling', 'splitPenalty', 'landed', 'lateness', 'futureValue']) num(w[k], `weights.${k}`, 0);

  const pe = p.penalties;
  if (!isObject(pe)) errors.push('penalties must be an object');
  else {
    int(pe.splitMinor, 'penalties.splitMinor', 0);
    minorMap(pe.latenessPerDayMinor, 'penalties.latenessPerDayMinor');
    if (!Array.isArray(pe.distanceBands)) errors.push('penalties.distanceBands must be a list');
    else {
      let last = -1;
      pe.distanceBands.forEach((b: unknown, i: number) => {
        if (!isObject(b)) return errors.push(`penalties.distanceBands[${i}] must be an object`);
        num(b.maxKm, `penalties.distanceBands[${i}].maxKm`, 0);
        int(b.penaltyMinor, `penalties.distanceBands[${i}].penaltyMinor`, 0);
        if (typeof b.maxKm === 'number' && b.maxKm <= last) errors.push('penalties.distanceBands must be in ascending maxKm order');
        if (typeof b.maxKm === 'number') last = b.maxKm;
      });
    }
  }

  const pr = p.preferences;
  if (!isObject(pr)) errors.push('preferences must be an object');
  else {
    strList(pr.rankedLocations, 'preferences.rankedLocations');
    int(pr.rankStepMinor, 'preferences.rankStepMinor', 0);
    strList(pr.preferredLocations, 'preferences.preferredLocations');
    int(pr.preferredBonusMinor, 'preferences.preferredBonusMinor', 0);
    int(pr.locationPriorityStepMinor, 'preferences.locationPriorityStepMinor', 0);
    if (!isObject(pr.locationTypePenaltyMinor)) errors.push('preferences.locationTypePenaltyMinor must be an object');
    else
      for (const [k, v] of Object.entries(pr.locationTypePenaltyMinor)) {
        if (!LOCATION_TYPES.includes(k as never)) errors.push(`preferences.locationTypePenaltyMinor.${k} is not a location type`);
        int(v, `preferences.locationTypePenaltyMinor.${k}`, 0);
      }
  }
  return errors;
}

/**
 * Checks a JsonLogic rule over the order facts (profile conditions, hold rules): known operations only, known
 * fact names, and that it evaluates on sample facts. Problems are named from `conditions`.
 */
export function validateConditions(rule: unknown): string[] {
  const errors: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      errors.push(`${path} must have exactly one operation, found ${keys.length === 0 ? 'none' : keys.join(', ')}`);
      return;
    }
    const op = keys[0] as string;
    if (!ALLOWED_OPS.has(op)) errors.push(`${path}: unknown or disallowed operation '${op}'`);
    const args = node[op];
    if (op === 'var') {
      const name = Array.isArray(args) ? args[0] : args;
      // inside map/filter/some/all/none, '' and nested names refer to the current element, not a fact
      if (typeof name === 'string' && name !== '' && !FACT_NAMES.has(name.split('.')[0] as string) && !path.includes('.some') &&
        !path.includes('.all') && !path.includes('.none') && !path.includes('.map') && !path.includes('.filter') && !path.includes('.reduce')) {
        errors.push(`${path}: unknown fact '${name}' (known: ${[...FACT_NAMES].join(', ')})`);
      }
      return;
    }
    walk(args, `${path}.${op}`);
  };
  if (typeof rule === 'boolean') return errors;
  if (!isObject(rule)) return ['conditions must be a JsonLogic object, true/false, or null'];
  walk(rule, 'conditions');
  if (errors.length === 0) {
    try {
      jsonLogic.apply(rule as never, SAMPLE_FACTS);
    } catch (e) {
      errors.push(`conditions fail to evaluate: ${(e as Error).message}`);
    }
  }
  return errors;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
