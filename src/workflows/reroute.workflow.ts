import { sql } from 'kysely';
import type { DemandLine } from '../domain/allocation/allocation.ts';
import { deriveAllocationState } from '../domain/order-state/order-state.ts';
import type { RoutingDecision } from '../domain/routing/index.ts';
import type { Ctx } from '../platform/context.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { SwitchyardError, invalid } from '../platform/errors.ts';
import type { CatalogService } from '../modules/catalog/catalog.service.ts';
import type { ChannelService } from '../modules/channels/channels.service.ts';
import type { InventoryService } from '../modules/inventory/inventory.service.ts';
import type { LocationService } from '../modules/locations/locations.service.ts';
import type { OrderService } from '../modules/orders/order.service.ts';
import type { LineRow, OrderDto, OrderRow } from '../modules/orders/order.types.ts';
import type { Location } from '../modules/locations/locations.service.ts';
import { publish } from '../modules/events/outbox.ts';
import { readStoredDecision, storedDecision, type RoutingEngine } from '../modules/routing/routing.engine.ts';
import type { RoutingProfileService } from '../modules/routing/routing-profile.service.ts';
import type { CapacityCounter } from '../modules/routing/capacity.ts';
import { allocationOrder, demandLine, StockPool } from './allocate.step.ts';

export interface RerouteDeps {
  database: Database;
  catalog: CatalogService;
  channels: ChannelService;
  inventory: InventoryService;
  locations: LocationService;
  orders: OrderService;
  routing: RoutingEngine;
  profiles: RoutingProfileService;
  capacity: CapacityCounter;
  /** told of every committed move of an order's reservations, and why (metrics) */
  moved?: (kind: 'rejection' | 'evacuation' | 'assignment' | 'reoptimisation') => void;
}

/**
 * A location rejected or short-shipped part of an order: give its reservations back, route those units again
 * never to that location (the routing engine's `reroute`, so the explanation trail continues), reserve the new
 * plan and back-order what nothing can take. One transaction; an `order.rerouted` audit event holds the decision.
 */
export class RerouteWorkflow {
  constructor(private readonly deps: RerouteDeps) {}

