import { describe, expect, it } from 'vitest';
import { defineProfile, profileChanges } from './profile.ts';

describe('profileChanges', () => {
  const a = defineProfile({ id: 'p', name: 'P', priority: 5, conditions: { and: [{ '==': [{ var: 'country' }, 'GB'] }] }, penalties: { distanceBands: [{ maxKm: 100, penaltyMinor: 0 }] } });

  it('names each changed setting by its path, objects walked, lists and conditions whole', () => {
    const b = defineProfile({
      id: 'p', name: 'P', version: 2, priority: 5,
      conditions: { and: [{ '==': [{ var: 'country' }, 'IE'] }] },
      constraints: { stayInMarket: true },
      penalties: { distanceBands: [{ maxKm: 100, penaltyMinor: 50 }], latenessPerDayMinor: { standard: 100, express: 500, next_day: 1000, '*': 200, two_day: 300 } },
      preferences: { locationTypePenaltyMinor: { store: 150 } },
    });
    expect(profileChanges(a, b)).toEqual([
      { path: 'conditions', from: a.conditions, to: b.conditions },
      { path: 'constraints.stayInMarket', from: false, to: true },
      { path: 'penalties.latenessPerDayMinor.two_day', from: null, to: 300 },
      { path: 'penalties.distanceBands', from: [{ maxKm: 100, penaltyMinor: 0 }], to: [{ maxKm: 100, penaltyMinor: 50 }] },
      { path: 'preferences.locationTypePenaltyMinor.store', from: null, to: 150 },
    ]);
  });

  it('sees no change in the version number or in key order, and none between equal profiles', () => {
    const reordered = JSON.parse(JSON.stringify({ ...a, version: 7, conditions: { and: [{ '==': [{ var: 'country' }, 'GB'] }] } }));
    reordered.penalties = { distanceBands: [{ penaltyMinor: 0, maxKm: 100 }], splitMinor: a.penalties.splitMinor, latenessPerDayMinor: a.penalties.latenessPerDayMinor };
    expect(profileChanges(a, reordered)).toEqual([]);
    expect(profileChanges(a, a)).toEqual([]);
  });
});
