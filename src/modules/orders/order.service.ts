import { CompiledQuery, sql } from 'kysely';
import { deriveAllocationState, isAllocationState, transition, type OrderState } from '../../domain/order-state/order-state.ts';
import type { DemandLine } from '../../domain/allocation/allocation.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { SwitchyardError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { ChannelService } from '../channels/channels.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { inventoryChanged, type InventoryService, type ReleasedReservation } from '../inventory/inventory.service.ts';
import type { LocationService } from '../locations/locations.service.ts';
import { publish, type DomainEvent } from '../events/outbox.ts';
import { orderDto, type LineRow, type OrderDto, type OrderEventRow, type OrderRow, type ReservationRow } from './order.types.ts';
import { readStoredDecision } from '../routing/routing.engine.ts';
import { allocateAll, allocationOrder, demandLine, StockPool, type OrderDemand, type StrategyFactory } from '../../workflows/allocate.step.ts';

export interface AuditEvent {
  orderId: string;
  type: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  data: unknown;
  /** `data` already serialised as JSON (it wins over `data`) */
  dataJson?: string;
  actor: string;
}

const EVENTS_PER_STATEMENT = 1000;
const insertEventsText = new Map<number, string>();
/** The audit insert for n events, n ≤ EVENTS_PER_STATEMENT (the text per row count is built once). */
function insertEventsSql(n: number): string {
  let text = insertEventsText.get(n);
  if (text === undefined) {
    const rows: string[] = [];
    for (let k = 0; k < n; k++) {
      const b = k * 7;
      rows.push(`($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}::json)`);
    }
    text = `insert into order_events (order_id, type, from_status, to_status, actor, reason, data) values ${rows.join(', ')}`;
    insertEventsText.set(n, text);
  }
  return text;
}

/** An audit event's data as the API shows it: routing decisions are stored packed (see storedDecision). */
function eventData(type: string, data: any, skuOfLine: ReadonlyMap<string, string>): Record<string, unknown> {
  if (type === 'order.routed') return readStoredDecision(data, skuOfLine);
  if (type === 'order.rerouted' && data?.decision) return { ...data, decision: readStoredDecision(data.decision, skuOfLine) };
  return data;
}

