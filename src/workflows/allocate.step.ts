import {
  trimToCompleteKits,
  type AllocationCandidate,
  type AllocationOrder,
  type AllocationStrategy,
  type Assignment,
  type DemandLine,
} from '../domain/allocation/allocation.ts';
import type { Channel } from '../modules/channels/channels.service.ts';
import { sellable, type StockRow } from '../modules/inventory/inventory.service.ts';
import type { Location } from '../modules/locations/locations.service.ts';
import type { SkuInfo } from '../modules/catalog/catalog.service.ts';
import type { OrderRow } from '../modules/orders/order.types.ts';
import type { Tx } from '../platform/db/database.ts';

/** A strategy bound to one batch; `persist` counts what it consumed (location capacity) once the batch's work is committed. */
export interface BoundStrategy {
  strategy: AllocationStrategy;
  persist?: () => void;
  /**
   * Allocates a whole batch elsewhere (a worker thread) with the same result as `allocateAll` with `strategy`;
   * capture uses it when present, so that routing does not hold the event loop.
   */
  allocateBatch?: (pool: StockPool, demands: readonly OrderDemand[], channels: ReadonlyMap<string, Channel>) => Promise<Map<string, OrderAllocation>>;
}
export type StrategyFactory = (trx: Tx, locations: readonly Location[], now: Date) => Promise<BoundStrategy>;

/** What the allocation strategy needs to know of one line: the SKU's physical and customs facts. */
export function demandLine(sku: SkuInfo, lineId: string, qty: number, unitValueMinor: number): DemandLine {
  return {
    lineId, skuId: sku.id, qty, unitWeightGrams: sku.weightGrams, unitValueMinor, hazmat: !!sku.hazmatClass,
    lengthMm: sku.lengthMm, widthMm: sku.widthMm, heightMm: sku.heightMm, hsCode: sku.hsCode, countryOfOrigin: sku.countryOfOrigin,
  };
}

/** What the allocation strategy needs to know of the order itself. */
export function allocationOrder(o: OrderRow, placedAt: string): AllocationOrder {
  return {
    orderId: o.id, channelId: o.channelId, channelCode: o.channel, destination: { country: o.shippingAddress.country, postcode: o.shippingAddress.postcode },
    serviceLevel: o.serviceLevel, currency: o.currency, orderValueMinor: o.totalMinor, tags: o.tags, requestedDeliveryDate: o.requestedDeliveryDate, placedAt,
  };
}

export interface OrderDemand {
  order: AllocationOrder;
  /** stocked lines only: plain lines and kit components */
  lines: DemandLine[];
  kits: Array<{ components: Array<{ lineId: string; perKit: number }> }>;
}

export interface OrderAllocation {
  assignments: Assignment[];
  decision?: unknown;
  /** the decision already serialised (by a worker thread): stored as it is */
  decisionJson?: string;
  hold?: string;
}

/** A StockPool's free stock as flat arrays (see StockPool.snapshot). */
export interface StockSnapshot {
  skuIds: string[];
  locationIds: string[];
  /** per entry: index into skuIds, index into locationIds, sellable units */
  sku: Int32Array;
  loc: Int32Array;
  qty: Int32Array;
  protections: ReadonlyArray<{ skuId: string; channelId: string; qty: number }>;
}

/**
 * What is left to reserve while a batch is being allocated, from stock rows the transaction has locked.
 * Protected quantities are a network-wide floor per (channel, SKU): other channels may not take the free
 * stock of that SKU below the sum of the protections they do not own.
 */
export class StockPool {
  readonly #free = new Map<string, Map<string, number>>(); // skuId -> locationId -> sellable
  readonly #protections = new Map<string, Array<{ channelId: string; qty: number }>>();

  constructor(
    rows: readonly StockRow[],
    readonly protections: ReadonlyArray<{ skuId: string; channelId: string; qty: number }>,
    readonly locations: readonly Location[],
  ) {
    for (const r of rows) {
      let m = this.#free.get(r.skuId);
      if (!m) this.#free.set(r.skuId, (m = new Map()));
      m.set(r.locationId, sellable(r));
    }
    for (const p of protections) {
      const list = this.#protections.get(p.skuId) ?? [];
      list.push({ channelId: p.channelId, qty: p.qty });
      this.#protections.set(p.skuId, list);
    }
  }

