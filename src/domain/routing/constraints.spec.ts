import { describe, expect, it } from 'vitest';
import { defineProfile, route, type ProfileDraft, type RoutingDecision } from './index.ts';
import { input, line, location, order } from './routing.test-kit.ts';

const profile = (d: Omit<ProfileDraft, 'id' | 'name'>) => defineProfile({ id: 'p', name: 'test profile', ...d });
const excluded = (d: RoutingDecision, code: string) => d.candidates.find((c) => c.code === code)!.excluded;
const shippedFrom = (d: RoutingDecision) => d.shipments.map((s) => s.code);

describe('hard constraints exclude a location with the rule recorded', () => {
  it('no stock for any line', () => {
    const d = route(input(order([line('L1', 'A', 1)]), [location('WH1', { B: 5 }), location('WH2', { A: 5 })]));
    expect(excluded(d, 'WH1')).toMatchObject({ rule: 'no_stock' });
    expect(shippedFrom(d)).toEqual(['WH2']);
  });

  it('inactive, and not feeding the channel', () => {
    const d = route(
      input(order([line('L1', 'A', 1)]), [
        location('WH1', { A: 5 }, { active: false, distanceKm: 1 }),
        location('WH2', { A: 5 }, { feedsChannel: false, distanceKm: 1 }),
        location('WH3', { A: 5 }, { distanceKm: 900 }),
      ]),
    );
    expect(excluded(d, 'WH1')).toMatchObject({ rule: 'inactive' });
    expect(excluded(d, 'WH2')).toMatchObject({ rule: 'not_feeding_channel' });
    expect(shippedFrom(d)).toEqual(['WH3']);
  });

  it('allowed origin countries per destination', () => {
    const p = profile({ constraints: { allowedOriginCountries: { GB: ['GB'], '*': ['CN', 'GB'] } } });
    const cands = [location('CN1', { A: 5 }, { country: 'CN', distanceKm: 1 }), location('GB1', { A: 5 }, { distanceKm: 500 })];
    const d = route(input(order([line('L1', 'A', 1)]), cands, [p]));
    expect(excluded(d, 'CN1')).toMatchObject({ rule: 'origin_country_not_allowed' });
    const us = route(input(order([line('L1', 'A', 1)], { destination: { country: 'US' } }), cands, [p]));
    expect(excluded(us, 'CN1')).toBeNull();
  });

  it('stay in market: out-of-market origins only when no in-market location can serve', () => {
    const p = profile({ constraints: { stayInMarket: true } });
    const fr = location('FR1', { A: 5 }, { country: 'FR', distanceKm: 1 });
    const d = route(input(order([line('L1', 'A', 1)]), [fr, location('GB1', { A: 5 }, { distanceKm: 800 })], [p]));
    expect(excluded(d, 'FR1')).toMatchObject({ rule: 'stay_in_market' });
    expect(shippedFrom(d)).toEqual(['GB1']);
    const none = route(input(order([line('L1', 'A', 1)]), [fr, location('GB1', { B: 5 })], [p]));
    expect(shippedFrom(none)).toEqual(['FR1']);
  });

  it('hazmat lines only from hazmat-licensed locations; the others still ship the non-hazmat lines', () => {
    const o = order([line('L1', 'A', 1, { hazmat: true }), line('L2', 'B', 1)]);
    const only = route(input(o, [location('WH1', { A: 5 })]));
    expect(excluded(only, 'WH1')).toMatchObject({ rule: 'hazmat_not_licensed' });
    const d = route(
      input(o, [location('WH1', { A: 5, B: 5 }, { distanceKm: 1 }), location('HZ1', { A: 5 }, { tags: ['hazmat-licensed'], distanceKm: 900 })]),
    );
    const byCode = Object.fromEntries(d.shipments.map((s) => [s.code, s.lines.map((l) => l.lineId)]));
    expect(byCode).toEqual({ HZ1: ['L1'], WH1: ['L2'] });
    expect(d.candidates.find((c) => c.code === 'WH1')!.score?.ineligibleLines).toEqual([{ lineId: 'L1', rule: 'hazmat_not_licensed' }]);
  });

  it('order value above the threshold only from secure locations', () => {
    const p = profile({ constraints: { highValueThresholdMinor: 50_000 } });
    const cands = [location('WH1', { A: 5 }, { distanceKm: 1 }), location('SEC', { A: 5 }, { tags: ['secure'], distanceKm: 900 })];
    const rich = route(input(order([line('L1', 'A', 1, { unitValueMinor: 90_000 })]), cands, [p]));
    expect(excluded(rich, 'WH1')).toMatchObject({ rule: 'high_value_requires_secure' });
    expect(shippedFrom(rich)).toEqual(['SEC']);
    expect(shippedFrom(route(input(order([line('L1', 'A', 1)]), cands, [p])))).toEqual(['WH1']);
  });

  it('capacity used up', () => {
    const d = route(input(order([line('L1', 'A', 1)]), [location('WH1', { A: 5 }, { remainingCapacity: 0, distanceKm: 1 }), location('WH2', { A: 5 })]));
    expect(excluded(d, 'WH1')).toMatchObject({ rule: 'capacity_exhausted' });
    const ignore = profile({ constraints: { respectCapacity: false } });
    expect(route(input(order([line('L1', 'A', 1)]), [location('WH1', { A: 5 }, { remainingCapacity: 0 })], [ignore])).outcome).toBe('routed');
  });

  it('ship complete: only locations that can ship every line in full, as one shipment', () => {
    const p = profile({ constraints: { shipComplete: true } });
    const o = order([line('L1', 'A', 2), line('L2', 'B', 1)]);
    const d = route(input(o, [location('WH1', { A: 2 }, { distanceKm: 1 }), location('WH2', { A: 1, B: 1 }), location('WH3', { A: 2, B: 1 }, { distanceKm: 900 })], [p]));
    expect(excluded(d, 'WH1')).toMatchObject({ rule: 'cannot_ship_complete' });
    expect(excluded(d, 'WH2')).toMatchObject({ rule: 'cannot_ship_complete' });
    expect(shippedFrom(d)).toEqual(['WH3']);
    const none = route(input(o, [location('WH1', { A: 2 }), location('WH2', { B: 1 })], [p]));
    expect(none.outcome).toBe('backorder');
    expect(none.unallocated.map((u) => u.reason)).toEqual(['cannot_ship_complete', 'cannot_ship_complete']);
  });

  it('required tags, excluded tags, excluded location types', () => {
    const p = profile({ constraints: { requiredLocationTags: ['same-day'], excludedLocationTags: ['frozen'], excludedLocationTypes: ['store'] } });
    const d = route(
      input(order([line('L1', 'A', 1)]), [
        location('A1', { A: 1 }, { tags: [] }),
        location('B1', { A: 1 }, { tags: ['same-day', 'frozen'] }),
        location('C1', { A: 1 }, { tags: ['same-day'], type: 'store' }),
        location('D1', { A: 1 }, { tags: ['same-day'] }),
      ], [p]),
    );
    expect(excluded(d, 'A1')).toMatchObject({ rule: 'missing_required_tag' });
    expect(excluded(d, 'B1')).toMatchObject({ rule: 'excluded_location_tag' });
    expect(excluded(d, 'C1')).toMatchObject({ rule: 'excluded_location_type' });
    expect(shippedFrom(d)).toEqual(['D1']);
  });

  it('max distance (unknown distance is excluded when a limit is set)', () => {
    const p = profile({ constraints: { maxDistanceKm: 300 } });
    const d = route(
      input(order([line('L1', 'A', 1)]), [location('FAR', { A: 1 }, { distanceKm: 301 }), location('UNK', { A: 1 }, { distanceKm: null }), location('NEAR', { A: 1 }, { distanceKm: 299 })], [p]),
    );
    expect(excluded(d, 'FAR')).toMatchObject({ rule: 'max_distance' });
    expect(excluded(d, 'UNK')).toMatchObject({ rule: 'max_distance', detail: expect.stringContaining('unknown') });
    expect(shippedFrom(d)).toEqual(['NEAR']);
  });

  it('max splits caps the number of shipments, leaving units unallocated with the reason', () => {
    const p = profile({ constraints: { maxSplits: 1 } });
    const d = route(input(order([line('L1', 'A', 1), line('L2', 'B', 1)]), [location('WH1', { A: 1 }), location('WH2', { B: 1 })], [p]));
    expect(d.shipments).toHaveLength(1);
    expect(d.outcome).toBe('partial');
    expect(d.unallocated).toEqual([expect.objectContaining({ qty: 1, reason: 'max_splits_reached' })]);
  });

  it('line split only when allowed and no single location has the whole line', () => {
    const o = order([line('L1', 'A', 5)]);
    const cands = [location('WH1', { A: 3 }), location('WH2', { A: 2 })];
    const noSplit = route(input(o, cands));
    expect(noSplit.units.allocated).toBe(3);
    expect(noSplit.unallocated[0]).toMatchObject({ qty: 2, reason: 'line_split_not_allowed' });
    const split = route(input(o, cands, [profile({ constraints: { allowLineSplit: true } })]));
    expect(split.units.allocated).toBe(5);
    expect(split.shipments.map((s) => s.lines[0]!.qty).sort()).toEqual([2, 3]);
    // one location has all 5: no split even though allowed
    const whole = route(input(o, [...cands, location('WH3', { A: 5 }, { distanceKm: 1500 })], [profile({ constraints: { allowLineSplit: true } })]));
    expect(shippedFrom(whole)).toEqual(['WH3']);
  });

  it('units come first: never leaves units unallocated to save cost', () => {
    const o = order([line('L1', 'A', 1), line('L2', 'B', 1)]);
    const d = route(input(o, [location('NEAR', { A: 1 }, { distanceKm: 1 }), location('FAR', { B: 1 }, { distanceKm: 1400, handlingCostMinor: 5000 })]));
    expect(d.units.allocated).toBe(2);
    expect(d.outcome).toBe('routed');
  });
});