export interface OrderFilter {
  status?: string;
  channel?: string;
  from?: string;
  to?: string;
  sku?: string;
  tag?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

const ORDER_SELECT = sql`select o.*, c.code as channel_code, to_char(o.requested_delivery_date, 'YYYY-MM-DD') as req_date from orders o join channels c on c.id = o.channel_id`;

function toOrderRow(r: any): OrderRow {
  return {
    id: r.id, channelId: r.channel_id, channel: r.channel_code, externalId: r.external_id, status: r.status, heldFrom: r.held_from,
    customer: r.customer, email: r.email, customerName: r.customer_name, shippingAddress: r.shipping_address, billingAddress: r.billing_address,
    currency: r.currency, serviceLevel: r.service_level, requestedDeliveryDate: r.req_date, tags: r.tags,
    subtotalMinor: r.subtotal_minor, discountMinor: r.discount_minor, taxMinor: r.tax_minor, shippingMinor: r.shipping_minor, totalMinor: r.total_minor,
    placedAt: r.placed_at ? new Date(r.placed_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}
function toLineRow(r: any): LineRow {
  return {
    id: r.id, orderId: r.order_id, lineNo: r.line_no, skuId: r.sku_id, sku: r.sku, kitParentLineId: r.kit_parent_line_id, perKitQty: r.per_kit_qty,
    isKit: r.is_kit, qtyOrdered: r.qty_ordered, qtyReserved: r.qty_reserved, qtyBackordered: r.qty_backordered, qtyPreordered: r.qty_preordered,
    qtyReleased: r.qty_released, qtyShipped: r.qty_shipped, qtyCancelled: r.qty_cancelled, qtyReturned: r.qty_returned,
    unitPriceMinor: r.unit_price_minor, discountMinor: r.discount_minor, taxMinor: r.tax_minor,
  };
}

/**
 * The order's delivery promise from its routing decisions (the first routing and any re-routes): it must ship
 * by the earliest ship-by and arrives by the latest delivery.
 */
function promiseFrom(timeline: OrderEventRow[]) {
  const promises = timeline
    .filter((e) => e.type === 'order.routed' || e.type === 'order.rerouted')
    .map((e) => ((e.data as any)?.decision ?? e.data)?.promise)
    .filter((p): p is { shipBy: string; deliveryDate: string; window: { earliest: string; latest: string } } => !!p);
  if (promises.length === 0) return null;
  const min = (xs: string[]) => xs.reduce((a, b) => (a < b ? a : b));
  const max = (xs: string[]) => xs.reduce((a, b) => (a > b ? a : b));
  return {
    shipBy: min(promises.map((p) => p.shipBy)),
    deliveryDate: max(promises.map((p) => p.deliveryDate)),
    window: { earliest: max(promises.map((p) => p.window.earliest)), latest: max(promises.map((p) => p.window.latest)) },
  };
}

/** Orders, their lines and audit trail; holds, cancellation and back-order filling. */
export class OrderService {
  constructor(
    private readonly database: Database,
    private readonly inventory: InventoryService,
    private readonly channels: ChannelService,
    private readonly locations: LocationService,
    private readonly strategy: StrategyFactory,
    private readonly catalog: CatalogService,
  ) {}

  // ---- set-based writers used by the capture workflow ----

  async insertLines(trx: Tx, lines: LineRow[]) {
    if (lines.length === 0) return;
    // parents first: component lines reference their kit line
    const sorted = [...lines].sort((a, b) => Number(!!a.kitParentLineId) - Number(!!b.kitParentLineId));
    await sql`insert into order_lines (id, order_id, line_no, sku_id, sku, kit_parent_line_id, per_kit_qty, qty_ordered, qty_reserved,
        qty_backordered, qty_preordered, unit_price_minor, discount_minor, tax_minor)
      select * from unnest(${sorted.map((l) => l.id)}::uuid[], ${sorted.map((l) => l.orderId)}::uuid[], ${sorted.map((l) => l.lineNo)}::int[],
        ${sorted.map((l) => l.skuId)}::uuid[], ${sorted.map((l) => l.sku)}::text[], ${sorted.map((l) => l.kitParentLineId)}::uuid[],
        ${sorted.map((l) => l.perKitQty)}::int[], ${sorted.map((l) => l.qtyOrdered)}::int[], ${sorted.map((l) => l.qtyReserved)}::int[],
        ${sorted.map((l) => l.qtyBackordered)}::int[], ${sorted.map((l) => l.qtyPreordered)}::int[], ${sorted.map((l) => l.unitPriceMinor)}::bigint[],
        ${sorted.map((l) => l.discountMinor)}::bigint[], ${sorted.map((l) => l.taxMinor)}::bigint[])`.execute(trx);
  }

  async setStatuses(trx: Tx, s: Array<{ id: string; status: OrderState; heldFrom: OrderState | null }>) {
    if (s.length === 0) return;
    await sql`update orders o set status = t.status, held_from = t.held_from, updated_at = now()
      from unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.status)}::text[], ${s.map((x) => x.heldFrom)}::text[]) as t(id, status, held_from)
      where o.id = t.id`.execute(trx);
  }

  /**
   * Deletes Idempotency-Keys first used before `before` (capture no longer honours them), a chunk per
   * statement so that a large backlog never holds one long transaction. Returns how many went.
   */
  async expireIdempotencyKeys(before: Date, chunk = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await sql`delete from idempotency_keys where ctid in (
        select ctid from idempotency_keys where created_at < ${before.toISOString()}::timestamptz limit ${chunk})`.execute(this.database.db);
      const n = Number(r.numAffectedRows ?? 0);
      total += n;
      if (n < chunk) return total;
    }
  }

  async insertEvents(trx: Tx, events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (events.length > EVENTS_PER_STATEMENT) {
      // PostgreSQL takes at most 65,535 parameters a statement
      for (let k = 0; k < events.length; k += EVENTS_PER_STATEMENT) await this.insertEvents(trx, events.slice(k, k + EVENTS_PER_STATEMENT));
      return;
    }
    // one multi-row VALUES statement, each value its own parameter: PostgreSQL reads a routing decision once (the
    // json check), where a JSON document of all rows through json_to_recordset parsed it three times (~18 against
    // ~6 µs per routed event); parameters need no escaping, and data that arrives serialised (a worker thread's
    // decision) is passed as it is
    const params: unknown[] = new Array(events.length * 7);
    for (let k = 0, j = 0; k < events.length; k++) {
      const e = events[k]!;
      params[j++] = e.orderId;
      params[j++] = e.type;
      params[j++] = e.from;
      params[j++] = e.to;
      params[j++] = e.actor;
      params[j++] = e.reason;
      params[j++] = e.dataJson ?? JSON.stringify(e.data ?? {});
    }
    await trx.executeQuery(CompiledQuery.raw(insertEventsSql(events.length), params));
  }

  // ---- reads ----

  async get(ctx: Ctx, id: string): Promise<OrderDto> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('order', id);
    await this.primeChannel(ctx);
    const dto = await this.getTx(this.database.db as unknown as Tx, id, true);
    this.#checkChannel(ctx, dto.channel);
    return dto;
  }

  async getTx(trx: Tx, id: string, withTimeline = false): Promise<OrderDto> {
    const o = await sql<any>`${ORDER_SELECT} where o.id = ${id}`.execute(trx);
    if (!o.rows[0]) throw notFound('order', id);
    const lines = await this.#lines(trx, [id]);
    const res = await sql<any>`select r.id, r.order_line_id, s.sku, l.code as location, r.qty, r.status from reservations r
      join skus s on s.id = r.sku_id join locations l on l.id = r.location_id where r.order_id = ${id} order by r.created_at, r.id`.execute(trx);
    const reservations: ReservationRow[] = res.rows.map((r) => ({ id: r.id, orderLineId: r.order_line_id, sku: r.sku, location: r.location, qty: r.qty, status: r.status }));
    let timeline: OrderEventRow[] | undefined;
    if (withTimeline) {
      const ev = await sql<any>`select id, type, from_status, to_status, actor, reason, data, created_at from order_events where order_id = ${id} order by id`.execute(trx);
      const skuOfLine = new Map(lines.map((l) => [l.id, l.skuId]));
      timeline = ev.rows.map((e) => ({ id: e.id, type: e.type, fromStatus: e.from_status, toStatus: e.to_status, actor: e.actor, reason: e.reason, data: eventData(e.type, e.data, skuOfLine), at: new Date(e.created_at).toISOString() }));
    }
    return orderDto(toOrderRow(o.rows[0]), lines, reservations, timeline, timeline ? promiseFrom(timeline) : undefined);
  }

  async routing(ctx: Ctx, id: string) {
    // the order's timeline holds its routing decisions, already in the API form
    const order = await this.get(ctx, id);
    const decisions = (order.timeline ?? []).filter((e) => e.type === 'order.routed' || e.type === 'order.rerouted');
    // every entry a decision: a re-route's decision with what the location handed back and what was reserved instead
    return {
      orderId: order.id,
      decisions: decisions.map((e) => {
        const data = e.data as Record<string, unknown>;
        if (e.type !== 'order.rerouted' || !data.decision) return { at: e.at, ...data };
        const { decision, reoptimised, ...moved } = data;
        const kind = reoptimised ? 'reoptimisation' : moved.assigned ? 'assignment' : 'rejection';
        return { at: e.at, ...(decision as Record<string, unknown>), [kind]: { ...moved, reason: e.reason } };
      }),
    };
  }

  async #lines(trx: Tx, orderIds: string[]): Promise<LineRow[]> {
    const r = await sql<any>`select l.*, s.is_kit from order_lines l join skus s on s.id = l.sku_id where l.order_id = any(${orderIds}::uuid[]) order by l.order_id, l.line_no`.execute(trx);
    return r.rows.map(toLineRow);
  }

