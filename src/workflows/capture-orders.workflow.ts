import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DemandLine } from '../domain/allocation/allocation.ts';
import { deriveAllocationState, type OrderState } from '../domain/order-state/order-state.ts';
import type { Ctx } from '../platform/context.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { SwitchyardError, forbidden, invalid } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { CatalogService, SkuInfo } from '../modules/catalog/catalog.service.ts';
import type { Channel, ChannelService } from '../modules/channels/channels.service.ts';
import { inventoryChanged, type InventoryService } from '../modules/inventory/inventory.service.ts';
import type { LocationService } from '../modules/locations/locations.service.ts';
import { publish, type DomainEvent } from '../modules/events/outbox.ts';
import { orderDto, type CaptureInput, type LineRow, type OrderDto, type OrderRow, type ReservationRow } from '../modules/orders/order.types.ts';
import type { AuditEvent, OrderService } from '../modules/orders/order.service.ts';
import { firstHold, type HoldRule } from '../domain/holds/hold-rules.ts';
import type { ProfileFacts } from '../domain/routing/types.ts';
import { profileFacts } from '../domain/routing/profile.ts';
import { allocateAll, allocationOrder, demandLine, StockPool, type OrderDemand, type StrategyFactory } from './allocate.step.ts';

/** A concurrent transaction took stock this batch counted on, or captured one of its orders first: run it again. */
class BatchRaced extends Error {}

export interface CaptureResult {
  order: OrderDto;
  /** false when this was a repeat (same channel + external id, or same Idempotency-Key) */
  created: boolean;
}

interface Pending {
  ctx: Ctx;
  input: CaptureInput;
  idempotencyKey: string | null;
  hash: string;
  resolve: (r: CaptureResult) => void;
  reject: (e: unknown) => void;
}

/** Canonical JSON (sorted keys) hash of a request: the same payload always gives the same hash. */
export function requestHash(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as any)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canon(value))).digest('base64url');
}

export interface CaptureDeps {
  database: Database;
  /** ops hold rules: a captured order that matches one waits on hold (see domain/holds) */
  holdRules?: { active(trx: Tx): Promise<readonly HoldRule[]> };
  catalog: CatalogService;
  channels: ChannelService;
  locations: LocationService;
  inventory: InventoryService;
  orders: OrderService;
  strategy: StrategyFactory;
  afterCommit?: () => void;
  batchMax: number;
  flushers: number;
  clock?: () => Date;
  /** how long an Idempotency-Key is honoured (default 24 h); older keys are ignored here and swept by `expireIdempotencyKeys` */
  idempotencyTtlMs?: number;
}

const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * Order capture: validate, expand kits, reserve stock, write order + lines + reservations + audit + outbox, in
 * one transaction. Captures are grouped (application group commit): while a batch is in flight, arriving
 * orders queue and go together in the next one, so a busy server writes many orders per transaction with
 * set-based statements, and an idle one commits each order at once. Stock rows are locked in key order
 * before anything else is written, so concurrent batches (in any number of processes) cannot deadlock on
 * them, and within the locks allocation works on exact numbers: nothing is ever reserved twice.
 */
export class CaptureWorkflow {
  #queue: Pending[] = [];
  #active = 0;
  readonly #clock: () => Date;

