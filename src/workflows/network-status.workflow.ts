/**
 * The network today, as ops check it before they change capacity or close a site: per location whether it works
 * today, its cut-off as an instant, when an order placed now is released there, closures ahead, and today's
 * daily capacity taken and left (the counts routing uses). Reads only.
 */
import { siteDay, type SiteDay } from '../domain/promise/index.ts';
import type { Database } from '../platform/db/database.ts';
import { fulfilmentSite, type Location, type LocationService } from '../modules/locations/locations.service.ts';
import type { CapacityCounter } from '../modules/routing/capacity.ts';
import type { OrderService } from '../modules/orders/order.service.ts';

export interface LocationStatus {
  code: string;
  name: string;
  type: Location['type'];
  country: string;
  active: boolean;
  timeZone: string;
  cutoffTime: string;
  handlingDays: number;
  priority: number;
  tags: string[];
  closures: string[];
  /** orders per local day: the limit, taken today and left (null = no limit) */
  capacity: { daily: number | null; taken: number | null; left: number | null };
  /** what is reserved there now (not yet released): what an evacuation would move */
  reserved: { orders: number; units: number };
  /** null when the site's calendar cannot be read (e.g. an unknown holiday region): said in `calendarError` */
  today: SiteDay | null;
  calendarError?: string;
}

export class NetworkStatusWorkflow {
  constructor(private readonly deps: { database: Database; locations: LocationService; capacity: CapacityCounter; orders: OrderService }) {}

  async status(now = new Date()): Promise<{ at: string; items: LocationStatus[] }> {
    const locs = await this.deps.locations.list();
    const left = await this.deps.database.transaction((trx) => this.deps.capacity.left(trx, locs, now));
    const reserved = await this.deps.orders.reservedByLocation();
    const at = now.toISOString();
    return {
      at,
      items: locs.map((l) => {
        const remaining = l.dailyCapacity === null ? null : Math.max(0, left.get(l.id) ?? l.dailyCapacity);
        let today: SiteDay | null = null;
        let calendarError: string | undefined;
        try {
          today = siteDay(fulfilmentSite(l), at);
        } catch (e) {
          calendarError = e instanceof Error ? e.message : String(e);
        }
        return {
          code: l.code, name: l.name, type: l.type, country: l.country, active: l.active, timeZone: l.timeZone, cutoffTime: l.cutoffTime,
          handlingDays: l.handlingDays, priority: l.priority, tags: l.tags, closures: l.closures,
          capacity: { daily: l.dailyCapacity, taken: remaining === null ? null : l.dailyCapacity! - remaining, left: remaining },
          reserved: reserved.get(l.id) ?? { orders: 0, units: 0 },
          today,
          ...(calendarError ? { calendarError } : {}),
        };
      }),
    };
  }
}