  #fresh(...a: [Parameters<RoutingEngine['decide']>[0], Parameters<RoutingEngine['decide']>[1]['order'], DemandLine[], Parameters<RoutingEngine['decide']>[1]['candidates'], Array<{ lineId: string; qty: number }>]) {
    return freshRoute(this.deps.routing, ...a);
  }

  async reroute(ctx: Ctx, orderId: string, locationCode: string, reason: string, only?: Array<{ lineId: string; qty: number }>): Promise<OrderDto> {
    const { order } = await this.#reroute(ctx, orderId, locationCode, reason, only);
    this.deps.moved?.('rejection');
    return order;
  }

  /** The re-route, and how many of the released units found a location (the rest wait). */
  async #reroute(ctx: Ctx, orderId: string, locationCode: string, reason: string, only?: Array<{ lineId: string; qty: number }>): Promise<{ order: OrderDto; reservedUnits: number }> {
    const { database, locations, orders } = this.deps;
    let reservedUnits = 0;
    const location = await locations.getByCode(locationCode).catch(() => {
      throw invalid('unknown_location', `location ${locationCode} does not exist`, 'location');
    });
    const countCapacity = await database.transaction(async (trx) => {
      const { row, lines } = await orders.lockStockThenOrder(trx, orderId);
      const prev = await orders.lastDecisionEvent(trx, orderId);
      const previous = readStoredDecision(prev?.data?.decision ?? prev?.data);
      const active = await sql<any>`select id, order_line_id, qty from reservations where order_id = ${orderId} and location_id = ${location.id}
        and status = 'active' order by created_at, id for update`.execute(trx);
      if (active.rows.length === 0) throw new SwitchyardError('NOT_ALLOWED', 'nothing_reserved_there', `order has no reserved units at ${locationCode}`, 'location');
      const want = new Map<string, number>();
      if (only) {
        only.forEach((o, i) => {
          const held = active.rows.filter((r) => r.order_line_id === o.lineId).reduce((a, r) => a + r.qty, 0);
          if (o.qty > held) throw invalid('invalid_quantity', `only ${held} units of that line are reserved at ${locationCode}`, `lines/${i}/qty`);
          want.set(o.lineId, (want.get(o.lineId) ?? 0) + o.qty);
        });
      } else for (const r of active.rows) want.set(r.order_line_id, (want.get(r.order_line_id) ?? 0) + r.qty);
      const take: Array<{ reservationId: string; qty: number }> = [];
      const left = new Map(want);
      for (const r of active.rows) {
        const q = Math.min(left.get(r.order_line_id) ?? 0, r.qty);
        if (q > 0) {
          take.push({ reservationId: r.id, qty: q });
          left.set(r.order_line_id, left.get(r.order_line_id)! - q);
        }
      }
      // route the released units again, never back to the rejecting location
      const locs = await locations.listCached(trx);
      const { released, channel, demand, skuIds, pool } = await handBack(this.deps, trx, ctx, row, lines, take, `rejected by ${locationCode}: ${reason}`, locs);
      const now = new Date();
      const before = await this.deps.capacity.left(trx, locs, now);
      const env = { locations: locs, now, capacityLeft: new Map(before), profiles: await this.deps.profiles.active(trx) };
      const order = allocationOrder(row, row.createdAt);
      const candidates = pool.candidates(channel, skuIds).filter((c) => c.locationId !== location.id);
      const rejectedLines = released.map((r) => ({ lineId: r.orderLineId, qty: r.qty }));
      let decision: RoutingDecision;
      if (previous?.shipments?.some((s: any) => s.locationId === location.id)) {
        try {
          decision = this.deps.routing.decide(env, { order, lines: demand, candidates }, { previous, locationId: location.id, lines: mergeLines(rejectedLines) });
        } catch {
          decision = this.#fresh(env, order, demand, candidates, rejectedLines);
        }
      } else {
        decision = this.#fresh(env, order, demand, candidates, rejectedLines);
      }
      const { reservations, derived } = await reserveDecision(this.deps, trx, ctx, orderId, lines, pool, decision.shipments.filter((s) => s.locationId !== location.id));
      reservedUnits = reservations.reduce((a, r) => a + r.qty, 0);
      const to = row.status === 'on_hold' ? 'on_hold' : derived;
      await orders.setStatuses(trx, [{ id: orderId, status: to, heldFrom: row.heldFrom }]);
      const data = { rejectedLocation: locationCode, released: rejectedLines, reserved: reservations.map((r) => ({ lineId: r.orderLineId, location: locs.find((l) => l.id === r.locationId)!.code, qty: r.qty })), decision: storedDecision(decision) };
      await orders.insertEvents(trx, [{ orderId, type: 'order.rerouted', from: row.status, to, reason, data, actor: ctx.actor }]);
      await publish(trx, [{ topic: 'order.rerouted', aggregateType: 'order', aggregateId: orderId, payload: { orderId, status: to, rejectedLocation: locationCode, reason } }]);
      return () => this.deps.capacity.record(locs, now, before, env.capacityLeft);
    });
    // daily capacity counts what the re-route took once it is committed
    countCapacity();
    return { order: await orders.get(ctx, orderId), reservedUnits };
  }

  /**
   * A location cannot ship what it holds (flood, outage, stock-take gone wrong): every order with units reserved
   * there is re-routed as if the location had rejected them, oldest first, each in its own transaction, with the
   * same explained `order.rerouted` decision. Units no other location can take wait as back-orders. `dryRun` lists
   * the orders and units without moving anything. An order that changed meanwhile (e.g. cancelled) is reported
   * with its problem and the run goes on.
   */
  async evacuate(ctx: Ctx, locationCode: string, opts: { reason: string; dryRun?: boolean; limit?: number }): Promise<EvacuationResult> {
    const location = await this.deps.locations.getByCode(locationCode);
    const { orders: held, total } = await this.deps.orders.reservedAt(location.id, opts.limit ?? 500);
    const result: EvacuationResult = {
      location: location.code, dryRun: opts.dryRun === true, ordersHolding: total, examined: held.length, moved: 0,
      units: { moved: 0, reservedElsewhere: 0, waiting: 0 }, orders: [],
    };
    for (const o of held) {
      if (opts.dryRun) {
        result.orders.push({ orderId: o.id, externalId: o.externalId, units: o.units });
        continue;
      }
      try {
        const { order: after, reservedUnits: reserved } = await this.#reroute(ctx, o.id, locationCode, opts.reason);
        this.deps.moved?.('evacuation');
        result.moved++;
        result.units.moved += o.units;
        result.units.reservedElsewhere += reserved;
        result.units.waiting += o.units - reserved;
        const now = [...new Set(after.reservations.filter((r) => r.status === 'active').map((r) => r.location))];
        result.orders.push({ orderId: o.id, externalId: o.externalId, units: o.units, status: after.status, now });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        result.orders.push({ orderId: o.id, externalId: o.externalId, units: o.units, problem: { code: e.code ?? 'internal_error', detail: e.message ?? String(err) } });
      }
    }
    if (!result.dryRun && result.moved > 0) {
      await this.deps.locations.record(location, ctx.actor, 'evacuated', { orders: result.moved, units: result.units }, opts.reason);
    }
    return result;
  }
}

