import type { AllocationOrder, DemandLine } from '../domain/allocation/allocation.ts';
import type { RoutingDecision } from '../domain/routing/index.ts';
import type { Ctx } from '../platform/context.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, invalid } from '../platform/errors.ts';
import type { CatalogService, SkuInfo } from '../modules/catalog/catalog.service.ts';
import type { ChannelService } from '../modules/channels/channels.service.ts';
import type { InventoryService } from '../modules/inventory/inventory.service.ts';
import type { LocationService } from '../modules/locations/locations.service.ts';
import type { RoutingEngine } from '../modules/routing/routing.engine.ts';
import type { RoutingProfileService } from '../modules/routing/routing-profile.service.ts';
import type { CapacityCounter } from '../modules/routing/capacity.ts';
import { compactDecision, orderPromise } from '../modules/routing/routing.engine.ts';
import { demandLine, StockPool } from './allocate.step.ts';
import { siteDay } from '../domain/promise/index.ts';
import { fulfilmentSite, type Location } from '../modules/locations/locations.service.ts';

const releaseCutoffs = new WeakMap<Location, { minute: number; at: string }>();
/**
 * The cut-off of the day an order placed at `now` is released at `l`. Cut-offs are whole minutes, so the answer
 * is kept per location for the minute (a storefront asks on every product view; a site's day costs ~8 µs).
 */
function releaseCutoff(l: Location, now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const hit = releaseCutoffs.get(l);
  if (hit && hit.minute === minute) return hit.at;
  const at = siteDay(fulfilmentSite(l), new Date(minute * 60_000).toISOString(), 0).releaseCutoffInstant;
  releaseCutoffs.set(l, { minute, at });
  return at;
}

export interface PreviewInput {
  channel: string;
  destination: { country: string; postcode?: string };
  serviceLevel?: string;
  currency?: string;
  tags?: string[];
  requestedDeliveryDate?: string;
  lines: Array<{ sku: string; quantity: number; unitPriceMinor?: number }>;
}

export interface PreviewDeps {
  database: Database;
  catalog: CatalogService;
  channels: ChannelService;
  inventory: InventoryService;
  locations: LocationService;
  routing: RoutingEngine;
  profiles: RoutingProfileService;
  capacity: CapacityCounter;
}

export const SERVICE_LEVELS = ['standard', 'express', 'next_day'] as const;

/**
 * Routes a hypothetical order against current stock without touching it (`POST /v1/routing/preview`), and
 * quotes every service level for a storefront (`POST /v1/promise`): one read of stock, one decision per level.
 */
export class RoutePreviewWorkflow {
  constructor(private readonly deps: PreviewDeps) {}

  async #prepare(ctx: Ctx, input: PreviewInput, now = new Date()) {
    const { database, catalog, channels, inventory, locations, profiles } = this.deps;
    const db = database.db as any;
    const channel = await channels.require(input.channel, 'channel');
    if (ctx.principal.role === 'channel' && ctx.principal.channelId !== channel.id) throw forbidden('channel_mismatch', 'this credential may only act for its own channel');
    const skus = await catalog.resolveSkusCached(db, input.lines.map((l) => l.sku));
    input.lines.forEach((l, i) => {
      if (!skus.has(l.sku)) throw invalid('unknown_sku', `SKU ${l.sku} does not exist`, `lines/${i}/sku`);
    });
    const skuById = new Map([...skus.values()].map((s) => [s.id, s]));
    const lines: DemandLine[] = [];
    input.lines.forEach((l, i) => {
      const s = skus.get(l.sku)!;
      const add = (x: SkuInfo, qty: number, id: string, value: number) => lines.push(demandLine(x, id, qty, value));
      const value = l.unitPriceMinor ?? s.declaredValueMinor;
      if (!s.isKit) add(s, l.quantity, `line-${i + 1}`, value);
      else s.components.forEach((c, j) => add(skuById.get(c.skuId)!, l.quantity * c.qty, `line-${i + 1}.${j + 1}`, 0));
    });
    const skuIds = [...new Set(lines.map((l) => l.skuId))].sort();
    const locs = await locations.listCached(db);
    const pool = new StockPool(await inventory.readStock(db, skuIds), await inventory.protections(db, skuIds), locs);
    const env = { locations: locs, now, capacityLeft: await this.deps.capacity.left(db, locs, now), profiles: await profiles.active(db) };
    const order = (serviceLevel: string): AllocationOrder => ({
      orderId: 'preview', channelId: channel.id, channelCode: channel.code, destination: input.destination, serviceLevel,
      currency: input.currency ?? 'USD', orderValueMinor: lines.reduce((a, l) => a + l.unitValueMinor * l.qty, 0), tags: input.tags ?? [],
      requestedDeliveryDate: input.requestedDeliveryDate ?? null, placedAt: now.toISOString(),
    });
    return { env, lines, candidates: pool.candidates(channel, skuIds), order };
  }

  async preview(ctx: Ctx, input: PreviewInput) {
    const p = await this.#prepare(ctx, input);
    const decision = this.deps.routing.decide(p.env, { order: p.order(input.serviceLevel ?? 'standard'), lines: p.lines, candidates: p.candidates });
    return { decision: compactDecision(decision), stats: decision.stats };
  }

  /**
   * Per service level: can the network deliver it all, by when, for what shipping cost, and until when that
   * holds (`orderBy`: the earliest cut-off of the release day at the shipping locations; an order placed after it
   * is released a working day later: "order within 2 h 10 min for delivery Tuesday").
   */
  async promise(ctx: Ctx, input: PreviewInput, now = new Date()) {
    const p = await this.#prepare(ctx, input, now);
    const locById = new Map(p.env.locations.map((l) => [l.id, l]));
    const quotes = SERVICE_LEVELS.map((level) => {
      const d: RoutingDecision = this.deps.routing.decide(p.env, { order: p.order(level), lines: p.lines, candidates: p.candidates });
      if (d.shipments.length === 0 || d.unallocated.length > 0) {
        return { serviceLevel: level, available: false, reason: d.unallocated[0]?.reason ?? 'no_route', detail: d.unallocated[0]?.detail ?? d.explanation };
      }
      const promise = orderPromise(d);
      const orderBy = d.shipments.map((s) => releaseCutoff(locById.get(s.locationId)!, now)).reduce((a, b) => (a < b ? a : b));
      return {
        serviceLevel: level,
        available: true,
        deliveryDate: promise?.deliveryDate,
        window: promise?.window,
        shipBy: promise?.shipBy,
        orderBy,
        orderWithinMinutes: Math.max(0, Math.floor((Date.parse(orderBy) - now.getTime()) / 60_000)),
        shippingMinor: d.shipments.reduce((a, s) => a + s.quote.carrierCostMinor, 0),
        dutiesAndTaxesMinor: d.shipments.reduce((a, s) => a + s.quote.landedCostMinor, 0),
        currency: p.order(level).currency,
        shipments: d.shipments.map((s) => ({ location: s.code, service: s.quote.serviceCode, deliveryDate: s.quote.deliveryDate, shipBy: s.quote.shipBy })),
      };
    });
    return { destination: input.destination, quotes };
  }
}