  async list(ctx: Ctx, f: OrderFilter) {
    let channel = f.channel ?? null;
    if (ctx.principal.role === 'channel') {
      await this.primeChannel(ctx);
      const own = this.#channelCodeCache.get(ctx.principal.channelId!)!;
      if (channel && channel !== own) throw forbidden('channel_mismatch', 'this credential may only read its own channel');
      channel = own;
    }
    let cursor: { at: string; id: string } | null = null;
    if (f.cursor) {
      try {
        const [at, id] = JSON.parse(Buffer.from(f.cursor, 'base64url').toString()) as [string, string];
        if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error();
        cursor = { at, id };
      } catch {
        throw invalid('invalid_cursor', 'cursor is not one this API returned', 'cursor');
      }
    }
    const q = f.q ? `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => '\\' + m)}%` : null;
    const r = await sql<any>`${ORDER_SELECT}
      where (${f.status ?? null}::text is null or o.status = ${f.status ?? null})
        and (${channel}::text is null or c.code = ${channel})
        and (${f.from ?? null}::timestamptz is null or o.created_at >= ${f.from ?? null}::timestamptz)
        and (${f.to ?? null}::timestamptz is null or o.created_at < ${f.to ?? null}::timestamptz)
        and (${f.tag ?? null}::text is null or o.tags @> array[${f.tag ?? null}::text])
        and (${f.sku ?? null}::text is null or exists (select 1 from order_lines l where l.order_id = o.id and l.sku = ${f.sku ?? null}))
        and (${q}::text is null or lower(o.email) like ${q} or lower(o.customer_name) like ${q} or lower(o.external_id) like ${q})
        and (${cursor?.at ?? null}::timestamptz is null or (o.created_at, o.id) < (${cursor?.at ?? null}::timestamptz, ${cursor?.id ?? null}::uuid))
      order by o.created_at desc, o.id desc limit ${f.limit + 1}`.execute(this.database.db);
    const page = r.rows.slice(0, f.limit).map(toOrderRow);
    const lines = page.length ? await this.#lines(this.database.db as unknown as Tx, page.map((o) => o.id)) : [];
    const last = page[page.length - 1];
    return {
      items: page.map((o) => orderDto(o, lines.filter((l) => l.orderId === o.id), [])),
      nextCursor: r.rows.length > f.limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null,
    };
  }

