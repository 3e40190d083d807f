import { sql } from 'kysely';
import type { Ctx } from '../platform/context.ts';
import { SwitchyardError, invalid } from '../platform/errors.ts';
import type { Location } from '../modules/locations/locations.service.ts';
import { SWITCHYARD_DEFAULT_PROFILE } from '../modules/routing/routing-profile.service.ts';
import { publish } from '../modules/events/outbox.ts';
import { storedDecision } from '../modules/routing/routing.engine.ts';
import { allocationOrder } from './allocate.step.ts';
import { handBack, reserveDecision, type RerouteDeps } from './reroute.workflow.ts';

/** Orders whose stock may still move: allocated (in full or in part), not held, nothing released to a warehouse yet. */
const REOPTIMISABLE = new Set(['allocated', 'partially_allocated']);

export interface ReoptimiseOptions {
  /** route and report, change nothing */
  dryRun?: boolean;
  /** a plan with as many shipments must be cheaper by at least this much (minor units of the order's currency) to be taken */
  minSavingMinor?: number;
}

export interface PlanSummary {
  locations: string[];
  units: number;
  /** routing cost of the plan: the new decision's, or the order's last full decision's (null when it has none) */
  costMinor: number | null;
}

export interface ReoptimiseResult {
  orderId: string;
  externalId: string;
  changed: boolean;
  /** why the plan was taken or kept */
  reason: string;
  before: PlanSummary;
  after: PlanSummary;
}

/** An ops override: the order ships from this location, for this reason. */
interface Assignment {
  location: Location;
  why: string;
}

/** Thrown inside the transaction to roll it back with a result (a dry run, or nothing better found). */
class Keep extends Error {
  constructor(readonly result: ReoptimiseResult) {
    super('kept');
  }
}

/**
 * Re-optimisation of orders not yet released: an order routed at capture was routed against the stock of that
 * moment, one order at a time; since then stock has arrived, other orders were cancelled, capacity freed up.
 * Its reservations are handed back inside one transaction, the whole order is routed again with the profiles
 * in force, and the new plan is kept only when it is better — fewer shipments with no fewer units, or as many
 * shipments for at least `minSavingMinor` less than the order's last full decision — else the transaction rolls
 * back and nothing changed. A kept plan moves the reservations (ledger rows both ways) and is recorded as an
 * `order.rerouted` decision (`reoptimised`), with an outbox event. (Re-evaluating unreleased orders is what removes
 * 40–50 % of the extra shipments real-time assignment makes: Xu, Allgor & Graves; see ../shared/PERFORMANCE.md.)
 */
export class ReoptimiseWorkflow {
  constructor(private readonly deps: RerouteDeps) {}

  async order(ctx: Ctx, orderId: string, opts: ReoptimiseOptions = {}): Promise<ReoptimiseResult> {
    return this.#run(ctx, orderId, opts);
  }

  /**
   * Ops assign an unreleased order to one location (a customer collects there, a VIP ships from the flagship, a
   * site is about to close): the whole order is routed again with that location as the only candidate, under the
   * built-in default profile (an override of the profiles' preferences, not of stock, hazmat licences or capacity),
   * and taken only when it reserves at least the units reserved now; else 409 `location_cannot_take_order` saying
   * what it lacks. The decision is recorded like any re-route (`assigned` in the API), with the reason given.
   */
  async assign(ctx: Ctx, orderId: string, locationCode: string, why: string, opts: { dryRun?: boolean } = {}): Promise<ReoptimiseResult> {
    const location = await this.deps.locations.getByCode(locationCode).catch(() => {
      throw invalid('unknown_location', `location ${locationCode} does not exist`, 'location');
    });
    return this.#run(ctx, orderId, opts, { location, why });
  }

  async #run(ctx: Ctx, orderId: string, opts: ReoptimiseOptions, assign?: Assignment): Promise<ReoptimiseResult> {
    const { database } = this.deps;
    try {
      const { result, persist } = await database.transaction((trx) => this.#reoptimise(trx, ctx, orderId, opts, assign));
      // daily capacity counts the move once it is committed
      persist();
      this.deps.moved?.(assign ? 'assignment' : 'reoptimisation');
      return result;
    } catch (err) {
      if (err instanceof Keep) return err.result;
      throw err;
    }
  }

