import { describe, expect, it } from 'vitest';
import { stockCover } from './cover.ts';

const opts = { windowDays: 28, warnDays: 14, today: '2026-12-06' };

describe('stockCover', () => {
  it('days of cover at the window\'s rate, the stock-out date, and the status', () => {
    const [a, b, c, d] = stockCover([
      { sku: 'SLOW', demandUnits: 28, free: 100, backordered: 0 }, // 1/day: 100 days
      { sku: 'FAST', demandUnits: 280, free: 50, backordered: 0 }, // 10/day: 5 days
      { sku: 'NONE', demandUnits: 0, free: 5, backordered: 0 },
      { sku: 'GONE', demandUnits: 56, free: 3, backordered: 5 }, // back-orders take the 3 first
    ], opts);
    expect(a).toMatchObject({ sku: 'GONE', net: -2, daysOfCover: 0, stockOutDate: '2026-12-06', status: 'out' });
    expect(b).toMatchObject({ sku: 'FAST', dailyDemand: 10, daysOfCover: 5, stockOutDate: '2026-12-11', status: 'at_risk' });
    expect(c).toMatchObject({ sku: 'SLOW', dailyDemand: 1, daysOfCover: 100, stockOutDate: '2027-03-16', status: 'ok' });
    expect(d).toMatchObject({ sku: 'NONE', dailyDemand: 0, daysOfCover: null, stockOutDate: null, status: 'ok' });
  });

  it('uses the exact rate, not the rounded one, and floors the stock-out day', () => {
    const [x] = stockCover([{ sku: 'X', demandUnits: 3, free: 10, backordered: 0 }], { ...opts, windowDays: 7 }); // 0.43/day
    expect(x).toMatchObject({ dailyDemand: 0.43, daysOfCover: 23.3, stockOutDate: '2026-12-29', status: 'ok' });
  });
});