  /**
   * How orders created in a window were routed, from their stored `order.routed` decisions (any stored format:
   * routing.engine's storedDecision v2/v1 keep candidate reports packed in `cands` — `[code, 'x', rule, detail]`
   * when excluded — and quotes as arrays with lateDays at index 4; the API form has `candidates` and quote
   * objects). Aggregated in PostgreSQL; orders are found by their creation time, their events by order id.
   */
  async routingStats(f: { from: string; to: string; channelId?: string | null }) {
    // each decision's document is parsed once (json_to_record; every -> on a json value parses it again), its
    // shipments and candidates once each; grouped here, folded into a report by routing-stats.ts
    const r = await sql<{ outcome: string; profile: string; method: string; ships: number; currency: string; n: number; cost: string; requested: string; allocated: string; locations: string[] | null; late: string[] | null; rules: string[] | null }>`
      select x.outcome, x.profile->>'id' as profile, x.method, least(json_array_length(x.shipments), 3) as ships, o.currency,
        count(*)::int as n, coalesce(sum(x."totalCostMinor"), 0)::text as cost,
        coalesce(sum((x.units->>'requested')::int), 0)::text as requested, coalesce(sum((x.units->>'allocated')::int), 0)::text as allocated,
        array_agg(s.codes) filter (where s.codes is not null) as locations, array_agg(s.late) filter (where s.late is not null) as late,
        array_agg(c.rules) filter (where c.rules is not null) as rules
      from orders o
        join order_events e on e.order_id = o.id and e.type = 'order.routed'
        cross join lateral json_to_record(e.data) as x(outcome text, profile json, method text, shipments json, "totalCostMinor" bigint, units json, cands json, candidates json)
        cross join lateral (
          select string_agg(sh.code, ' ') as codes,
            string_agg(sh.code, ' ') filter (where coalesce((case when json_typeof(sh.quote) = 'array' then sh.quote->>4 else sh.quote->>'lateDays' end)::int, 0) > 0) as late
          from json_to_recordset(x.shipments) as sh(code text, quote json)) s
        cross join lateral (
          select string_agg(r.rule, ' ') as rules from json_array_elements(coalesce(x.cands, x.candidates)) c,
            lateral (select case when json_typeof(c) = 'array' then (case when c->>1 = 'x' then c->>2 end) else c->'excluded'->>'rule' end as rule) r
          where r.rule is not null) c
      where o.created_at >= ${f.from}::timestamptz and o.created_at < ${f.to}::timestamptz
        and (${f.channelId ?? null}::uuid is null or o.channel_id = ${f.channelId ?? null}::uuid)
      group by 1, 2, 3, 4, 5`.execute(this.database.db);
    return r.rows;
  }

  /**
   * Orders a re-optimisation run looks at, oldest first: allocated in full or in part, not held, nothing released or
   * shipped, their reservations at two or more locations (split: where routing again can save a shipment).
   */
  async reoptimisable(f: { limit: number; since?: string | null; channelId?: string | null }): Promise<string[]> {
    const r = await sql<{ id: string }>`select o.id from orders o
      where o.status in ('allocated', 'partially_allocated')
        and (${f.channelId ?? null}::uuid is null or o.channel_id = ${f.channelId ?? null}::uuid)
        and (${f.since ?? null}::timestamptz is null or o.created_at >= ${f.since ?? null}::timestamptz)
        and not exists (select 1 from order_lines l where l.order_id = o.id and (l.qty_released > 0 or l.qty_shipped > 0))
        and (select count(distinct r.location_id) from reservations r where r.order_id = o.id and r.status = 'active') >= 2
      order by o.created_at, o.id limit ${f.limit}`.execute(this.database.db);
    return r.rows.map((x) => x.id);
  }

  /**
   * Orders holding active reservations at a location, oldest first, with the units held there: what moves when
   * the location is evacuated (reservations are active until released, so these are all unreleased).
   */
  async reservedAt(locationId: string, limit: number): Promise<{ orders: Array<{ id: string; externalId: string; units: number }>; total: number }> {
    const r = await sql<{ id: string; external_id: string; units: number; total: number }>`select o.id, o.external_id, h.units, count(*) over ()::int as total
      from (select order_id, sum(qty)::int as units from reservations where location_id = ${locationId} and status = 'active' group by order_id) h
      join orders o on o.id = h.order_id
      order by o.created_at, o.id limit ${limit}`.execute(this.database.db);
    return { orders: r.rows.map((x) => ({ id: x.id, externalId: x.external_id, units: x.units })), total: r.rows[0]?.total ?? 0 };
  }

  /**
   * Demand per stocked SKU (plain lines and kit components) of the orders captured since `since`, net of
   * cancellations, with the units of each SKU waiting as back-orders (any age): what a stock-cover report needs.
   */
  async demandSince(since: Date): Promise<Array<{ skuId: string; sku: string; units: number; backordered: number }>> {
    const r = await sql<{ sku_id: string; sku: string; units: number; backordered: number }>`
      with recent as (
        select l.sku_id, min(l.sku) as sku, sum(l.qty_ordered - l.qty_cancelled)::int as units
        from orders o join order_lines l on l.order_id = o.id join skus s on s.id = l.sku_id and not s.is_kit
        where o.created_at >= ${since.toISOString()}::timestamptz
        group by l.sku_id
      ), waiting as (
        select l.sku_id, min(l.sku) as sku, sum(l.qty_backordered)::int as backordered from order_lines l where l.qty_backordered > 0 group by l.sku_id
      )
      select coalesce(r.sku_id, w.sku_id) as sku_id, coalesce(r.sku, w.sku) as sku, coalesce(r.units, 0) as units, coalesce(w.backordered, 0) as backordered
      from recent r full join waiting w on w.sku_id = r.sku_id`.execute(this.database.db);
    return r.rows.map((x) => ({ skuId: x.sku_id, sku: x.sku, units: x.units, backordered: x.backordered }));
  }