  /** Split orders first (where a second look pays most), oldest first; each order in its own transaction. */
  async run(ctx: Ctx, f: { limit?: number; since?: string; channel?: string } & ReoptimiseOptions) {
    const channelId = f.channel !== undefined ? (await this.deps.channels.require(f.channel, 'orders/channel')).id : null;
    const ids = await this.deps.orders.reoptimisable({ limit: f.limit ?? 100, since: f.since ?? null, channelId });
    const results: ReoptimiseResult[] = [];
    const skipped: Array<{ orderId: string; code: string }> = [];
    for (const id of ids) {
      try {
        results.push(await this.order(ctx, id, f));
      } catch (err) {
        // changed since it was listed (released, held, cancelled): left for the next run
        skipped.push({ orderId: id, code: err instanceof SwitchyardError ? err.code : 'error' });
      }
    }
    const changed = results.filter((r) => r.changed);
    return {
      dryRun: !!f.dryRun,
      examined: ids.length,
      changed: changed.length,
      shipments: { before: sum(results.map((r) => r.before.locations.length)), after: sum(results.map((r) => (r.changed ? r.after : r.before).locations.length)) },
      orders: changed.slice(0, 100),
      skipped,
    };
  }

  async #reoptimise(trx: Parameters<Parameters<RerouteDeps['database']['transaction']>[0]>[0], ctx: Ctx, orderId: string, opts: ReoptimiseOptions, assign?: Assignment) {
    const { locations, orders, routing } = this.deps;
    const { row, lines } = await orders.lockStockThenOrder(trx, orderId);
    if (!REOPTIMISABLE.has(row.status) || lines.some((l) => l.qtyReleased > 0 || l.qtyShipped > 0)) {
      throw new SwitchyardError('NOT_ALLOWED', 'not_reoptimisable', `order is ${row.status}${row.status === 'released' || lines.some((l) => l.qtyReleased > 0) ? ' (released to a location)' : ''}: only allocated orders not yet released are routed again`);
    }
    const locs = await locations.listCached(trx);
    const codeOf = new Map(locs.map((l) => [l.id, l.code]));
    const last = await orders.lastDecisionEvent(trx, orderId);
    // the last decision's cost is the whole order's only if it routed the whole order
    const lastFull = last?.type === 'order.routed' ? last.data : last?.data?.reoptimised || last?.data?.assigned ? last.data.decision : null;
    const active = await sql<any>`select id, order_line_id, location_id, qty from reservations where order_id = ${orderId} and status = 'active'
      order by created_at, id for update`.execute(trx);
    const beforeLocations = [...new Set(active.rows.map((r) => r.location_id as string))];
    const before: PlanSummary = {
      locations: beforeLocations.map((id) => codeOf.get(id) ?? id).sort(),
      units: active.rows.reduce((a, r) => a + r.qty, 0),
      costMinor: typeof lastFull?.totalCostMinor === 'number' ? lastFull.totalCostMinor : null,
    };