  /**
   * The free stock as a few flat arrays: what crosses to a worker thread (structured clone copies a typed
   * array in one go, but walks a row object per stock row field by field).
   */
  snapshot(): StockSnapshot {
    const skuIds: string[] = [];
    const locationIds: string[] = [];
    const locIndex = new Map<string, number>();
    let n = 0;
    for (const m of this.#free.values()) n += m.size;
    const sku = new Int32Array(n);
    const loc = new Int32Array(n);
    const qty = new Int32Array(n);
    let k = 0;
    for (const [skuId, m] of this.#free) {
      const s = skuIds.push(skuId) - 1;
      for (const [locationId, q] of m) {
        let l = locIndex.get(locationId);
        if (l === undefined) locIndex.set(locationId, (l = locationIds.push(locationId) - 1));
        sku[k] = s;
        loc[k] = l;
        qty[k++] = q;
      }
    }
    return { skuIds, locationIds, sku, loc, qty, protections: this.protections };
  }

  /** The pool a snapshot was taken of. */
  static fromSnapshot(s: StockSnapshot, locations: readonly Location[]): StockPool {
    const pool = new StockPool([], s.protections, locations);
    for (let k = 0; k < s.qty.length; k++) {
      const skuId = s.skuIds[s.sku[k]!]!;
      let m = pool.#free.get(skuId);
      if (!m) pool.#free.set(skuId, (m = new Map()));
      m.set(s.locationIds[s.loc[k]!]!, s.qty[k]!);
    }
    return pool;
  }

  /** Candidate locations for an order of `channel`, with what the order may take at each. */
  candidates(channel: Channel, skuIds: readonly string[]): AllocationCandidate[] {
    const feeding = this.locations.filter((l) => l.active && channel.locationIds.includes(l.id));
    const out: AllocationCandidate[] = feeding.map((l) => ({ locationId: l.id, code: l.code, priority: l.priority, available: new Map() }));
    for (const skuId of new Set(skuIds)) {
      const free = this.#free.get(skuId);
      if (!free) continue;
      let networkFree = 0;
      for (const q of free.values()) networkFree += q;
      const protectedOthers = (this.#protections.get(skuId) ?? []).filter((p) => p.channelId !== channel.id).reduce((a, p) => a + p.qty, 0);
      let cap = Math.max(0, networkFree - protectedOthers);
      // hand out the cap to locations in priority order
      for (const c of out) {
        const q = Math.min(free.get(c.locationId) ?? 0, cap);
        if (q > 0) c.available.set(skuId, q);
        cap -= q;
      }
    }
    return out;
  }

  take(skuId: string, locationId: string, qty: number) {
    const m = this.#free.get(skuId);
    const have = m?.get(locationId) ?? 0;
    if (have < qty) throw new Error(`allocation took ${qty} of ${skuId}@${locationId} but only ${have} left (strategy bug)`);
    m!.set(locationId, have - qty);
  }
}

/**
 * Allocates orders one after another (arrival order: first come, first served) against the pool, through
 * the allocation strategy; enforces the pool and complete kits whatever the strategy returns.
 */
export function allocateAll(
  pool: StockPool,
  strategy: AllocationStrategy,
  demands: readonly OrderDemand[],
  channels: ReadonlyMap<string, Channel>,
): Map<string, OrderAllocation> {
  const result = new Map<string, OrderAllocation>();
  for (const d of demands) {
    const channel = channels.get(d.order.channelId)!;
    const lines = d.lines.filter((l) => l.qty > 0);
    if (lines.length === 0) {
      result.set(d.order.orderId, { assignments: [] });
      continue;
    }
    const candidates = pool.candidates(channel, lines.map((l) => l.skuId));
    const plan = strategy.allocate({ order: d.order, lines, candidates });
    // never trust a strategy with stock: clamp to what each line needs and each candidate has
    const need = new Map(lines.map((l) => [l.lineId, l.qty]));
    const byLoc = new Map(candidates.map((c) => [c.locationId, new Map(c.available)]));
    const skuOf = new Map(lines.map((l) => [l.lineId, l.skuId]));
    const safe: Assignment[] = [];
    for (const a of plan.assignments) {
      const skuId = skuOf.get(a.lineId);
      const avail = byLoc.get(a.locationId);
      if (!skuId || !avail || a.qty <= 0) continue;
      const q = Math.min(a.qty, need.get(a.lineId) ?? 0, avail.get(skuId) ?? 0);
      if (q <= 0) continue;
      need.set(a.lineId, need.get(a.lineId)! - q);
      avail.set(skuId, avail.get(skuId)! - q);
      safe.push({ lineId: a.lineId, locationId: a.locationId, qty: q });
    }
    const assignments = trimToCompleteKits(safe, d.kits);
    for (const a of assignments) pool.take(skuOf.get(a.lineId)!, a.locationId, a.qty);
    result.set(d.order.orderId, { assignments, decision: plan.decision, hold: plan.hold });
  }
  return result;
}