  constructor(private readonly deps: CaptureDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  capture(ctx: Ctx, input: CaptureInput, idempotencyKey?: string | null): Promise<CaptureResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ctx, input, idempotencyKey: idempotencyKey ?? null, hash: requestHash(input), resolve, reject });
      this.#schedule();
    });
  }

  get queued() {
    return this.#queue.length;
  }

  #scheduled = false;
  /**
   * Batches start on the next turn of the event loop, not in the microtask after the request that queued them:
   * every request already read from the sockets gets queued first. Without this, on PGlite (whose statements
   * resolve without ever yielding to I/O) each batch would run to its end inside one request's callback and hold
   * exactly one order.
   */
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump() {
    while (this.#active < this.deps.flushers && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.deps.batchMax);
      this.#active++;
      void this.#run(batch).finally(() => {
        this.#active--;
        this.#schedule();
      });
    }
  }

  async #run(batch: Pending[], mode: 'optimistic' | 'locking' = this.#recentConflict() ? 'locking' : 'optimistic'): Promise<void> {
    try {
      let afterCommit: Array<() => void> = [];
      const settle = await this.deps.database.transaction((trx) => {
        afterCommit = [];
        return this.#captureBatch(trx, batch, mode, afterCommit);
      });
      settle();
      // what counts only once the batch is in (daily capacity taken)
      for (const task of afterCommit) task();
      this.deps.afterCommit?.();
    } catch (err) {
      if (err instanceof BatchRaced) {
        // another batch took stock this one had counted on: do it again holding the locks from the start
        this.#lastConflict = Date.now();
        return this.#run(batch, 'locking');
      }
      if (batch.length > 1) {
        // isolate the item that broke the batch: each goes alone
        await Promise.all(batch.map((p) => this.#run([p], 'locking')));
      } else {
        batch[0]!.reject(err);
      }
    }
  }

  #lastConflict = 0;
  #recentConflict() {
    return this.deps.database.engine === 'pglite' || Date.now() - this.#lastConflict < 1000;
  }

  /**
   * Returns a function that settles every pending promise; called only after commit.
   *
   * Two ways to hold stock. 'optimistic' (the usual case, many SKUs): read stock without locks, allocate,
   * write everything, and only at the end lock the rows actually reserved (in key order) and check that each
   * still has what was counted on; if not, throw BatchRaced and the batch runs again in 'locking' mode. Locks
   * are then held for a millisecond instead of the whole batch, so concurrent batches (and processes) do not
   * queue behind each other. 'locking' (after a recent conflict — a hot SKU — or when protected quantities
   * apply, or on PGlite's single session): lock every stock row of the batch's SKUs first, in key order.
   */
  async #captureBatch(trx: Tx, batch: Pending[], mode: 'optimistic' | 'locking', afterCommit: Array<() => void>): Promise<() => void> {
    const { catalog, channels: channelService, inventory, locations, orders } = this.deps;
    const outcomes = new Map<Pending, { err: unknown } | { sameAs: Pending } | { existing: string }>();
    const now = this.#clock();

    // 1. channels and SKUs (cached), authorisation, unknown references
    const channelByCode = new Map<string, Channel | null>();
    for (const code of new Set(batch.map((p) => p.input.channel))) channelByCode.set(code, await channelService.getCached(trx, code));
    const skus = await catalog.resolveSkusCached(trx, [...new Set(batch.flatMap((p) => p.input.lines.map((l) => l.sku)))]);
    const skuById = new Map([...skus.values()].map((s) => [s.id, s]));
    let live: Pending[] = [];
    for (const p of batch) {
      const ch = channelByCode.get(p.input.channel);
      if (!ch) outcomes.set(p, { err: invalid('unknown_channel', `channel ${p.input.channel} does not exist`, 'channel') });
      else if (p.ctx.principal.role === 'channel' && p.ctx.principal.channelId !== ch.id)
        outcomes.set(p, { err: forbidden('channel_mismatch', `this credential may only act for its own channel, not ${p.input.channel}`) });
      else if (!ch.active) outcomes.set(p, { err: invalid('channel_inactive', `channel ${p.input.channel} is not active`, 'channel') });
      else {
        const bad = p.input.lines.findIndex((l) => !skus.has(l.sku));
        if (bad >= 0) outcomes.set(p, { err: invalid('unknown_sku', `SKU ${p.input.lines[bad]!.sku} does not exist`, `lines/${bad}/sku`) });
        else live.push(p);
      }
    }

    // 2. stock of every SKU these orders could take: locked in key order, or read for an optimistic pass
    const skuIds = new Set<string>();
    for (const p of live) for (const l of p.input.lines) {
      const s = skus.get(l.sku)!;
      if (s.isKit) s.components.forEach((c) => skuIds.add(c.skuId));
      else skuIds.add(s.id);
    }
    const sortedSkuIds = [...skuIds].sort();
    const protections = await inventory.protections(trx, sortedSkuIds);
    if (protections.length > 0) mode = 'locking'; // a network-wide floor needs a consistent view of every location
    const stockRows = mode === 'locking' ? await inventory.lockStock(trx, sortedSkuIds) : await inventory.readStock(trx, sortedSkuIds);

    // 3. idempotency keys already used
    const keyed = live.filter((p) => p.idempotencyKey);
    // a key is honoured for the TTL from its first use; after that it is free again (and swept)
    const keyCutoff = new Date(now.getTime() - (this.deps.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS));
    if (keyed.length > 0) {
      const r = await sql<any>`select k.principal, k.key, k.request_hash, k.order_id
        from unnest(${keyed.map((p) => p.ctx.principal.keyId)}::text[], ${keyed.map((p) => p.idempotencyKey)}::text[]) as t(principal, key)
        join lateral (select * from idempotency_keys i where i.principal = t.principal and i.key = t.key and i.created_at >= ${keyCutoff.toISOString()}::timestamptz offset 0) k on true`.execute(trx);
      const used = new Map(r.rows.map((x) => [`${x.principal}\u0000${x.key}`, x]));
      live = live.filter((p) => {
        const u = p.idempotencyKey ? used.get(`${p.ctx.principal.keyId}\u0000${p.idempotencyKey}`) : undefined;
        if (!u) return true;
        if (u.request_hash !== p.hash) outcomes.set(p, { err: new SwitchyardError('CONFLICT', 'idempotency_key_reused', 'this Idempotency-Key was used with a different request', 'Idempotency-Key') });
        else outcomes.set(p, { existing: u.order_id });
        return false;
      });
    }

    // 4. the same order twice in one batch: the first one leads, the others repeat it
    const leaders = new Map<string, Pending>();
    let fresh: Pending[] = [];
    for (const p of live) {
      const k = `${p.input.channel}\u0000${p.input.externalId}`;
      const lead = leaders.get(k);
      if (lead) outcomes.set(p, { sameAs: lead });
      else {
        leaders.set(k, p);
        fresh.push(p);
      }
    }

    // 5. orders already captured (a redelivery or retry) are returned as they are
    if (fresh.length > 0) {
      // one unique-index probe per key (OFFSET 0 keeps the planner from flattening it into a scan by channel)
      const r = await sql<any>`select o.id, o.channel_id, o.external_id
        from unnest(${fresh.map((p) => channelByCode.get(p.input.channel)!.id)}::uuid[], ${fresh.map((p) => p.input.externalId)}::text[]) as t(channel_id, external_id)
        join lateral (select id, channel_id, external_id from orders where channel_id = t.channel_id and external_id = t.external_id offset 0) o on true`.execute(trx);
      const codeOf = new Map([...channelByCode.values()].filter((c): c is Channel => !!c).map((c) => [c.id, c.code]));
      const byKey = new Map(r.rows.map((x) => [`${codeOf.get(x.channel_id)}\u0000${x.external_id}`, x.id as string]));
      fresh = fresh.filter((p) => {
        const id = byKey.get(`${p.input.channel}\u0000${p.input.externalId}`);
        if (id) outcomes.set(p, { existing: id });
        return !id;
      });
    }

    // 6. allocate the new orders in arrival order
    const orderIds = new Map<Pending, string>(fresh.map((p) => [p, uuidv7(now.getTime())]));
    const rowOf = new Map<Pending, OrderRow>(fresh.map((p) => [p, this.#orderRow(p, channelByCode.get(p.input.channel)!, orderIds.get(p)!, now)]));
    const built = new Map(fresh.map((p) => [p, this.#buildLines(p, orderIds.get(p)!, skus, skuById)]));
    const pool = new StockPool(stockRows, protections, await locations.listCached(trx));
    const channelsById = new Map([...channelByCode.values()].filter((c): c is Channel => !!c).map((c) => [c.id, c]));
    const demands: OrderDemand[] = fresh.map((p) => {
      const o = rowOf.get(p)!;
      return {
        order: allocationOrder(o, now.toISOString()),
        lines: built.get(p)!.demand,
        kits: built.get(p)!.kits,
      };
    });
    const bound = await this.deps.strategy(trx, pool.locations, now);
    const allocations = bound.allocateBatch ? await bound.allocateBatch(pool, demands, channelsById) : allocateAll(pool, bound.strategy, demands, channelsById);
    if (bound.persist) afterCommit.push(bound.persist);

    // 7. line quantities, statuses, audit and outbox events
    const allLines: LineRow[] = [];
    const reservationsToMake: Array<{ orderId: string; orderLineId: string; skuId: string; locationId: string; qty: number }> = [];
    const auditEvents: AuditEvent[] = [];
    const outboxEvents: DomainEvent[] = [];
    const resultOrders = new Map<Pending, { row: OrderRow; lines: LineRow[]; reservations: ReservationRow[] }>();
    const locCode = new Map(pool.locations.map((l) => [l.id, l.code]));
    const today = now.toISOString().slice(0, 10);
    const holdRules = fresh.length > 0 && this.deps.holdRules ? await this.deps.holdRules.active(trx) : [];
    for (const p of fresh) {
      const row = rowOf.get(p)!;
      const alloc = allocations.get(row.id)!;
      const lines = built.get(p)!.lines;
      const lineById = new Map(lines.map((l) => [l.id, l]));
      const reservations: ReservationRow[] = [];
      for (const a of alloc.assignments) {
        const line = lineById.get(a.lineId)!;
        line.qtyReserved += a.qty;
        reservationsToMake.push({ orderId: row.id, orderLineId: line.id, skuId: line.skuId, locationId: a.locationId, qty: a.qty });
        reservations.push({ id: '', orderLineId: line.id, sku: line.sku, location: locCode.get(a.locationId)!, qty: a.qty, status: 'active' });
      }
      let noBackorder: string | null = null;
      for (const l of lines) {
        if (l.isKit) continue;
        const short = l.qtyOrdered - l.qtyReserved;
        const sku = skuById.get(l.skuId)!;
        if (short > 0 && sku.preorderAvailableOn && sku.preorderAvailableOn > today) l.qtyPreordered = short;
        else if (short > 0) {
          l.qtyBackordered = short;
          if (!sku.backorderAllowed) noBackorder = sku.sku;
        }
      }
      orders.recomputeKits(lines);
      const derived = deriveAllocationState(lines.map((l) => ({ ...l, isKitParent: l.isKit })));
      // a routing or stock hold first; else the first hold rule the order matches (its stock stays reserved)
      const rule = alloc.hold || noBackorder || holdRules.length === 0 ? null : firstHold(holdRules, orderFacts(row, lines, skuById));
      const hold = alloc.hold ?? (noBackorder ? `backorder_not_allowed:${noBackorder}` : rule ? `hold_rule:${rule.id}: ${rule.reason}` : null);
      row.status = hold ? 'on_hold' : derived;
      row.heldFrom = hold ? derived : null;
      allLines.push(...lines);
      const summary = lines.filter((l) => !l.isKit).map((l) => ({ sku: l.sku, ordered: l.qtyOrdered, reserved: l.qtyReserved, backordered: l.qtyBackordered, preordered: l.qtyPreordered }));
      auditEvents.push({ orderId: row.id, type: 'order.created', from: null, to: derived, reason: null, data: { channel: row.channel, externalId: row.externalId, lines: summary, reservations: reservations.map((r) => ({ sku: r.sku, location: r.location, qty: r.qty })) }, actor: p.ctx.actor });
      if (alloc.decision !== undefined || alloc.decisionJson !== undefined) {
        auditEvents.push({ orderId: row.id, type: 'order.routed', from: null, to: null, reason: null, data: alloc.decision ?? null, dataJson: alloc.decisionJson, actor: 'system' });
      }
      if (hold) auditEvents.push({ orderId: row.id, type: 'order.held', from: derived, to: 'on_hold', reason: hold, data: rule ? { rule: { id: rule.id, version: rule.version, name: rule.name } } : {}, actor: 'system' });
      const payload = { orderId: row.id, channel: row.channel, externalId: row.externalId, status: row.status, lines: summary };
      outboxEvents.push({ topic: 'order.created', aggregateType: 'order', aggregateId: row.id, payload });
      if (derived === 'backordered' || derived === 'partially_allocated') outboxEvents.push({ topic: 'order.backordered', aggregateType: 'order', aggregateId: row.id, payload });
      if (derived === 'preordered') outboxEvents.push({ topic: 'order.preordered', aggregateType: 'order', aggregateId: row.id, payload });
      if (hold) outboxEvents.push({ topic: 'order.held', aggregateType: 'order', aggregateId: row.id, payload: { ...payload, reason: hold } });
      resultOrders.set(p, { row, lines, reservations });
    }

    // 8. write, set-based: orders (with their final status), lines, reservations + ledger, audit, outbox
    const rows = [...rowOf.values()].sort((a, b) => (a.channelId + a.externalId < b.channelId + b.externalId ? -1 : 1));
    if (rows.length > 0) {
      const hashOf = new Map(fresh.map((p) => [orderIds.get(p)!, p.hash]));
      const r = await sql<{ id: string }>`
        insert into orders (id, channel_id, external_id, status, held_from, customer, email, customer_name, shipping_address, billing_address, currency,
          service_level, requested_delivery_date, tags, subtotal_minor, discount_minor, tax_minor, shipping_minor, total_minor, request_hash,
          placed_at, created_at, updated_at)
        select id, channel_id, external_id, status, held_from, coalesce(customer, '{}'), email, customer_name, ship, bill, currency, service_level, req_date,
          coalesce(array(select jsonb_array_elements_text(tags)), '{}'), sub, disc, tax, shipping, total, hash, placed_at, ${now}, ${now}
        from json_to_recordset(${JSON.stringify(rows.map((o) => ({
          id: o.id, channel_id: o.channelId, external_id: o.externalId, status: o.status, held_from: o.heldFrom, customer: o.customer, email: o.email,
          customer_name: o.customerName, ship: o.shippingAddress, bill: o.billingAddress, currency: o.currency, service_level: o.serviceLevel,
          req_date: o.requestedDeliveryDate, tags: o.tags, sub: o.subtotalMinor, disc: o.discountMinor, tax: o.taxMinor, shipping: o.shippingMinor,
          total: o.totalMinor, hash: hashOf.get(o.id)!, placed_at: o.placedAt,
        })))}::json)
          as t(id uuid, channel_id uuid, external_id text, status text, held_from text, customer jsonb, email text, customer_name text, ship jsonb, bill jsonb,
               currency text, service_level text, req_date date, tags jsonb, sub bigint, disc bigint, tax bigint, shipping bigint, total bigint, hash text,
               placed_at timestamptz)
        on conflict (channel_id, external_id) do nothing
        returning id`.execute(trx);
      // a concurrent transaction captured one of these orders since step 5: run the batch again, it will be a repeat
      if (r.rows.length !== rows.length) throw new BatchRaced();
    }
    await orders.insertLines(trx, allLines);
    await inventory.insertReservations(trx, 'capture', reservationsToMake);
    await orders.insertEvents(trx, auditEvents);
    // one coalesced stock event per batch
    if (reservationsToMake.length > 0) outboxEvents.push(inventoryChanged(reservationsToMake.map((r) => skuById.get(r.skuId)!.sku), 'reservation'));
    await publish(trx, outboxEvents);
    const withKey = fresh.filter((p) => p.idempotencyKey).sort((a, b) => (a.idempotencyKey! < b.idempotencyKey! ? -1 : 1));
    if (withKey.length > 0) {
      // an expired key not yet swept is taken over by its new use
      await sql`insert into idempotency_keys (principal, key, request_hash, order_id, created_at)
        select t.*, ${now.toISOString()}::timestamptz from unnest(${withKey.map((p) => p.ctx.principal.keyId)}::text[], ${withKey.map((p) => p.idempotencyKey)}::text[],
          ${withKey.map((p) => p.hash)}::text[], ${withKey.map((p) => orderIds.get(p)!)}::uuid[]) as t
        on conflict (principal, key) do update set request_hash = excluded.request_hash, order_id = excluded.order_id, created_at = excluded.created_at
          where idempotency_keys.created_at < ${keyCutoff.toISOString()}::timestamptz`.execute(trx);
    }
    // 9. take the stock: in optimistic mode, lock just the rows reserved, in key order, and check nothing moved
    const applied = await inventory.applyReservations(trx, 'capture', reservationsToMake, mode === 'optimistic');
    if (!applied) throw new BatchRaced();

    // repeats: read the stored orders (same transaction, consistent)
    const existingIds = [...new Set([...outcomes.values()].flatMap((o) => ('existing' in o ? [o.existing] : [])))];
    const existing = new Map<string, OrderDto>();
    for (const id of existingIds) existing.set(id, await orders.getTx(trx, id));

    return () => {
      for (const p of batch) {
        const made = resultOrders.get(p);
        if (made) {
          p.resolve({ order: orderDto(made.row, made.lines, made.reservations), created: true });
          continue;
        }
        const o = outcomes.get(p)!;
        if ('err' in o) p.reject(o.err);
        else if ('existing' in o) p.resolve({ order: existing.get(o.existing)!, created: false });
      }
      for (const p of batch) {
        const o = outcomes.get(p);
        if (o && 'sameAs' in o) {
          const lead = resultOrders.get(o.sameAs);
          const leadOutcome = outcomes.get(o.sameAs);
          if (lead) p.resolve({ order: orderDto(lead.row, lead.lines, lead.reservations), created: false });
          else if (leadOutcome && 'existing' in leadOutcome) p.resolve({ order: existing.get(leadOutcome.existing)!, created: false });
          else p.reject(leadOutcome && 'err' in leadOutcome ? leadOutcome.err : new Error('lost leader'));
        }
      }
    };
  }

  #orderRow(p: Pending, ch: Channel, id: string, now: Date): OrderRow {
    const i = p.input;
    const subtotal = i.lines.reduce((a, l) => a + l.unitPriceMinor * l.quantity, 0);
    const discount = i.lines.reduce((a, l) => a + (l.discountMinor ?? 0), 0);
    const tax = i.lines.reduce((a, l) => a + (l.taxMinor ?? 0), 0);
    return {
      id,
      channelId: ch.id,
      channel: ch.code,
      externalId: i.externalId,
      status: 'allocated',
      heldFrom: null,
      customer: i.customer ?? {},
      email: i.customer?.email?.toLowerCase() ?? null,
      customerName: i.customer?.name ?? i.shippingAddress.name ?? null,
      shippingAddress: i.shippingAddress,
      billingAddress: i.billingAddress ?? null,
      currency: i.currency,
      serviceLevel: i.serviceLevel ?? 'standard',
      requestedDeliveryDate: i.requestedDeliveryDate ?? null,
      tags: i.tags ?? [],
      subtotalMinor: subtotal,
      discountMinor: discount,
      taxMinor: tax,
      shippingMinor: i.shippingMinor ?? 0,
      totalMinor: subtotal - discount + tax + (i.shippingMinor ?? 0),
      placedAt: i.placedAt ?? null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  }

  /** Order lines, with kits expanded into component lines (a kit unit needs perKit of each component). */
  #buildLines(p: Pending, orderId: string, skus: Map<string, SkuInfo>, skuById: Map<string, SkuInfo>) {
    const lines: LineRow[] = [];
    const demand: DemandLine[] = [];
    const kits: OrderDemand['kits'] = [];
    let lineNo = 0;
    const base = (s: SkuInfo, qty: number, price: number, disc: number, tax: number, parent: string | null, perKit: number | null): LineRow => ({
      id: uuidv7(), orderId, lineNo: ++lineNo, skuId: s.id, sku: s.sku, kitParentLineId: parent, perKitQty: perKit, isKit: s.isKit,
      qtyOrdered: qty, qtyReserved: 0, qtyBackordered: 0, qtyPreordered: 0, qtyReleased: 0, qtyShipped: 0, qtyCancelled: 0, qtyReturned: 0,
      unitPriceMinor: price, discountMinor: disc, taxMinor: tax,
    });
    const demandOf = (s: SkuInfo, line: LineRow, unitValue: number) => demandLine(s, line.id, line.qtyOrdered, unitValue);
    for (const l of p.input.lines) {
      const s = skus.get(l.sku)!;
      const line = base(s, l.quantity, l.unitPriceMinor, l.discountMinor ?? 0, l.taxMinor ?? 0, null, null);
      lines.push(line);
      if (!s.isKit) {
        demand.push(demandOf(s, line, l.unitPriceMinor));
        continue;
      }
      const comps: Array<{ lineId: string; perKit: number }> = [];
      for (const c of s.components) {
        const cs = skuById.get(c.skuId)!;
        const cl = base(cs, l.quantity * c.qty, 0, 0, 0, line.id, c.qty);
        lines.push(cl);
        demand.push(demandOf(cs, cl, 0));
        comps.push({ lineId: cl.id, perKit: c.qty });
      }
      kits.push({ components: comps });
    }
    return { lines, demand, kits };
  }
}

/**
 * The facts hold rules test: routing's own (`profileFacts`), from the captured order and its stocked lines (plain
 * lines and kit components, as routing sees them), so a condition means the same in a hold rule and a profile.
 */
function orderFacts(row: OrderRow, lines: readonly LineRow[], skuById: ReadonlyMap<string, { hazmatClass: string | null }>): ProfileFacts {
  return profileFacts({
    channel: row.channel,
    serviceLevel: row.serviceLevel,
    destination: { country: row.shippingAddress.country, postcode: row.shippingAddress.postcode },
    tags: row.tags,
    orderValueMinor: row.totalMinor,
    currency: row.currency,
    lines: lines.filter((l) => !l.isKit).map((l) => ({ lineId: l.id, skuId: l.skuId, qty: l.qtyOrdered, unitWeightGrams: 0, unitValueMinor: l.unitPriceMinor, hazmat: !!skuById.get(l.skuId)?.hazmatClass })),
  });
}