    // hand everything back, then route the whole order again with its own units in the pool
    const take = active.rows.map((r) => ({ reservationId: r.id as string, qty: r.qty as number }));
    const { released, channel, demand, skuIds, pool } = await handBack(this.deps, trx, ctx, row, lines, take, assign ? `assigned to ${assign.location.code}` : 're-optimisation', locs);
    const now = new Date();
    const left = await this.deps.capacity.left(trx, locs, now);
    // the order gives back the capacity slots its shipments took
    const before_ = new Map(left);
    const capacityLeft = new Map(left);
    for (const id of beforeLocations) if (capacityLeft.has(id)) capacityLeft.set(id, capacityLeft.get(id)! + 1);
    const env = { locations: locs, now, capacityLeft, profiles: assign ? [SWITCHYARD_DEFAULT_PROFILE] : await this.deps.profiles.active(trx) };
    let candidates = pool.candidates(channel, skuIds);
    if (assign) {
      candidates = candidates.filter((c) => c.locationId === assign.location.id);
      if (candidates.length === 0) {
        const l = assign.location;
        const why = !l.active ? 'is out of routing' : !channel.locationIds.includes(l.id) ? `does not fulfil channel ${channel.code}` : 'cannot take it';
        throw new SwitchyardError('CONFLICT', 'location_cannot_take_order', `${l.code} ${why}`, 'location');
      }
    }
    const decision = routing.decide(env, { order: allocationOrder(row, row.createdAt), lines: demand, candidates });
    for (const s of decision.shipments) if (capacityLeft.has(s.locationId)) capacityLeft.set(s.locationId, capacityLeft.get(s.locationId)! - 1);
    const after: PlanSummary = {
      locations: decision.shipments.map((s) => s.code).sort(),
      units: decision.units.allocated,
      costMinor: decision.totalCostMinor,
    };
    const samePlan = allocationKey(decision.shipments.flatMap((s) => s.lines.map((l) => [l.lineId, s.locationId, l.qty] as const)))
      === allocationKey(active.rows.map((r) => [r.order_line_id, r.location_id, r.qty] as const));
    let reason: string;
    let better = false;
    if (assign) {
      if (after.units < before.units) {
        const c = decision.candidates.find((x) => x.locationId === assign.location.id);
        const skuCode = new Map(lines.map((l) => [l.skuId, l.sku]));
        const lacks = c?.excluded ? c.excluded.detail : decision.unallocated.map((u) => `${u.qty} × ${skuCode.get(u.skuId) ?? u.skuId} (${u.reason.replace(/_/g, ' ')})`).join(', ');
        throw new SwitchyardError('CONFLICT', 'location_cannot_take_order', `${assign.location.code} can take ${after.units} of the ${before.units} units reserved now: ${lacks}`, 'location');
      }
      better = !samePlan;
      reason = samePlan ? `already at ${assign.location.code}` : `assigned to ${assign.location.code}: ${assign.why}`;
    } else if (samePlan) reason = 'routed again to the same plan';
    else if (after.units < before.units) reason = `the new plan reserves fewer units (${after.units} of ${before.units})`;
    else if (after.locations.length < before.locations.length) {
      better = true;
      reason = `${before.locations.length} → ${after.locations.length} shipments`;
    } else if (after.locations.length === before.locations.length && before.costMinor !== null && after.costMinor! <= before.costMinor - Math.max(1, opts.minSavingMinor ?? 1)) {
      better = true;
      reason = `routing cost ${before.costMinor} → ${after.costMinor}`;
    } else if (after.units > before.units) {
      better = true;
      reason = `${after.units - before.units} more units reserved`;
    } else reason = 'no plan with fewer shipments or a lower cost';
    const result: ReoptimiseResult = { orderId, externalId: row.externalId, changed: better, reason, before, after };
    if (!better || opts.dryRun) throw new Keep(result);

    const { reservations, derived: to } = await reserveDecision(this.deps, trx, ctx, orderId, lines, pool, decision.shipments);
    await orders.setStatuses(trx, [{ id: orderId, status: to, heldFrom: null }]);
    const data = {
      ...(assign ? { assigned: assign.location.code } : { reoptimised: true }),
      released: released.map((r) => ({ lineId: r.orderLineId, location: codeOf.get(r.locationId)!, qty: r.qty })),
      reserved: reservations.map((r) => ({ lineId: r.orderLineId, location: codeOf.get(r.locationId)!, qty: r.qty })),
      decision: storedDecision(decision),
    };
    await orders.insertEvents(trx, [{ orderId, type: 'order.rerouted', from: row.status, to, reason: assign ? reason : `re-optimised: ${reason}`, data, actor: ctx.actor }]);
    await publish(trx, [{ topic: 'order.rerouted', aggregateType: 'order', aggregateId: orderId, payload: { orderId, status: to, ...(assign ? { assigned: assign.location.code } : { reoptimised: true }), reason } }]);
    return { result, persist: () => this.deps.capacity.record(locs, now, before_, env.capacityLeft) };
  }
}

/** An allocation as one comparable string: line, location and quantity of each part, sorted. */
function allocationKey(parts: ReadonlyArray<readonly [string, string, number]>): string {
  const m = new Map<string, number>();
  for (const [line, loc, q] of parts) m.set(`${line}@${loc}`, (m.get(`${line}@${loc}`) ?? 0) + q);
  return [...m].map(([k, q]) => `${k}=${q}`).sort().join(';');
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
