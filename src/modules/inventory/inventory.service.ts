import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { publish, type DomainEvent } from '../events/outbox.ts';

/**
 * The one shape of `inventory.changed`: the SKUs (codes) whose available-to-sell may have changed, and why
 * (reservation, release, receipt, adjustment, cycle_count, safety_stock, transfer). Coalesced per transaction:
 * channel sync wants "these SKUs changed", not one message per unit.
 */
export function inventoryChanged(skus: readonly string[], cause: string): DomainEvent {
  const list = [...new Set(skus)].sort();
  return { topic: 'inventory.changed', aggregateType: 'sku', aggregateId: list.length === 1 ? list[0]! : 'batch', payload: { skus: list, cause } };
}

export interface Availability {
  sku: string;
  kit: boolean;
  onHand?: number;
  reserved?: number;
  available: number;
  components?: Array<{ sku: string; perKit: number; available: number }>;
  locations: Array<{ location: string; available: number; onHand?: number; reserved?: number; safetyStock?: number }>;
}

export type LedgerKind =
  | 'receipt' | 'adjustment' | 'cycle_count' | 'reservation' | 'release' | 'shipment'
  | 'return_restock' | 'transfer_out' | 'transfer_in' | 'safety_stock';

export interface StockRow {
  skuId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}
/** Units that can still be reserved at a location: on hand less reserved less safety stock. */
export const sellable = (r: StockRow) => Math.max(0, r.onHand - r.safetyStock - r.reserved);

export interface ReservationToMake {
  orderId: string;
  orderLineId: string;
  skuId: string;
  locationId: string;
  qty: number;
}
export interface ReleasedReservation {
  reservationId: string;
  orderId: string;
  orderLineId: string;
  skuId: string;
  locationId: string;
  qty: number;
}
/** Called in the same transaction when stock shrinks below what is reserved and reservations had to be given up. */
export type ShortageHandler = (trx: Tx, ctx: Ctx, released: ReleasedReservation[], reason: string) => Promise<void>;
/** Called in the same transaction after stock grows, so back-orders can take it. */
export type ReplenishHandler = (trx: Tx, ctx: Ctx, skuIds: string[]) => Promise<void>;

interface Movement {
  skuId: string;
  locationId: string;
  kind: LedgerKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  reference: string | null;
}

/**
 * Stock per (SKU, location) and its append-only ledger. Every change goes through `#apply`, which writes the
 * balance and its ledger row together, so balances always equal the ledger. Reserved quantity changes only
 * through reservations. The database enforces `reserved <= on_hand - safety_stock` (CHECK), so no code path
 * can oversell even if it has a bug.
 */
export class InventoryService {
  shortageHandler: ShortageHandler = async () => {};
  replenishHandler: ReplenishHandler = async () => {};
  constructor(private readonly database: Database) {}

  /** Locks the stock rows of these SKUs at every location, in key order (no deadlocks between batches). */
  async lockStock(trx: Tx, skuIds: string[]): Promise<StockRow[]> {
    if (skuIds.length === 0) return [];
    const r = await sql<any>`select sku_id, location_id, on_hand, reserved, safety_stock from stock
      where sku_id = any(${skuIds}::uuid[]) order by sku_id, location_id for update`.execute(trx);
    return r.rows.map((x) => ({ skuId: x.sku_id, locationId: x.location_id, onHand: x.on_hand, reserved: x.reserved, safetyStock: x.safety_stock }));
  }

  /** Protected quantities per (SKU, channel) for these SKUs. */
  async protections(trx: Tx, skuIds: string[]): Promise<Array<{ skuId: string; channelId: string; qty: number }>> {
    if (skuIds.length === 0) return [];
    const r = await sql<any>`select sku_id, channel_id, qty from channel_protections where sku_id = any(${skuIds}::uuid[]) and qty > 0`.execute(trx);
    return r.rows.map((x) => ({ skuId: x.sku_id, channelId: x.channel_id, qty: x.qty }));
  }

