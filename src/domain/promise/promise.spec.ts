import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { money } from '../money/index.ts';
import {
  PromiseError,
  WEEKDAYS,
  addWorkingDays,
  combinePromises,
  cutoffInstant,
  isWorkingDay,
  promise,
  quoteServiceLevels,
  weekdayOf,
  type CarrierService,
  type FulfilmentLocation,
} from './index.ts';

// 2026: Thu 26 Nov = US Thanksgiving; Fri 25 Dec + Sat 26 Dec = German Christmas; Sat 3 Oct = German Unity Day.
const nj: FulfilmentLocation = {
  id: 'NJ-EWR1',
  timeZone: 'America/New_York',
  cutoff: '14:00',
  handlingDays: 0,
  calendar: { timeZone: 'America/New_York', holidays: { country: 'US', region: 'NJ' } },
};
const berlin: FulfilmentLocation = {
  id: 'DE-BER1',
  timeZone: 'Europe/Berlin',
  cutoff: '12:00',
  handlingDays: 0,
  calendar: { timeZone: 'Europe/Berlin', holidays: { country: 'DE', region: 'BE' } },
};
/** A store that works every day (DST changes in the US and EU happen on Sundays). */
const nyStore7: FulfilmentLocation = {
  id: 'NY-STORE',
  timeZone: 'America/New_York',
  cutoff: '14:00',
  handlingDays: 0,
  calendar: { workingWeekdays: [...WEEKDAYS] },
};
const berlinStore7: FulfilmentLocation = { ...berlin, id: 'DE-STORE', calendar: { workingWeekdays: [...WEEKDAYS] } };
const everyDay: CarrierService = { id: 'COURIER', transitDays: 1, pickupDays: [...WEEKDAYS], deliveryDays: [...WEEKDAYS] };
const upsGround: CarrierService = { id: 'UPS-GND', carrier: 'UPS', transitDays: 2, holidays: { country: 'US' } };
const dhlDe: CarrierService = { id: 'DHL-PAKET', carrier: 'DHL', transitDays: 1, deliveryDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], holidays: { country: 'DE', region: 'BE' } };