  /** Per location id: orders with active reservations there and the units they hold. */
  async reservedByLocation(): Promise<Map<string, { orders: number; units: number }>> {
    const r = await sql<{ location_id: string; orders: number; units: number }>`select location_id, count(distinct order_id)::int as orders, sum(qty)::int as units
      from reservations where status = 'active' group by location_id`.execute(this.database.db);
    return new Map(r.rows.map((x) => [x.location_id, { orders: x.orders, units: x.units }]));
  }

  /** The most recent orders (not cancelled), newest first, with their lines: the order mix a routing simulation replays. */
  async recentWithLines(f: { limit: number; since?: string | null; channelId?: string | null }): Promise<Array<{ row: OrderRow; lines: LineRow[] }>> {
    const r = await sql<any>`${ORDER_SELECT}
      where o.status <> 'cancelled'
        and (${f.channelId ?? null}::uuid is null or o.channel_id = ${f.channelId ?? null}::uuid)
        and (${f.since ?? null}::timestamptz is null or o.created_at >= ${f.since ?? null}::timestamptz)
      order by o.created_at desc, o.id desc limit ${f.limit}`.execute(this.database.db);
    const rows = r.rows.map(toOrderRow);
    const lines = rows.length ? await this.#lines(this.database.db as unknown as Tx, rows.map((o) => o.id)) : [];
    const byOrder = new Map<string, LineRow[]>(rows.map((o) => [o.id, []]));
    for (const l of lines) byOrder.get(l.orderId)!.push(l);
    return rows.map((row) => ({ row, lines: byOrder.get(row.id)! }));
  }

