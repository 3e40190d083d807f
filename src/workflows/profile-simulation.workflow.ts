import type { AllocationOrder, DemandLine } from '../domain/allocation/allocation.ts';
import type { ProfileDraft, RoutingDecision, RoutingProfile } from '../domain/routing/index.ts';
import type { Channel } from '../modules/channels/channels.service.ts';
import type { StrategyEnv } from '../modules/routing/routing.engine.ts';
import { demandLine, StockPool } from './allocate.step.ts';
import type { RerouteDeps } from './reroute.workflow.ts';

/** The same modules re-routing uses: the network, stock, profiles and the engine, plus the orders to replay. */
export type SimulationDeps = RerouteDeps;

export interface SimulationOptions {
  /** how many of the most recent orders to replay (default 200) */
  limit?: number;
  /** only orders created at or after this instant */
  since?: string;
  /** only this channel's orders */
  channel?: string;
}

/** What one set of profiles did with the replayed orders. */
export interface SimulationTotals {
  orders: number;
  outcomes: Record<RoutingDecision['outcome'], number>;
  shipments: number;
  /** orders sent in more than one shipment */
  splitOrders: number;
  unitsRequested: number;
  unitsAllocated: number;
  /** shipments promised later than their service level */
  lateShipments: number;
  /** total cost and its components, per order currency (minor units) */
  cost: Record<string, { total: number; carrier: number; handling: number; splitPenalty: number; landed: number; lateness: number }>;
  /** orders per deciding profile id */
  profiles: Record<string, number>;
}

export interface SimulatedChange {
  orderId: string;
  channel: string;
  externalId: string;
  current: OrderOutcome;
  proposed: OrderOutcome;
}

interface OrderOutcome {
  profile: string;
  outcome: RoutingDecision['outcome'];
  locations: string[];
  costMinor: number;
  currency: string;
}

/** Orders replayed per turn of the event loop: a simulation of thousands of orders never stalls the server. */
const SLICE = 50;
const MAX_CHANGES_LISTED = 50;

/**
 * "What would this profile change?" before an ops user saves it: the most recent orders are routed twice against
 * the network, stock and daily capacity as they are now, once with the profiles in force and once with the draft
 * in force as well (replacing the profile of the same id, or added; an inactive draft takes that profile out),
 * and the two are compared — outcomes, shipments, splits, late shipments, cost by component, which profile
 * decided, and the orders whose plan changed. Each order is routed on its own (as if it came first), nothing is
 * reserved or written, and the draft is checked exactly as saving it would be.
 */
export class ProfileSimulationWorkflow {
  constructor(private readonly deps: SimulationDeps) {}