  /** Reads stock rows without locking them (an optimistic capture checks them again under lock at the end). */
  async readStock(trx: Tx, skuIds: string[]): Promise<StockRow[]> {
    if (skuIds.length === 0) return [];
    const r = await sql<any>`select sku_id, location_id, on_hand, reserved, safety_stock from stock where sku_id = any(${skuIds}::uuid[])`.execute(trx);
    return r.rows.map((x) => ({ skuId: x.sku_id, locationId: x.location_id, onHand: x.on_hand, reserved: x.reserved, safetyStock: x.safety_stock }));
  }

  /** Writes reservations, their stock balance change and ledger rows: set-based statements for any number. */
  async reserveMany(trx: Tx, actor: string, items: ReservationToMake[]): Promise<void> {
    await this.insertReservations(trx, actor, items);
    await this.applyReservations(trx, actor, items, false);
  }

  /** The reservation rows and their ledger rows (the stock balance moves in `applyReservations`). */
  async insertReservations(trx: Tx, actor: string, items: ReservationToMake[]): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map(() => uuidv7());
    await sql`insert into reservations (id, order_id, order_line_id, sku_id, location_id, qty)
      select * from unnest(${ids}::uuid[], ${items.map((i) => i.orderId)}::uuid[], ${items.map((i) => i.orderLineId)}::uuid[],
        ${items.map((i) => i.skuId)}::uuid[], ${items.map((i) => i.locationId)}::uuid[], ${items.map((i) => i.qty)}::int[])`.execute(trx);
    await this.#ledger(trx, actor, items.map((i) => ({ skuId: i.skuId, locationId: i.locationId, kind: 'reservation', onHandDelta: 0, reservedDelta: i.qty, reason: null, reference: `order:${i.orderId}` })));
  }

  /**
   * Moves the reserved balances. With `verify`, first locks exactly the rows it will change (key order: no
   * deadlocks) and checks each still has the units; returns false, changing nothing, when one does not.
   */
  async applyReservations(trx: Tx, _actor: string, items: ReservationToMake[], verify: boolean): Promise<boolean> {
    if (items.length === 0) return true;
    const agg = new Map<string, { skuId: string; locationId: string; qty: number }>();
    for (const i of items) {
      const k = `${i.skuId}|${i.locationId}`;
      const a = agg.get(k) ?? { skuId: i.skuId, locationId: i.locationId, qty: 0 };
      a.qty += i.qty;
      agg.set(k, a);
    }
    const rows = [...agg.values()].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : a.locationId < b.locationId ? -1 : 1));
    if (verify) {
      const r = await sql<any>`select s.sku_id, s.location_id, s.on_hand, s.reserved, s.safety_stock from stock s
        join unnest(${rows.map((x) => x.skuId)}::uuid[], ${rows.map((x) => x.locationId)}::uuid[]) as t(sku_id, location_id)
          on s.sku_id = t.sku_id and s.location_id = t.location_id
        order by s.sku_id, s.location_id for update of s`.execute(trx);
      const now = new Map(r.rows.map((x) => [`${x.sku_id}|${x.location_id}`, { skuId: x.sku_id, locationId: x.location_id, onHand: x.on_hand, reserved: x.reserved, safetyStock: x.safety_stock }]));
      for (const x of rows) {
        const cur = now.get(`${x.skuId}|${x.locationId}`);
        if (!cur || sellable(cur) < x.qty) return false;
      }
    }
    await sql`update stock s set reserved = s.reserved + d.q, updated_at = now()
      from unnest(${rows.map((r) => r.skuId)}::uuid[], ${rows.map((r) => r.locationId)}::uuid[], ${rows.map((r) => r.qty)}::int[]) as d(sku_id, location_id, q)
      where s.sku_id = d.sku_id and s.location_id = d.location_id`.execute(trx);
    return true;
  }

  /** Releases (or ships) active reservations, whole or in part. Returns what was released. */
  async releaseReservations(
    trx: Tx,
    actor: string,
    items: Array<{ reservationId: string; qty: number }>,
    kind: 'release' | 'shipment' = 'release',
    reason: string | null = null,
  ): Promise<ReleasedReservation[]> {
    if (items.length === 0) return [];
    const r = await sql<any>`
      with req as (select * from unnest(${items.map((i) => i.reservationId)}::uuid[], ${items.map((i) => i.qty)}::int[]) as t(id, qty)),
      old as (select r.id, r.qty as old_qty, least(r.qty, req.qty) as take from reservations r join req on req.id = r.id where r.status = 'active'),
      upd as (
        update reservations r set qty = case when old.old_qty > old.take then old.old_qty - old.take else old.old_qty end,
          status = case when old.old_qty > old.take then 'active' else ${kind === 'shipment' ? 'shipped' : 'released'} end,
          closed_at = case when old.old_qty > old.take then null else now() end
        from old where r.id = old.id
        returning r.id, r.order_id, r.order_line_id, r.sku_id, r.location_id, old.take as released
      ) select * from upd order by id`.execute(trx);
    const released: ReleasedReservation[] = r.rows.map((x) => ({
      reservationId: x.id, orderId: x.order_id, orderLineId: x.order_line_id, skuId: x.sku_id, locationId: x.location_id, qty: x.released,
    }));
    await this.#applyMany(
      trx,
      actor,
      released.map((x) => ({
        skuId: x.skuId, locationId: x.locationId, kind, onHandDelta: kind === 'shipment' ? -x.qty : 0, reservedDelta: -x.qty,
        reason, reference: `order:${x.orderId}`,
      })),
    );
    return released;
  }

  async activeReservations(trx: Tx, orderId: string) {
    const r = await sql<any>`select id, order_line_id, sku_id, location_id, qty, status, created_at from reservations
      where order_id = ${orderId} order by created_at, id`.execute(trx);
    return r.rows;
  }

  // ---- stock movements (each one transaction, each one ledger row per stock row touched) ----

  async receive(ctx: Ctx, i: { sku: string; location: string; qty: number; reason?: string; reference?: string }) {
    if (i.qty <= 0) throw invalid('invalid_quantity', 'qty must be positive', 'qty');
    return this.#movement(ctx, i.sku, i.location, 'receipt', async (trx, row) => {
      await this.#apply(trx, ctx.actor, { skuId: row.skuId, locationId: row.locationId, kind: 'receipt', onHandDelta: i.qty, reservedDelta: 0, reason: i.reason ?? null, reference: i.reference ?? null });
      return true;
    });
  }

  async adjust(ctx: Ctx, i: { sku: string; location: string; delta: number; reason: string; reference?: string }) {
    if (i.delta === 0) throw invalid('invalid_quantity', 'delta must not be zero', 'delta');
    return this.#movement(ctx, i.sku, i.location, 'adjustment', async (trx, row) => {
      if (row.onHand + i.delta < 0) throw conflict('insufficient_stock', `only ${row.onHand} on hand`, 'delta');
      await this.#shrink(trx, ctx, row, row.onHand + i.delta, row.safetyStock, 'adjustment');
      await this.#apply(trx, ctx.actor, { skuId: row.skuId, locationId: row.locationId, kind: 'adjustment', onHandDelta: i.delta, reservedDelta: 0, reason: i.reason, reference: i.reference ?? null });
      return i.delta > 0;
    });
  }

  /** Cycle count: sets on hand to what was counted. A count is the truth: reservations above it are given up. */
  async count(ctx: Ctx, i: { sku: string; location: string; counted: number; reason?: string; reference?: string }) {
    if (i.counted < 0) throw invalid('invalid_quantity', 'counted must not be negative', 'counted');
    return this.#movement(ctx, i.sku, i.location, 'cycle_count', async (trx, row) => {
      const delta = i.counted - row.onHand;
      await this.#shrink(trx, ctx, row, i.counted, row.safetyStock, 'cycle_count');
      await this.#apply(trx, ctx.actor, { skuId: row.skuId, locationId: row.locationId, kind: 'cycle_count', onHandDelta: delta, reservedDelta: 0, reason: i.reason ?? `counted ${i.counted}`, reference: i.reference ?? null });
      return delta > 0;
    });
  }

  async setSafetyStock(ctx: Ctx, i: { sku: string; location: string; qty: number }) {
    if (i.qty < 0) throw invalid('invalid_quantity', 'qty must not be negative', 'qty');
    return this.#movement(ctx, i.sku, i.location, 'safety_stock', async (trx, row) => {
      await this.#shrink(trx, ctx, row, row.onHand, i.qty, 'safety_stock');
      await sql`update stock set safety_stock = ${i.qty}, updated_at = now() where sku_id = ${row.skuId} and location_id = ${row.locationId}`.execute(trx);
      await this.#apply(trx, ctx.actor, { skuId: row.skuId, locationId: row.locationId, kind: 'safety_stock', onHandDelta: 0, reservedDelta: 0, reason: `safety stock ${row.safetyStock} -> ${i.qty}`, reference: null });
      return i.qty < row.safetyStock;
    });
  }

  /** Moves unreserved units between locations (never takes units that are reserved or held as safety stock). */
  async transfer(ctx: Ctx, i: { sku: string; from: string; to: string; qty: number; reference?: string }) {
    if (i.qty <= 0) throw invalid('invalid_quantity', 'qty must be positive', 'qty');
    if (i.from === i.to) throw invalid('same_location', 'from and to must differ', 'to');
    const ref = i.reference ?? `transfer:${uuidv7()}`;
    await this.database.transaction(async (trx) => {
      const { skuId, locs } = await this.#resolve(trx, i.sku, [i.from, i.to]);
      const [fromId, toId] = [locs.get(i.from)!, locs.get(i.to)!];
      const rows = await this.#lockRows(trx, skuId, [fromId, toId].sort());
      const from = rows.find((r) => r.locationId === fromId)!;
      if (sellable(from) < i.qty) throw conflict('insufficient_free_stock', `only ${sellable(from)} unreserved units at ${i.from}`, 'qty');
      await this.#apply(trx, ctx.actor, { skuId, locationId: fromId, kind: 'transfer_out', onHandDelta: -i.qty, reservedDelta: 0, reason: `to ${i.to}`, reference: ref });
      await this.#apply(trx, ctx.actor, { skuId, locationId: toId, kind: 'transfer_in', onHandDelta: i.qty, reservedDelta: 0, reason: `from ${i.from}`, reference: ref });
      await publish(trx, [inventoryChanged([i.sku], 'transfer')]);
      await this.replenishHandler(trx, ctx, [skuId]);
    });
    return this.availability(i.sku);
  }

  async #movement(ctx: Ctx, sku: string, location: string, cause: string, fn: (trx: Tx, row: StockRow) => Promise<boolean>) {
    await this.database.transaction(async (trx) => {
      const { skuId, locs } = await this.#resolve(trx, sku, [location]);
      const [row] = await this.#lockRows(trx, skuId, [locs.get(location)!]);
      const grew = await fn(trx, row!);
      await publish(trx, [inventoryChanged([sku], cause)]);
      if (grew) await this.replenishHandler(trx, ctx, [skuId]);
    });
    return this.availability(sku);
  }

  async #resolve(trx: Tx, sku: string, locationCodes: string[]) {
    const s = await sql<{ id: string; is_kit: boolean }>`select id, is_kit from skus where sku = ${sku}`.execute(trx);
    if (!s.rows[0]) throw invalid('unknown_sku', `SKU ${sku} does not exist`, 'sku');
    if (s.rows[0].is_kit) throw invalid('kit_not_stocked', `SKU ${sku} is a kit: stock its components`, 'sku');
    const l = await sql<{ id: string; code: string }>`select id, code from locations where code = any(${locationCodes}::text[])`.execute(trx);
    const locs = new Map(l.rows.map((r) => [r.code, r.id]));
    const missing = locationCodes.find((c) => !locs.has(c));
    if (missing) throw invalid('unknown_location', `location ${missing} does not exist`, locationCodes.length > 1 ? (missing === locationCodes[0] ? 'from' : 'to') : 'location');
    return { skuId: s.rows[0].id, locs };
  }

  /** Creates missing stock rows, then locks them in key order. */
  async #lockRows(trx: Tx, skuId: string, locationIds: string[]): Promise<StockRow[]> {
    await sql`insert into stock (sku_id, location_id) select ${skuId}, unnest(${locationIds}::uuid[]) on conflict do nothing`.execute(trx);
    const r = await sql<any>`select sku_id, location_id, on_hand, reserved, safety_stock from stock
      where sku_id = ${skuId} and location_id = any(${locationIds}::uuid[]) order by location_id for update`.execute(trx);
    return r.rows.map((x) => ({ skuId: x.sku_id, locationId: x.location_id, onHand: x.on_hand, reserved: x.reserved, safetyStock: x.safety_stock }));
  }

  /** When stock falls below what is reserved, gives up the newest reservations first and tells the orders side. */
  async #shrink(trx: Tx, ctx: Ctx, row: StockRow, newOnHand: number, newSafety: number, reason: string) {
    let shortage = row.reserved - Math.max(newOnHand - newSafety, 0);
    if (shortage <= 0) return;
    const r = await sql<any>`select id, qty from reservations where sku_id = ${row.skuId} and location_id = ${row.locationId}
      and status = 'active' order by created_at desc, id desc for update`.execute(trx);
    const take: Array<{ reservationId: string; qty: number }> = [];
    for (const res of r.rows) {
      if (shortage <= 0) break;
      const q = Math.min(res.qty, shortage);
      take.push({ reservationId: res.id, qty: q });
      shortage -= q;
    }
    const released = await this.releaseReservations(trx, ctx.actor, take, 'release', `stock_shortage:${reason}`);
    await this.shortageHandler(trx, ctx, released, `stock_shortage:${reason}`);
  }

  async #apply(trx: Tx, actor: string, m: Movement) {
    await this.#applyMany(trx, actor, [m]);
  }

  /** Balance update (aggregated per stock row) and one ledger row per movement. */
  async #applyMany(trx: Tx, actor: string, ms: Movement[]) {
    if (ms.length === 0) return;
    const agg = new Map<string, { skuId: string; locationId: string; onHand: number; reserved: number }>();
    for (const m of ms) {
      const k = `${m.skuId}|${m.locationId}`;
      const a = agg.get(k) ?? { skuId: m.skuId, locationId: m.locationId, onHand: 0, reserved: 0 };
      a.onHand += m.onHandDelta;
      a.reserved += m.reservedDelta;
      agg.set(k, a);
    }
    const rows = [...agg.values()].sort((a, b) => (a.skuId + a.locationId < b.skuId + b.locationId ? -1 : 1));
    await sql`update stock s set on_hand = s.on_hand + d.oh, reserved = s.reserved + d.rs, updated_at = now()
      from unnest(${rows.map((r) => r.skuId)}::uuid[], ${rows.map((r) => r.locationId)}::uuid[], ${rows.map((r) => r.onHand)}::int[], ${rows.map((r) => r.reserved)}::int[])
        as d(sku_id, location_id, oh, rs)
      where s.sku_id = d.sku_id and s.location_id = d.location_id`.execute(trx);
    await this.#ledger(trx, actor, ms);
  }

  async #ledger(trx: Tx, actor: string, ms: Movement[]) {
    if (ms.length === 0) return;
    await sql`insert into inventory_ledger (sku_id, location_id, kind, on_hand_delta, reserved_delta, reason, reference, actor)
      select sku_id, location_id, kind, oh, rs, reason, ref, ${actor} from unnest(${ms.map((m) => m.skuId)}::uuid[], ${ms.map((m) => m.locationId)}::uuid[],
        ${ms.map((m) => m.kind)}::text[], ${ms.map((m) => m.onHandDelta)}::int[], ${ms.map((m) => m.reservedDelta)}::int[],
        ${ms.map((m) => m.reason)}::text[], ${ms.map((m) => m.reference)}::text[]) as t(sku_id, location_id, kind, oh, rs, reason, ref)`.execute(trx);
  }

  // ---- reads ----

  /** Sellable units per SKU across the network (on hand − safety stock − reserved per location, floored at 0). */
  async freeBySku(skuIds: readonly string[]): Promise<Map<string, number>> {
    if (skuIds.length === 0) return new Map();
    const r = await sql<{ sku_id: string; free: number }>`select sku_id, sum(greatest(on_hand - safety_stock - reserved, 0))::int as free
      from stock where sku_id = any(${[...skuIds]}::uuid[]) group by sku_id`.execute(this.database.db);
    return new Map(r.rows.map((x) => [x.sku_id, x.free]));
  }

  async availability(sku: string): Promise<Availability> {
    const db = this.database.db;
    const s = await sql<any>`select id, sku, is_kit from skus where sku = ${sku}`.execute(db);
    if (!s.rows[0]) throw notFound('sku', sku);
    const { id, is_kit } = s.rows[0];
    if (is_kit) {
      const comps = await sql<any>`select cs.sku, c.qty from kit_components c join skus cs on cs.id = c.component_sku_id where c.kit_sku_id = ${id} order by cs.sku`.execute(db);
      const parts: Array<{ sku: string; perKit: number; a: Availability }> = await Promise.all(comps.rows.map(async (c) => ({ sku: c.sku as string, perKit: c.qty as number, a: await this.availability(c.sku) })));
      const locations = new Map<string, number>();
      for (const p of parts) for (const l of p.a.locations) locations.set(l.location, Math.min(locations.get(l.location) ?? Infinity, Math.floor(l.available / p.perKit)));
      for (const [loc] of locations) if (!parts.every((p) => p.a.locations.some((l) => l.location === loc))) locations.set(loc, 0);
      return {
        sku,
        kit: true,
        components: parts.map((p) => ({ sku: p.sku, perKit: p.perKit, available: p.a.available })),
        available: parts.length ? Math.min(...parts.map((p) => Math.floor(p.a.available / p.perKit))) : 0,
        locations: [...locations].map(([location, available]) => ({ location, available })),
      };
    }
    const r = await sql<any>`select l.code, st.on_hand, st.reserved, st.safety_stock from stock st join locations l on l.id = st.location_id
      where st.sku_id = ${id} order by l.priority, l.code`.execute(db);
    const locations = r.rows.map((x) => ({
      location: x.code as string, onHand: x.on_hand as number, reserved: x.reserved as number, safetyStock: x.safety_stock as number,
      available: sellable({ skuId: id, locationId: '', onHand: x.on_hand, reserved: x.reserved, safetyStock: x.safety_stock }),
    }));
    return {
      sku,
      kit: false,
      onHand: locations.reduce((a, l) => a + l.onHand, 0),
      reserved: locations.reduce((a, l) => a + l.reserved, 0),
      available: locations.reduce((a, l) => a + l.available, 0),
      locations,
    };
  }

  /**
   * Available-to-sell for a channel: free units at the locations that feed it, never more than the network's
   * free units less other channels' protected quantities, less the channel's buffer. Kits: min over components.
   */
  async availableToSell(channel: { id: string; buffer: number }, sku: string): Promise<number> {
    const db = this.database.db;
    const s = await sql<any>`select id, is_kit from skus where sku = ${sku}`.execute(db);
    if (!s.rows[0]) throw notFound('sku', sku);
    const one = async (skuId: string) => {
      const r = await sql<any>`
        with free as (select st.location_id, greatest(st.on_hand - st.safety_stock - st.reserved, 0) as f from stock st where st.sku_id = ${skuId})
        select (select coalesce(sum(f), 0) from free) as network,
          (select coalesce(sum(f), 0) from free join channel_locations cl on cl.location_id = free.location_id and cl.channel_id = ${channel.id}
             join locations l on l.id = free.location_id and l.active) as channel_free,
          (select coalesce(sum(qty), 0) from channel_protections where sku_id = ${skuId} and channel_id <> ${channel.id}) as protected_others`.execute(db);
      const x = r.rows[0];
      return Math.max(0, Math.min(x.channel_free, x.network - x.protected_others));
    };
    let units: number;
    if (s.rows[0].is_kit) {
      const comps = await sql<any>`select component_sku_id, qty from kit_components where kit_sku_id = ${s.rows[0].id}`.execute(db);
      const per = await Promise.all(comps.rows.map(async (c) => Math.floor((await one(c.component_sku_id)) / c.qty)));
      units = per.length ? Math.min(...per) : 0;
    } else units = await one(s.rows[0].id);
    return Math.max(0, units - channel.buffer);
  }

  async ledger(sku: string, opts: { location?: string; limit: number; afterId?: number }) {
    const r = await sql<any>`select g.id, l.code as location, g.kind, g.on_hand_delta, g.reserved_delta, g.reason, g.reference, g.actor, g.created_at
      from inventory_ledger g join skus s on s.id = g.sku_id join locations l on l.id = g.location_id
      where s.sku = ${sku} and (${opts.location ?? null}::text is null or l.code = ${opts.location ?? null})
        and g.id > ${opts.afterId ?? 0} order by g.id limit ${opts.limit}`.execute(this.database.db);
    return r.rows.map((x) => ({
      id: x.id, location: x.location, kind: x.kind, onHandDelta: x.on_hand_delta, reservedDelta: x.reserved_delta,
      reason: x.reason, reference: x.reference, actor: x.actor, at: x.created_at,
    }));
  }

  /** Checks every balance against its ledger and every active reservation against the stock it holds. */
  async verify(): Promise<{ ok: boolean; problems: string[] }> {
    const db = this.database.db;
    const problems: string[] = [];
    const bal = await sql<any>`
      select s.sku_id, s.location_id, s.on_hand, s.reserved, coalesce(g.oh, 0) as ledger_on_hand, coalesce(g.rs, 0) as ledger_reserved
      from stock s full outer join (select sku_id, location_id, sum(on_hand_delta) oh, sum(reserved_delta) rs from inventory_ledger group by 1, 2) g
        on g.sku_id = s.sku_id and g.location_id = s.location_id
      where coalesce(s.on_hand, 0) <> coalesce(g.oh, 0) or coalesce(s.reserved, 0) <> coalesce(g.rs, 0)`.execute(db);
    for (const b of bal.rows) problems.push(`stock ${b.sku_id}@${b.location_id}: balance on_hand=${b.on_hand} reserved=${b.reserved}, ledger on_hand=${b.ledger_on_hand} reserved=${b.ledger_reserved}`);
    const res = await sql<any>`
      select s.sku_id, s.location_id, s.reserved, coalesce(r.q, 0) as held from stock s
      full outer join (select sku_id, location_id, sum(qty) q from reservations where status = 'active' group by 1, 2) r
        on r.sku_id = s.sku_id and r.location_id = s.location_id
      where coalesce(s.reserved, 0) <> coalesce(r.q, 0)`.execute(db);
    for (const b of res.rows) problems.push(`stock ${b.sku_id}@${b.location_id}: reserved=${b.reserved} but active reservations hold ${b.held}`);
    const over = await sql<any>`select sku_id, location_id, on_hand, reserved, safety_stock from stock where reserved > greatest(on_hand - safety_stock, 0) or on_hand < 0`.execute(db);
    for (const b of over.rows) problems.push(`stock ${b.sku_id}@${b.location_id}: oversold (on_hand=${b.on_hand}, reserved=${b.reserved}, safety=${b.safety_stock})`);
    return { ok: problems.length === 0, problems };
  }
}