describe('business calendar', () => {
  it('knows weekends, public holidays and closures', () => {
    expect(weekdayOf('2026-11-26')).toBe('thu');
    expect(isWorkingDay(nj.calendar, '2026-11-25')).toBe(true);
    expect(isWorkingDay(nj.calendar, '2026-11-26')).toBe(false); // Thanksgiving
    expect(isWorkingDay(nj.calendar, '2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay(berlin.calendar, '2026-12-25')).toBe(false);
    expect(isWorkingDay({ closures: ['2026-06-10'] }, '2026-06-10')).toBe(false);
    // only 'public' holidays count: Christmas Eve is not one in NJ
    expect(isWorkingDay(nj.calendar, '2026-12-24')).toBe(true);
  });
  it('adds working days over weekends and holidays', () => {
    expect(addWorkingDays({}, '2026-01-02', 1)).toBe('2026-01-05');
    expect(addWorkingDays(nj.calendar, '2026-11-25', 1)).toBe('2026-11-27');
    expect(addWorkingDays(berlin.calendar, '2026-12-24', 1)).toBe('2026-12-28');
    expect(addWorkingDays(nj.calendar, '2026-11-28', 0)).toBe('2026-11-28');
  });
  it('rejects bad dates and unknown holiday regions', () => {
    expect(() => isWorkingDay({}, '2026-02-30')).toThrow(PromiseError);
    expect(() => isWorkingDay({ holidays: { country: 'US', region: 'ZZ' } }, '2026-01-01')).toThrow(/Unknown holiday region/);
    expect(() => isWorkingDay({ workingWeekdays: [] }, '2026-01-01')).not.toThrow();
    expect(() => addWorkingDays({ workingWeekdays: [] }, '2026-01-01', 1)).toThrow(PromiseError);
  });
});

describe('promise: cut-off and release', () => {
  it('releases the same day before the cut-off', () => {
    const p = promise({ now: '2026-06-10T17:59:00Z', location: nj, service: upsGround }); // Wed 13:59 EDT
    expect(p.releaseDate).toBe('2026-06-10');
    expect(p.shipBy).toBe('2026-06-10');
    expect(p.shipByInstant).toBe('2026-06-10T18:00:00Z');
    expect(p.deliveryDate).toBe('2026-06-12');
  });
  it('releases the next working day at or after the cut-off', () => {
    expect(promise({ now: '2026-06-10T18:00:00Z', location: nj, service: upsGround }).releaseDate).toBe('2026-06-11');
    expect(promise({ now: '2026-06-10T18:01:00Z', location: nj, service: upsGround }).releaseDate).toBe('2026-06-11');
  });
  it('Friday after cut-off -> Monday release', () => {
    const p = promise({ now: '2026-06-12T19:00:00Z', location: nj, service: upsGround }); // Fri 15:00 EDT
    expect(p.releaseDate).toBe('2026-06-15');
    expect(p.deliveryDate).toBe('2026-06-17');
  });
  it('an order on a weekend is released on Monday', () => {
    expect(promise({ now: '2026-06-13T12:00:00Z', location: nj, service: upsGround }).releaseDate).toBe('2026-06-15');
  });
  it('uses the local date, not the UTC date (23:30 EDT Friday is still Friday)', () => {
    const p = promise({ now: '2026-06-13T03:30:00Z', location: nj, service: upsGround });
    expect(p.releaseDate).toBe('2026-06-15');
  });
  it('cut-off 00:00 releases every order the next working day (midnight edge)', () => {
    const mid: FulfilmentLocation = { ...nj, cutoff: '00:00' };
    expect(cutoffInstant('America/New_York', '2026-06-09', '00:00')).toBe('2026-06-09T04:00:00Z');
    // Tue 00:00:00 local exactly, and one second later: both after the cut-off -> Wed
    expect(promise({ now: '2026-06-09T04:00:00Z', location: mid, service: upsGround }).releaseDate).toBe('2026-06-10');
    expect(promise({ now: '2026-06-09T04:00:01Z', location: mid, service: upsGround }).releaseDate).toBe('2026-06-10');
    // Mon 23:59:59 local -> Tue
    expect(promise({ now: '2026-06-09T03:59:59Z', location: mid, service: upsGround }).releaseDate).toBe('2026-06-09');
  });
});

describe('promise: holidays', () => {
  it('US Thanksgiving at a NJ warehouse (release and carrier transit skip 26 Nov)', () => {
    const p = promise({ now: '2026-11-25T20:00:00Z', location: nj, service: upsGround }); // Wed 15:00 EST
    expect(p.releaseDate).toBe('2026-11-27');
    expect(p.deliveryDate).toBe('2026-12-01');
    expect(p.explanation.join(' ')).toMatch(/Thanksgiving/);
    // before cut-off on Wed: ships Wed, transit Thu is a carrier holiday -> Fri, Mon
    const q = promise({ now: '2026-11-25T15:00:00Z', location: nj, service: upsGround });
    expect(q.shipBy).toBe('2026-11-25');
    expect(q.deliveryDate).toBe('2026-11-30');
  });
  it('handling days spanning a holiday', () => {
    const p = promise({ now: '2026-11-25T15:00:00Z', location: { ...nj, handlingDays: 2 }, service: upsGround });
    expect(p.releaseDate).toBe('2026-11-25');
    expect(p.shipBy).toBe('2026-11-30'); // Fri 27 = 1, (weekend), Mon 30 = 2
    expect(p.explanation[1]).toMatch(/2026-11-26 \(public holiday \(Thanksgiving Day\)\)/);
  });
  it('German Christmas at a Berlin warehouse', () => {
    const p = promise({ now: '2026-12-24T12:30:00Z', location: berlin, service: dhlDe }); // Thu 13:30 CET
    expect(p.releaseDate).toBe('2026-12-28');
    expect(p.deliveryDate).toBe('2026-12-29');
  });
  it('German Unity Day (Sat 3 Oct 2026) at a site working Mon-Sat', () => {
    const monSat: FulfilmentLocation = { ...berlin, calendar: { ...berlin.calendar, workingWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } };
    const p = promise({ now: '2026-10-02T11:00:00Z', location: monSat, service: { ...dhlDe, pickupDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } });
    expect(p.releaseDate).toBe('2026-10-05');
    // without the holiday the Saturday would have been the release day
    const noHol = promise({ now: '2026-10-09T11:00:00Z', location: monSat, service: dhlDe });
    expect(noHol.releaseDate).toBe('2026-10-10');
    expect(noHol.shipBy).toBe('2026-10-12'); // DHL does not collect on Saturday in this set-up
  });
});

describe('promise: carrier days', () => {
  it('no delivery on Saturday/Sunday unless the service has it', () => {
    const thu = '2026-06-11T15:00:00Z';
    expect(promise({ now: thu, location: nj, service: upsGround }).deliveryDate).toBe('2026-06-15'); // Fri, Mon
    const sat = promise({ now: thu, location: nj, service: { ...upsGround, deliveryDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } });
    expect(sat.deliveryDate).toBe('2026-06-13');
  });
  it('ship-by moves to the next carrier pickup day', () => {
    const tueThu: CarrierService = { ...upsGround, pickupDays: ['tue', 'thu'] };
    const p = promise({ now: '2026-06-10T15:00:00Z', location: nj, service: tueThu }); // Wed
    expect(p.releaseDate).toBe('2026-06-10');
    expect(p.shipBy).toBe('2026-06-11');
  });
  it('window and lateness', () => {
    const p = promise({
      now: '2026-06-10T15:00:00Z',
      location: nj,
      service: { ...upsGround, varianceDays: 2 },
      requestedDeliveryDate: '2026-06-11',
    });
    expect(p.window).toEqual({ earliest: '2026-06-12', latest: '2026-06-16' });
    expect(p.lateDays).toBe(1);
    expect(promise({ now: '2026-06-10T15:00:00Z', location: nj, service: upsGround, requestedDeliveryDate: '2026-06-20' }).lateDays).toBe(0);
  });
});

describe('promise: DST change days', () => {
  // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
  it('New York spring forward: 14:00 cut-off is 18:00Z (EDT), not 19:00Z', () => {
    expect(cutoffInstant('America/New_York', '2026-03-08', '14:00')).toBe('2026-03-08T18:00:00Z');
    expect(promise({ now: '2026-03-08T17:59:00Z', location: nyStore7, service: everyDay }).releaseDate).toBe('2026-03-08');
    expect(promise({ now: '2026-03-08T18:30:00Z', location: nyStore7, service: everyDay }).releaseDate).toBe('2026-03-09');
  });
  it('New York fall back: 14:00 cut-off is 19:00Z (EST), not 18:00Z', () => {
    expect(cutoffInstant('America/New_York', '2026-11-01', '14:00')).toBe('2026-11-01T19:00:00Z');
    expect(promise({ now: '2026-11-01T18:30:00Z', location: nyStore7, service: everyDay }).releaseDate).toBe('2026-11-01');
    expect(promise({ now: '2026-11-01T19:00:00Z', location: nyStore7, service: everyDay }).releaseDate).toBe('2026-11-02');
  });
  it('a cut-off inside the skipped hour is passed when the clock jumps (02:30 -> 03:00 EDT)', () => {
    const store = { ...nyStore7, cutoff: '02:30' };
    expect(cutoffInstant('America/New_York', '2026-03-08', '02:30')).toBe('2026-03-08T07:00:00Z');
    expect(promise({ now: '2026-03-08T06:59:00Z', location: store, service: everyDay }).releaseDate).toBe('2026-03-08'); // 01:59 EST
    expect(promise({ now: '2026-03-08T07:15:00Z', location: store, service: everyDay }).releaseDate).toBe('2026-03-09'); // 03:15 EDT
  });
  it('an ambiguous cut-off on the fall-back day is its first occurrence (01:30 EDT)', () => {
    const store = { ...nyStore7, cutoff: '01:30' };
    expect(cutoffInstant('America/New_York', '2026-11-01', '01:30')).toBe('2026-11-01T05:30:00Z');
    expect(promise({ now: '2026-11-01T05:29:00Z', location: store, service: everyDay }).releaseDate).toBe('2026-11-01');
    // 01:15 EST, the second time the clock shows 01:15: the cut-off has already passed
    expect(promise({ now: '2026-11-01T06:15:00Z', location: store, service: everyDay }).releaseDate).toBe('2026-11-02');
  });
  it('late Sunday evening on a DST day maps to Sunday local (NJ warehouse -> Monday)', () => {
    const p = promise({ now: '2026-11-02T04:30:00Z', location: nj, service: upsGround }); // Sun 23:30 EST
    expect(p.releaseDate).toBe('2026-11-02');
    expect(p.shipByInstant).toBe('2026-11-02T19:00:00Z');
    // Monday after spring forward: 14:00 EDT = 18:00Z
    expect(promise({ now: '2026-03-09T18:10:00Z', location: nj, service: upsGround }).releaseDate).toBe('2026-03-10');
  });
  // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  it('Berlin spring forward: 12:00 cut-off is 10:00Z (CEST)', () => {
    expect(cutoffInstant('Europe/Berlin', '2026-03-29', '12:00')).toBe('2026-03-29T10:00:00Z');
    expect(promise({ now: '2026-03-29T09:59:00Z', location: berlinStore7, service: everyDay }).releaseDate).toBe('2026-03-29');
    expect(promise({ now: '2026-03-29T10:30:00Z', location: berlinStore7, service: everyDay }).releaseDate).toBe('2026-03-30');
  });
  it('Berlin fall back: 12:00 cut-off is 11:00Z (CET)', () => {
    expect(cutoffInstant('Europe/Berlin', '2026-10-25', '12:00')).toBe('2026-10-25T11:00:00Z');
    expect(promise({ now: '2026-10-25T10:30:00Z', location: berlinStore7, service: everyDay }).releaseDate).toBe('2026-10-25');
    expect(promise({ now: '2026-10-25T11:00:00Z', location: berlinStore7, service: everyDay }).releaseDate).toBe('2026-10-26');
  });
  it('Berlin cut-off 02:30 inside the spring gap and on the fall-back fold', () => {
    expect(cutoffInstant('Europe/Berlin', '2026-03-29', '02:30')).toBe('2026-03-29T01:00:00Z');
    expect(cutoffInstant('Europe/Berlin', '2026-10-25', '02:30')).toBe('2026-10-25T00:30:00Z');
  });
});

