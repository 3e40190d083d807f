import { describe, expect, it } from 'vitest';
import { siteDay, type FulfilmentLocation } from './index.ts';

/** A New Jersey warehouse: US federal and NJ holidays, 14:00 cut-off, plus a stock-take closure. */
const nj: FulfilmentLocation = {
  id: 'WH-NJ',
  timeZone: 'America/New_York',
  cutoff: '14:00',
  handlingDays: 0,
  calendar: { holidays: { country: 'US', region: 'NJ' }, closures: ['2026-12-02'] },
};

describe('siteDay', () => {
  it('before the cut-off on a working day: released today, cut-off as an instant', () => {
    const d = siteDay(nj, '2026-11-25T18:00:00Z'); // 13:00 EST, Wednesday
    expect(d).toMatchObject({
      localDate: '2026-11-25', localTime: '2026-11-25T13:00:00-05:00', working: true, closedReason: null,
      cutoffInstant: '2026-11-25T19:00:00Z', releasesToday: true, releaseDate: '2026-11-25', releaseCutoffInstant: '2026-11-25T19:00:00Z',
    });
    // Thanksgiving and the stock-take ahead; weekends are not listed
    expect(d.upcomingClosures).toEqual([
      { date: '2026-11-26', reason: 'public holiday (Thanksgiving Day)' },
      { date: '2026-12-02', reason: 'closure' },
    ]);
  });

  it('after the cut-off the day before Thanksgiving: released the Friday after', () => {
    const d = siteDay(nj, '2026-11-25T19:00:00Z'); // exactly 14:00 EST: at the cut-off is after it
    expect(d).toMatchObject({ working: true, releasesToday: false, releaseDate: '2026-11-27', releaseCutoffInstant: '2026-11-27T19:00:00Z' });
  });

  it('a Saturday, a public holiday and a closure are not worked, each saying why', () => {
    expect(siteDay(nj, '2026-11-28T15:00:00Z')).toMatchObject({ working: false, closedReason: 'sat is not a working weekday', cutoffInstant: null, releaseDate: '2026-11-30' });
    expect(siteDay(nj, '2026-11-26T15:00:00Z')).toMatchObject({ working: false, closedReason: 'public holiday (Thanksgiving Day)', releaseDate: '2026-11-27' });
    expect(siteDay(nj, '2026-12-02T12:00:00Z')).toMatchObject({ working: false, closedReason: 'closure', releasesToday: false, releaseDate: '2026-12-03' });
  });

  it('uses the site\'s own date: late evening UTC is still the previous day in New York; a Berlin site is on CET', () => {
    expect(siteDay(nj, '2026-11-27T03:00:00Z')).toMatchObject({ localDate: '2026-11-26', working: false });
    const ber: FulfilmentLocation = { id: 'WH-BER', timeZone: 'Europe/Berlin', cutoff: '16:00', handlingDays: 1, calendar: { holidays: { country: 'DE', region: 'BE' } } };
    expect(siteDay(ber, '2026-12-24T14:59:00Z')).toMatchObject({ localDate: '2026-12-24', working: true, releasesToday: true, cutoffInstant: '2026-12-24T15:00:00Z' });
    expect(siteDay(ber, '2026-12-24T15:00:00Z')).toMatchObject({ releasesToday: false, releaseDate: '2026-12-28' }); // 25th, 26th holidays, 27th Sunday
  });
});