  #checkChannel(ctx: Ctx, channelCode: string) {
    if (ctx.principal.role !== 'channel') return;
    // a channel credential sees only its own channel's orders; others' look absent
    const own = this.#channelCodeCache.get(ctx.principal.channelId!);
    if (own !== undefined && own !== channelCode) throw notFound('order', 'requested');
  }
  #channelCodeCache = new Map<string, string>();
  async primeChannel(ctx: Ctx) {
    if (ctx.principal.role === 'channel' && !this.#channelCodeCache.has(ctx.principal.channelId!)) {
      const r = await sql<any>`select code from channels where id = ${ctx.principal.channelId}`.execute(this.database.db);
      if (r.rows[0]) this.#channelCodeCache.set(ctx.principal.channelId!, r.rows[0].code);
    }
  }

  /** Every active reservation belongs to a live order line, and each line's reserved quantity equals its reservations. */
  async verify(): Promise<{ ok: boolean; problems: string[] }> {
    const db = this.database.db;
    const problems: string[] = [];
    const orphans = await sql<any>`select r.id, r.order_line_id, o.status from reservations r
      left join order_lines l on l.id = r.order_line_id left join orders o on o.id = l.order_id
      where r.status = 'active' and (l.id is null or o.status in ('cancelled', 'shipped', 'delivered'))`.execute(db);
    for (const r of orphans.rows) problems.push(`reservation ${r.id}: order line ${r.order_line_id} is ${r.status ? `on a ${r.status} order` : 'missing'}`);
    const mismatch = await sql<any>`select l.id, l.qty_reserved, coalesce(sum(r.qty) filter (where r.status = 'active'), 0) as held
      from order_lines l join skus s on s.id = l.sku_id and not s.is_kit left join reservations r on r.order_line_id = l.id
      group by l.id having l.qty_reserved <> coalesce(sum(r.qty) filter (where r.status = 'active'), 0)`.execute(db);
    for (const m of mismatch.rows) problems.push(`order line ${m.id}: qty_reserved=${m.qty_reserved} but active reservations hold ${m.held}`);
    const balance = await sql<any>`select id from order_lines
      where qty_reserved + qty_backordered + qty_preordered + qty_shipped + qty_cancelled <> qty_ordered`.execute(db);
    for (const b of balance.rows) problems.push(`order line ${b.id}: quantities do not add up to ordered`);
    return { ok: problems.length === 0, problems };
  }

  // ---- changes ----

  /** Locks the order row and reads its lines (for workflows that change quantities). */
  async lockOrder(trx: Tx, id: string): Promise<{ row: OrderRow; lines: LineRow[] }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('order', id);
    const o = await sql<any>`${ORDER_SELECT} where o.id = ${id} for update of o`.execute(trx);
    if (!o.rows[0]) throw notFound('order', id);
    return { row: toOrderRow(o.rows[0]), lines: await this.#lines(trx, [id]) };
  }

  /** The order's latest routing decision event (`order.routed`, or `order.rerouted` with its `decision`), as stored. */
  async lastDecisionEvent(trx: Tx, orderId: string): Promise<{ type: string; data: any } | null> {
    const r = await sql<{ type: string; data: any }>`select type, data from order_events where order_id = ${orderId} and type in ('order.routed', 'order.rerouted')
      order by id desc limit 1`.execute(trx);
    return r.rows[0] ?? null;
  }

  /**
   * Locks the stock rows of an order's SKUs (in key order), then the order: stock before orders, the order that
   * back-order filling and stock shortages take too, so that routing an order again never deadlocks with them.
   */
  async lockStockThenOrder(trx: Tx, id: string): Promise<{ row: OrderRow; lines: LineRow[] }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('order', id);
    const skus = await sql<{ sku_id: string }>`select distinct sku_id from order_lines where order_id = ${id} order by sku_id`.execute(trx);
    await this.inventory.lockStock(trx, skus.rows.map((s) => s.sku_id));
    return this.lockOrder(trx, id);
  }

  #guard(from: OrderState, to: OrderState) {
    const t = transition(from, to);
    if (!t.ok) throw new SwitchyardError('NOT_ALLOWED', t.code, t.message, 'status');
  }

  async hold(ctx: Ctx, id: string, reason: string): Promise<OrderDto> {
    await this.primeChannel(ctx);
    await this.database.transaction(async (trx) => {
      const { row } = await this.lockOrder(trx, id);
      this.#checkChannel(ctx, row.channel);
      this.#guard(row.status, 'on_hold');
      await this.setStatuses(trx, [{ id, status: 'on_hold', heldFrom: row.status }]);
      await this.insertEvents(trx, [{ orderId: id, type: 'order.held', from: row.status, to: 'on_hold', reason, data: {}, actor: ctx.actor }]);
      await publish(trx, [{ topic: 'order.held', aggregateType: 'order', aggregateId: id, payload: { orderId: id, reason } }]);
    });
    return this.get(ctx, id);
  }

  async releaseHold(ctx: Ctx, id: string, reason: string): Promise<OrderDto> {
    await this.database.transaction(async (trx) => {
      const { row, lines } = await this.lockOrder(trx, id);
      if (row.status !== 'on_hold') throw new SwitchyardError('NOT_ALLOWED', 'not_on_hold', `order is ${row.status}, not on hold`, 'status');
      const to = row.heldFrom && !isAllocationState(row.heldFrom) ? row.heldFrom : deriveAllocationState(lines.map((l) => ({ ...l, isKitParent: l.isKit })));
      this.#guard('on_hold', to);
      await this.setStatuses(trx, [{ id, status: to, heldFrom: null }]);
      await this.insertEvents(trx, [{ orderId: id, type: 'order.hold_released', from: 'on_hold', to, reason, data: {}, actor: ctx.actor }]);
      await publish(trx, [{ topic: 'order.hold_released', aggregateType: 'order', aggregateId: id, payload: { orderId: id, status: to, reason } }]);
      // units that waited while the order was held take stock now if there is some
      const waiting = [...new Set(lines.filter((l) => !l.isKit && l.qtyBackordered + l.qtyPreordered > 0).map((l) => l.skuId))];
      if (waiting.length > 0) await this.fillBackorders(trx, ctx, waiting);
    });
    return this.get(ctx, id);
  }

  /** The id of a channel's order by the channel's own id for it, or null. */
  async idByExternal(channelId: string, externalId: string): Promise<string | null> {
    const r = await sql<{ id: string }>`select id from orders where channel_id = ${channelId} and external_id = ${externalId}`.execute(this.database.db);
    return r.rows[0]?.id ?? null;
  }

  /**
   * Cancels the whole order (no `lines`) or quantities of lines. Units waiting (back-/pre-ordered) are cancelled
   * first, then reserved units, whose reservations are released back to stock. Cancelling a kit line cancels
   * its components in proportion.
   */
  async cancel(ctx: Ctx, id: string, reason: string, lines?: Array<{ lineId: string; qty: number }>): Promise<OrderDto> {
    await this.primeChannel(ctx);
    await this.database.transaction(async (trx) => {
      // stock before the order, as every path that moves both takes them (a cancel racing a receipt that fills this
      // order's back-orders would otherwise deadlock)
      const { row, lines: all } = await this.lockStockThenOrder(trx, id);
      this.#checkChannel(ctx, row.channel);
      this.#guard(row.status, 'cancelled');
      const open = (l: LineRow) => l.qtyOrdered - l.qtyCancelled - l.qtyShipped;
      const want = new Map<string, number>();
      if (!lines) for (const l of all) want.set(l.id, open(l));
      else {
        lines.forEach((c, i) => {
          const l = all.find((x) => x.id === c.lineId);
          if (!l || l.kitParentLineId) throw invalid('unknown_line', `line ${c.lineId} is not a line of this order`, `lines/${i}/lineId`);
          if (c.qty > open(l)) throw invalid('invalid_quantity', `only ${open(l)} units of line ${l.lineNo} can be cancelled`, `lines/${i}/qty`);
          want.set(l.id, (want.get(l.id) ?? 0) + c.qty);
          if (l.isKit) for (const comp of all.filter((x) => x.kitParentLineId === l.id)) want.set(comp.id, (want.get(comp.id) ?? 0) + c.qty * comp.perKitQty!);
        });
      }
      const active = await sql<any>`select id, order_line_id, qty from reservations where order_id = ${id} and status = 'active' order by created_at desc, id desc for update`.execute(trx);
      const toRelease: Array<{ reservationId: string; qty: number }> = [];
      for (const l of all) {
        let q = want.get(l.id) ?? 0;
        if (q <= 0) continue;
        const fromWaiting = Math.min(q, l.qtyBackordered + l.qtyPreordered);
        const fromBack = Math.min(fromWaiting, l.qtyBackordered);
        l.qtyBackordered -= fromBack;
        l.qtyPreordered -= fromWaiting - fromBack;
        l.qtyCancelled += q;
        q -= fromWaiting;
        l.qtyReserved -= Math.min(q, l.qtyReserved);
        if (l.isKit) continue;
        for (const r of active.rows.filter((x) => x.order_line_id === l.id)) {
          if (q <= 0) break;
          const take = Math.min(q, r.qty);
          toRelease.push({ reservationId: r.id, qty: take });
          q -= take;
        }
      }
      const released = await this.inventory.releaseReservations(trx, ctx.actor, toRelease, 'release', `cancelled: ${reason}`);
      await this.writeLineQuantities(trx, all);
      const derived = deriveAllocationState(all.map((l) => ({ ...l, isKitParent: l.isKit })));
      const to: OrderState = row.status === 'on_hold' && derived !== 'cancelled' ? 'on_hold' : derived;
      await this.setStatuses(trx, [{ id, status: to, heldFrom: to === 'on_hold' ? row.heldFrom : null }]);
      const data = { lines: [...want].filter(([, q]) => q > 0).map(([lineId, qty]) => ({ lineId, qty })), released: released.map((r) => ({ reservationId: r.reservationId, qty: r.qty })) };
      await this.insertEvents(trx, [{ orderId: id, type: to === 'cancelled' ? 'order.cancelled' : 'order.lines_cancelled', from: row.status, to, reason, data, actor: ctx.actor }]);
      const events: DomainEvent[] = [{ topic: to === 'cancelled' ? 'order.cancelled' : 'order.lines_cancelled', aggregateType: 'order', aggregateId: id, payload: { orderId: id, status: to, reason, ...data } }];
      if (released.length > 0) {
        const code = new Map(all.map((l) => [l.skuId, l.sku]));
        events.push(inventoryChanged(released.map((r) => code.get(r.skuId) ?? r.skuId), 'release'));
      }
      await publish(trx, events);
      if (released.length > 0) await this.fillBackorders(trx, ctx, [...new Set(released.map((r) => r.skuId))]);
    });
    return this.get(ctx, id);
  }

  async writeLineQuantities(trx: Tx, lines: LineRow[]) {
    if (lines.length === 0) return;
    await sql`update order_lines l set qty_reserved = t.r, qty_backordered = t.b, qty_preordered = t.p, qty_cancelled = t.c
      from unnest(${lines.map((l) => l.id)}::uuid[], ${lines.map((l) => l.qtyReserved)}::int[], ${lines.map((l) => l.qtyBackordered)}::int[],
        ${lines.map((l) => l.qtyPreordered)}::int[], ${lines.map((l) => l.qtyCancelled)}::int[]) as t(id, r, b, p, c)
      where l.id = t.id`.execute(trx);
  }

  /** Stock shrank under reservations (count, adjustment, safety stock): those units go back to waiting. */
  readonly onShortage = async (trx: Tx, ctx: Ctx, released: ReleasedReservation[], reason: string) => {
    const byOrder = new Map<string, ReleasedReservation[]>();
    for (const r of released) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r]);
    for (const [orderId, rs] of byOrder) {
      const { row, lines } = await this.lockOrder(trx, orderId);
      for (const r of rs) {
        const l = lines.find((x) => x.id === r.orderLineId)!;
        l.qtyReserved -= r.qty;
        l.qtyBackordered += r.qty;
      }
      this.recomputeKits(lines);
      await this.writeLineQuantities(trx, lines);
      const derived = deriveAllocationState(lines.map((l) => ({ ...l, isKitParent: l.isKit })));
      const to = row.status === 'on_hold' ? 'on_hold' : derived;
      await this.setStatuses(trx, [{ id: orderId, status: to, heldFrom: row.heldFrom }]);
      await this.insertEvents(trx, [{ orderId, type: 'order.backordered', from: row.status, to, reason, data: { released: rs.map((r) => ({ lineId: r.orderLineId, qty: r.qty })) }, actor: ctx.actor }]);
      await publish(trx, [{ topic: 'order.backordered', aggregateType: 'order', aggregateId: orderId, payload: { orderId, status: to, reason } }]);
    }
  };

  recomputeKits(lines: LineRow[]) {
    for (const k of lines.filter((l) => l.isKit)) {
      const comps = lines.filter((c) => c.kitParentLineId === k.id);
      const kits = Math.min(...comps.map((c) => Math.floor((c.qtyReserved + c.qtyShipped) / c.perKitQty!)));
      const open = k.qtyOrdered - k.qtyCancelled;
      k.qtyReserved = Math.min(kits, open);
      const waiting = open - k.qtyReserved;
      const pre = comps.some((c) => c.qtyPreordered > 0) && !comps.some((c) => c.qtyBackordered > 0);
      k.qtyPreordered = pre ? waiting : 0;
      k.qtyBackordered = pre ? 0 : waiting;
    }
  }

  /** Stock grew: waiting (back-/pre-ordered) lines for these SKUs take it, oldest order first. */
  readonly fillBackorders = async (trx: Tx, ctx: Ctx, skuIds: string[]) => {
    const waiting = await sql<any>`select distinct o.id, o.created_at from order_lines l join orders o on o.id = l.order_id
      where l.sku_id = any(${skuIds}::uuid[]) and (l.qty_backordered > 0 or l.qty_preordered > 0) and o.status not in ('cancelled')
      order by o.created_at, o.id limit 500`.execute(trx);
    if (waiting.rows.length === 0) return;
    const orderIds: string[] = waiting.rows.map((w) => w.id);
    // which SKUs the waiting lines need, to lock their stock first (the same order every path uses: stock, then orders)
    const peek = await this.#lines(trx, orderIds);
    const stockSkus = [...new Set(peek.filter((l) => !l.isKit && l.qtyBackordered + l.qtyPreordered > 0).map((l) => l.skuId))].sort();
    const rows = await this.inventory.lockStock(trx, stockSkus);
    const pool = new StockPool(rows, await this.inventory.protections(trx, stockSkus), await this.locations.listCached(trx));
    const orders = new Map<string, OrderRow>();
    const o = await sql<any>`${ORDER_SELECT} where o.id = any(${orderIds}::uuid[]) order by o.id for update of o`.execute(trx);
    for (const r of o.rows) orders.set(r.id, toOrderRow(r));
    // read the lines again now that the orders are locked: a concurrent cancel or shortage may have changed them
    const all = await this.#lines(trx, orderIds);
    const channels = new Map<string, import('../channels/channels.service.ts').Channel>();
    for (const ord of orders.values()) if (!channels.has(ord.channelId)) channels.set(ord.channelId, (await this.channels.getCached(trx, ord.channel))!);
    // the strategy needs each SKU's facts (hazmat, weight, size, HS code) exactly as at capture
    const skus = await this.catalog.resolveSkusCached(trx, [...new Set(all.map((l) => l.sku))]);
    const demands: OrderDemand[] = orderIds.filter((id) => orders.has(id)).map((id) => {
      const ord = orders.get(id)!;
      const lines = all.filter((l) => l.orderId === id);
      const demand: DemandLine[] = lines
        .filter((l) => !l.isKit && l.qtyBackordered + l.qtyPreordered > 0)
        .map((l) => demandLine(skus.get(l.sku)!, l.id, l.qtyBackordered + l.qtyPreordered, l.unitPriceMinor));
      const kits = lines.filter((l) => l.isKit).map((k) => ({
        components: lines.filter((c) => c.kitParentLineId === k.id && c.qtyBackordered + c.qtyPreordered > 0).map((c) => ({ lineId: c.id, perKit: c.perKitQty! })),
      })).filter((k) => k.components.length > 0);
      return {
        order: allocationOrder(ord, ord.createdAt),
        lines: demand,
        kits,
      };
    });
    const bound = await this.strategy(trx, pool.locations, new Date());
    const allocations = allocateAll(pool, bound.strategy, demands, channels);
    // (inside the caller's transaction: a rollback after this leaves the soft daily count a little high)
    bound.persist?.();
    const reservations: Array<{ orderId: string; orderLineId: string; skuId: string; locationId: string; qty: number }> = [];
    const changed: LineRow[] = [];
    const statuses: Array<{ id: string; status: OrderState; heldFrom: OrderState | null }> = [];
    const audit: AuditEvent[] = [];
    const events: DomainEvent[] = [];
    for (const [orderId, alloc] of allocations) {
      if (alloc.assignments.length === 0) continue;
      const ord = orders.get(orderId)!;
      const lines = all.filter((l) => l.orderId === orderId);
      for (const a of alloc.assignments) {
        const l = lines.find((x) => x.id === a.lineId)!;
        const fromBack = Math.min(a.qty, l.qtyBackordered);
        l.qtyBackordered -= fromBack;
        l.qtyPreordered -= a.qty - fromBack;
        l.qtyReserved += a.qty;
        reservations.push({ orderId, orderLineId: l.id, skuId: l.skuId, locationId: a.locationId, qty: a.qty });
      }
      this.recomputeKits(lines);
      changed.push(...lines);
      const derived = deriveAllocationState(lines.map((l) => ({ ...l, isKitParent: l.isKit })));
      const to = ord.status === 'on_hold' ? 'on_hold' : derived;
      statuses.push({ id: orderId, status: to, heldFrom: ord.heldFrom });
      audit.push({ orderId, type: 'order.allocated', from: ord.status, to, reason: 'stock_available', data: { reservations: alloc.assignments }, actor: ctx.actor });
      events.push({ topic: 'order.allocated', aggregateType: 'order', aggregateId: orderId, payload: { orderId, status: to } });
    }
    if (reservations.length === 0) return;
    await this.inventory.reserveMany(trx, ctx.actor, reservations);
    await this.writeLineQuantities(trx, changed);
    await this.setStatuses(trx, statuses);
    await this.insertEvents(trx, audit);
    await publish(trx, events);
  };
}