describe('promise: invariants (property-based)', () => {
  const start = Date.UTC(2026, 0, 1);
  const span = 730 * 86_400_000;
  it('release <= ship-by <= delivery; each lands on a day its calendar allows; later orders never arrive earlier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        fc.constantFrom(nj, berlin),
        fc.constantFrom(upsGround, dhlDe, everyDay),
        fc.integer({ min: 0, max: 3 }),
        (offset, later, loc, svc, handlingDays) => {
          const location = { ...loc, handlingDays };
          const a = promise({ now: new Date(start + offset).toISOString(), location, service: svc });
          const b = promise({ now: new Date(start + offset + later).toISOString(), location, service: svc });
          expect(a.releaseDate <= a.shipBy && a.shipBy < a.deliveryDate).toBe(true);
          expect(isWorkingDay(location.calendar, a.releaseDate)).toBe(true);
          expect(isWorkingDay(location.calendar, a.shipBy)).toBe(true);
          expect((svc.pickupDays ?? ['mon', 'tue', 'wed', 'thu', 'fri']).includes(weekdayOf(a.shipBy))).toBe(true);
          expect((svc.deliveryDays ?? ['mon', 'tue', 'wed', 'thu', 'fri']).includes(weekdayOf(a.deliveryDate))).toBe(true);
          if (svc.holidays) expect(isWorkingDay({ holidays: svc.holidays, workingWeekdays: [...WEEKDAYS] }, a.deliveryDate)).toBe(true);
          expect(b.deliveryDate >= a.deliveryDate).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('order level and storefront quotes', () => {
  it('combinePromises takes the latest ship-by and the latest delivery', () => {
    const a = promise({ now: '2026-06-10T09:00:00Z', location: nj, service: upsGround });
    const b = promise({ now: '2026-06-10T09:00:00Z', location: berlin, service: dhlDe });
    expect(b.deliveryDate).toBe('2026-06-11');
    const o = combinePromises([a, b]);
    expect(o.shipBy).toBe('2026-06-10');
    expect(o.shipByInstant).toBe(a.shipByInstant); // 14:00 EDT is later than 12:00 CEST
    expect(o.deliveryDate).toBe('2026-06-12');
    expect(o.firstReleaseDate).toBe('2026-06-10');
    expect(o.shipments).toBe(2);
    expect(() => combinePromises([])).toThrow(PromiseError);
  });
  it('quoteServiceLevels returns the earliest delivery per level, cheaper on ties', () => {
    const express: CarrierService = { id: 'UPS-NDA', transitDays: 1, holidays: { country: 'US' } };
    const quotes = quoteServiceLevels({
      now: '2026-06-10T15:00:00Z',
      options: [
        { serviceLevel: 'standard', location: nj, service: upsGround, price: money(899, 'USD') },
        { serviceLevel: 'standard', location: { ...nj, id: 'NJ-2' }, service: upsGround, price: money(599, 'USD') },
        { serviceLevel: 'express', location: nj, service: express, price: money(2499, 'USD') },
        { serviceLevel: 'express', location: { ...nj, handlingDays: 1, id: 'NJ-SLOW' }, service: express, price: money(999, 'USD') },
      ],
    });
    expect(quotes).toEqual([
      expect.objectContaining({ serviceLevel: 'standard', deliveryDate: '2026-06-12', locationId: 'NJ-2', price: money(599, 'USD') }),
      expect.objectContaining({ serviceLevel: 'express', deliveryDate: '2026-06-11', locationId: 'NJ-EWR1', price: money(2499, 'USD') }),
    ]);
  });
  it('refuses bad input with typed errors', () => {
    expect(() => promise({ now: '2026-06-10 15:00', location: nj, service: upsGround })).toThrow(/ISO instant/);
    expect(() => promise({ now: '2026-06-10T15:00:00Z', location: { ...nj, cutoff: '24:00' }, service: upsGround })).toThrow(/Cut-off/);
    expect(() => promise({ now: '2026-06-10T15:00:00Z', location: { ...nj, timeZone: 'Mars/Olympus' }, service: upsGround })).toThrow(PromiseError);
  });
});