export interface EvacuationResult {
  location: string;
  dryRun: boolean;
  /** orders holding units there (all of them, not only this run's) */
  ordersHolding: number;
  /** orders this run looked at (oldest first, up to the limit) */
  examined: number;
  moved: number;
  units: { moved: number; reservedElsewhere: number; waiting: number };
  orders: Array<{ orderId: string; externalId: string; units: number; status?: string; now?: string[]; problem?: { code: string; detail: string } }>;
}

/**
 * Hands reservations of an order back (stock and ledger; the lines' units wait again), then reads what routing the
 * order again needs: its channel, its stocked lines as demand, and the stock of their SKUs locked in key order.
 */
export async function handBack(
  deps: Pick<RerouteDeps, 'inventory' | 'channels' | 'catalog'>,
  trx: Tx,
  ctx: Ctx,
  row: OrderRow,
  lines: LineRow[],
  take: Array<{ reservationId: string; qty: number }>,
  reason: string,
  locs: readonly Location[],
) {
  const { inventory } = deps;
  const released = await inventory.releaseReservations(trx, ctx.actor, take, 'release', reason);
  const byId = new Map(lines.map((l) => [l.id, l]));
  for (const r of released) {
    const l = byId.get(r.orderLineId)!;
    l.qtyReserved -= r.qty;
    l.qtyBackordered += r.qty;
  }
  const channel = (await deps.channels.getCached(trx, row.channel))!;
  const skus = await deps.catalog.resolveSkusCached(trx, [...new Set(lines.map((l) => l.sku))]);
  const stocked = lines.filter((l) => !l.isKit);
  const demand: DemandLine[] = stocked.map((l) => demandLine(skus.get(l.sku)!, l.id, l.qtyOrdered - l.qtyCancelled, l.unitPriceMinor));
  const skuIds = [...new Set(stocked.map((l) => l.skuId))].sort();
  const pool = new StockPool(await inventory.lockStock(trx, skuIds), await inventory.protections(trx, skuIds), locs);
  return { released, channel, demand, skuIds, pool };
}

/**
 * Reserves a decision's shipments for the order's waiting (back-ordered) units: stock taken from the pool, line
 * quantities moved, reservations and their ledger rows written. Returns the reservations and the order's
 * allocation state after them.
 */
export async function reserveDecision(
  deps: Pick<RerouteDeps, 'inventory' | 'orders'>,
  trx: Tx,
  ctx: Ctx,
  orderId: string,
  lines: LineRow[],
  pool: StockPool,
  shipments: RoutingDecision['shipments'],
) {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const reservations: Array<{ orderId: string; orderLineId: string; skuId: string; locationId: string; qty: number }> = [];
  for (const s of shipments) {
    for (const l of s.lines) {
      const line = byId.get(l.lineId);
      const q = Math.min(l.qty, line?.qtyBackordered ?? 0);
      if (!line || q <= 0) continue;
      pool.take(line.skuId, s.locationId, q);
      line.qtyBackordered -= q;
      line.qtyReserved += q;
      reservations.push({ orderId, orderLineId: line.id, skuId: line.skuId, locationId: s.locationId, qty: q });
    }
  }
  await deps.inventory.reserveMany(trx, ctx.actor, reservations);
  deps.orders.recomputeKits(lines);
  await deps.orders.writeLineQuantities(trx, lines);
  return { reservations, derived: deriveAllocationState(lines.map((l) => ({ ...l, isKitParent: l.isKit }))) };
}

/** No earlier decision names the location (allocated by the simple strategy, or an older re-route): route afresh. */
function freshRoute(routing: RoutingEngine, env: Parameters<RoutingEngine['decide']>[0], order: Parameters<RoutingEngine['decide']>[1]['order'], demand: DemandLine[], candidates: Parameters<RoutingEngine['decide']>[1]['candidates'], rejected: Array<{ lineId: string; qty: number }>) {
  const waiting = demand.map((d) => ({ ...d, qty: rejected.filter((r) => r.lineId === d.lineId).reduce((a, r) => a + r.qty, 0) })).filter((d) => d.qty > 0);
  return routing.decide(env, { order, lines: waiting, candidates });
}

function mergeLines(lines: Array<{ lineId: string; qty: number }>) {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.lineId, (m.get(l.lineId) ?? 0) + l.qty);
  return [...m].map(([lineId, qty]) => ({ lineId, qty }));
}
