/**
 * Stock cover across the network: each SKU ordered recently (or waiting as a back-order), its free stock, its
 * daily demand over the window and the day it runs out at that rate (domain/planning/cover.ts). Reads only.
 */
import { stockCover, type CoverLine } from '../domain/planning/cover.ts';
import type { InventoryService } from '../modules/inventory/inventory.service.ts';
import type { OrderService } from '../modules/orders/order.service.ts';

export interface CoverQuery {
  /** days of demand averaged (default 28) */
  windowDays?: number;
  /** warn below this many days of cover (default 14) */
  warnDays?: number;
  /** every SKU with demand, not only those out or at risk */
  all?: boolean;
}

export class StockCoverWorkflow {
  constructor(private readonly deps: { orders: OrderService; inventory: InventoryService }) {}

  async report(q: CoverQuery, now = new Date()): Promise<{ asOf: string; windowDays: number; warnDays: number; items: CoverLine[] }> {
    const windowDays = q.windowDays ?? 28;
    const warnDays = q.warnDays ?? 14;
    const demand = await this.deps.orders.demandSince(new Date(now.getTime() - windowDays * 86_400_000));
    const free = await this.deps.inventory.freeBySku(demand.map((d) => d.skuId));
    const today = now.toISOString().slice(0, 10);
    const lines = stockCover(demand.map((d) => ({ sku: d.sku, demandUnits: d.units, free: free.get(d.skuId) ?? 0, backordered: d.backordered })), { windowDays, warnDays, today });
    return { asOf: now.toISOString(), windowDays, warnDays, items: q.all ? lines : lines.filter((l) => l.status !== 'ok') };
  }
}
