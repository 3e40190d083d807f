/**
 * Days of cover: how long each SKU's free stock lasts at its recent rate of demand, and the date it runs out, so
 * ops hear about a stock-out before it happens. The rate is a plain moving average over a window (units ordered,
 * net of cancellations, per day); a forecasting model would replace `dailyDemand` and nothing else. Units already
 * waiting as back-orders take the next free units first. Pure: rows in, report out.
 */
import { addCalendarDays } from '../promise/index.ts';

export interface CoverInput {
  sku: string;
  /** units ordered in the window, net of cancellations */
  demandUnits: number;
  /** sellable now across the network: on hand − safety stock − reserved, per location, floored at 0 */
  free: number;
  /** units of open orders waiting for stock */
  backordered: number;
}

export type CoverStatus = 'out' | 'at_risk' | 'ok';

export interface CoverLine extends CoverInput {
  /** units per day over the window */
  dailyDemand: number;
  /** free units left once back-orders are filled */
  net: number;
  /** days the net stock lasts at the daily demand; null when there is no demand */
  daysOfCover: number | null;
  /** the day it runs out at this rate (ISO date); null when there is no demand */
  stockOutDate: string | null;
  status: CoverStatus;
}

export interface CoverOptions {
  windowDays: number;
  /** warn when cover is below this many days */
  warnDays: number;
  /** the day the report is for, ISO 'YYYY-MM-DD' */
  today: string;
}

export function stockCover(rows: readonly CoverInput[], o: CoverOptions): CoverLine[] {
  if (!(o.windowDays > 0)) throw new RangeError('windowDays must be > 0');
  return rows
    .map((r): CoverLine => {
      const dailyDemand = Math.round((r.demandUnits / o.windowDays) * 100) / 100;
      const net = r.free - r.backordered;
      if (net <= 0) return { ...r, dailyDemand, net, daysOfCover: 0, stockOutDate: o.today, status: 'out' };
      if (!(r.demandUnits > 0)) return { ...r, dailyDemand: 0, net, daysOfCover: null, stockOutDate: null, status: 'ok' };
      const days = (net * o.windowDays) / r.demandUnits; // exact, not from the rounded rate
      const daysOfCover = Math.round(days * 10) / 10;
      return { ...r, dailyDemand, net, daysOfCover, stockOutDate: addCalendarDays(o.today, Math.floor(days)), status: days < o.warnDays ? 'at_risk' : 'ok' };
    })
    .sort((a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