  async simulate(draft: ProfileDraft, opts: SimulationOptions = {}) {
    const { database, catalog, channels, inventory, locations, orders, routing, profiles, capacity } = this.deps;
    const db = database.db as any;
    const proposedProfile = profiles.check(draft, await profiles.nextVersion(draft.id), 'profile');
    const channelId = opts.channel !== undefined ? (await channels.require(opts.channel, 'orders/channel')).id : null;
    const recent = await orders.recentWithLines({ limit: opts.limit ?? 200, since: opts.since ?? null, channelId });

    const inForce = await profiles.active(db);
    const proposed: RoutingProfile[] = inForce.filter((p) => p.id !== proposedProfile.id);
    if (proposedProfile.active) proposed.push(proposedProfile);

    // one read of everything the replay needs: SKUs, stock, network, capacity
    const skus = await catalog.resolveSkusCached(db, [...new Set(recent.flatMap((o) => o.lines.map((l) => l.sku)))]);
    const skuIds = [...new Set([...skus.values()].filter((s) => !s.isKit).map((s) => s.id))].sort();
    const locs = await locations.listCached(db);
    const pool = new StockPool(await inventory.readStock(db, skuIds), await inventory.protections(db, skuIds), locs);
    const now = new Date();
    const capacityLeft = await capacity.left(db, locs, now);
    const envOf = (list: readonly RoutingProfile[]): StrategyEnv => ({ locations: locs, now, capacityLeft: new Map(capacityLeft), profiles: list });
    const current = envOf(inForce);
    const next = envOf(proposed);
    const channelById = new Map<string, Channel | null>();

    const totals = { current: emptyTotals(), proposed: emptyTotals() };
    const changes: SimulatedChange[] = [];
    let changed = 0;
    let replayed = 0;
    for (let i = 0; i < recent.length; i++) {
      if (i > 0 && i % SLICE === 0) await new Promise((r) => setImmediate(r));
      const { row, lines } = recent[i]!;
      if (!channelById.has(row.channel)) channelById.set(row.channel, await channels.getCached(db, row.channel));
      const channel = channelById.get(row.channel);
      // the order as captured: every stocked line at its ordered quantity (cancelled units left out)
      const demand: DemandLine[] = lines
        .filter((l) => !l.isKit && l.qtyOrdered - l.qtyCancelled > 0 && skus.has(l.sku))
        .map((l) => demandLine(skus.get(l.sku)!, l.id, l.qtyOrdered - l.qtyCancelled, l.unitPriceMinor));
      if (!channel || demand.length === 0) continue;
      const order: AllocationOrder = {
        orderId: row.id, channelId: channel.id, channelCode: channel.code,
        destination: { country: row.shippingAddress.country, postcode: row.shippingAddress.postcode },
        serviceLevel: row.serviceLevel, currency: row.currency, orderValueMinor: row.totalMinor, tags: row.tags,
        requestedDeliveryDate: row.requestedDeliveryDate, placedAt: now.toISOString(),
      };
      const req = { order, lines: demand, candidates: pool.candidates(channel, demand.map((l) => l.skuId)) };
      const a = routing.decide(current, req);
      const b = routing.decide(next, req);
      replayed++;
      add(totals.current, a, row.currency);
      add(totals.proposed, b, row.currency);
      if (planKey(a) !== planKey(b)) {
        changed++;
        if (changes.length < MAX_CHANGES_LISTED) {
          changes.push({ orderId: row.id, channel: row.channel, externalId: row.externalId, current: outcomeOf(a, row.currency), proposed: outcomeOf(b, row.currency) });
        }
      }
    }
    return {
      profile: { id: proposedProfile.id, version: proposedProfile.version, name: proposedProfile.name, active: proposedProfile.active },
      basis: {
        orders: replayed,
        at: now.toISOString(),
        note: 'each order routed on its own against the network, stock and daily capacity as they are now; nothing reserved or saved',
      },
      current: totals.current,
      proposed: totals.proposed,
      changed: { orders: changed, listed: changes },
    };
  }
}

function emptyTotals(): SimulationTotals {
  return {
    orders: 0, outcomes: { routed: 0, partial: 0, backorder: 0, hold: 0 }, shipments: 0, splitOrders: 0, unitsRequested: 0, unitsAllocated: 0,
    lateShipments: 0, cost: {}, profiles: {},
  };
}

function add(t: SimulationTotals, d: RoutingDecision, currency: string): void {
  t.orders++;
  t.outcomes[d.outcome]++;
  t.shipments += d.shipments.length;
  if (d.shipments.length > 1) t.splitOrders++;
  t.unitsRequested += d.units.requested;
  t.unitsAllocated += d.units.allocated;
  for (const s of d.shipments) if ((s.quote.lateDays ?? 0) > 0) t.lateShipments++;
  const c = (t.cost[currency] ??= { total: 0, carrier: 0, handling: 0, splitPenalty: 0, landed: 0, lateness: 0 });
  c.total += d.totalCostMinor;
  c.carrier += d.costComponents.carrier;
  c.handling += d.costComponents.handling;
  c.splitPenalty += d.costComponents.splitPenalty;
  c.landed += d.costComponents.landed;
  c.lateness += d.costComponents.lateness;
  t.profiles[d.profile.id] = (t.profiles[d.profile.id] ?? 0) + 1;
}

/** What an order would get, as one comparable string: outcome, then each shipment's location and lines. */
function planKey(d: RoutingDecision): string {
  return `${d.outcome}|${d.shipments.map((s) => `${s.locationId}:${s.lines.map((l) => `${l.lineId}=${l.qty}`).join(',')}`).sort().join(';')}`;
}

function outcomeOf(d: RoutingDecision, currency: string): OrderOutcome {
  return { profile: d.profile.id, outcome: d.outcome, locations: d.shipments.map((s) => s.code), costMinor: d.totalCostMinor, currency };
}
