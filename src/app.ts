import pino, { type Logger } from 'pino';
import { DefaultAllocationStrategy } from './domain/allocation/allocation.ts';
import { NO_FUTURE_VALUE, RoutingEngine } from './modules/routing/routing.engine.ts';
import { AllocateWorkers, viaWorkers } from './workflows/allocate-workers.ts';
import { ProfileSimulationWorkflow } from './workflows/profile-simulation.workflow.ts';
import { NetworkStatusWorkflow } from './workflows/network-status.workflow.ts';
import { HoldRuleService } from './modules/holds/hold-rule.service.ts';
import { StockCoverWorkflow } from './workflows/stock-cover.workflow.ts';
import { ReoptimiseWorkflow } from './workflows/reoptimise.workflow.ts';
import { RoutingProfileService } from './modules/routing/routing-profile.service.ts';
import { CapacityCounter } from './modules/routing/capacity.ts';
import { loadRoutingReference } from './modules/routing/routing.reference.ts';
import type { BoundStrategy, StrategyFactory } from './workflows/allocate.step.ts';
import type { Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { LocationService } from './modules/locations/locations.service.ts';
import { ChannelService } from './modules/channels/channels.service.ts';
import { QuarantineService } from './modules/channels/quarantine.service.ts';
import { InventoryService } from './modules/inventory/inventory.service.ts';
import { OrderService } from './modules/orders/order.service.ts';
import { WebhookService } from './modules/events/webhooks.service.ts';
import { Dispatcher } from './modules/events/dispatcher.ts';
import { ApiKeyService } from './modules/auth/api-key.service.ts';
import { Housekeeping } from './workflows/housekeeping.workflow.ts';
import { Periodic } from './platform/periodic.ts';
import { SYSTEM } from './platform/context.ts';
import { CaptureWorkflow } from './workflows/capture-orders.workflow.ts';
import { RoutePreviewWorkflow } from './workflows/route-preview.workflow.ts';
import { RerouteWorkflow, type RerouteDeps } from './workflows/reroute.workflow.ts';
import { Metrics } from './platform/metrics.ts';

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly database: Database;
  /** periodic clean-up (expired Idempotency-Keys); runs in processes that run the dispatcher */
  readonly housekeeping: Housekeeping;
  readonly catalog: CatalogService;
  readonly locations: LocationService;
  readonly channels: ChannelService;
  readonly quarantine: QuarantineService;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly webhooks: WebhookService;
  readonly dispatcher: Dispatcher;
  readonly apiKeys: ApiKeyService;
  readonly capture: CaptureWorkflow;
  readonly metrics: Metrics;
  readonly routing: RoutingEngine;
  /** worker threads capture routes its batches in (null with ROUTING_WORKERS=0) */
  readonly routingWorkers: AllocateWorkers | null;
  /** daily capacity counts (write-behind) */
  readonly capacity: CapacityCounter;
  readonly routingProfiles: RoutingProfileService;
  readonly preview: RoutePreviewWorkflow;
  readonly rerouter: RerouteWorkflow;
  /** "what would this routing profile change?" over recent orders */
  readonly simulation: ProfileSimulationWorkflow;
  /** routing unreleased orders again when a better plan exists now */
  readonly reoptimiser: ReoptimiseWorkflow;
  /** each location today: open, cut-off, release date, closures ahead, capacity taken and left */
  readonly network: NetworkStatusWorkflow;
  /** automatic re-optimisation (REOPTIMISE_EVERY_MINUTES), null when off */
  readonly reoptimiseSchedule: Periodic | null;
  /** which captured orders wait on hold for a person */
  readonly holdRules: HoldRuleService;
  /** days of cover and stock-out dates per SKU */
  readonly stockCover: StockCoverWorkflow;
  /** the allocation seam: 'routing' (decision engine) or 'simple' (by priority) */
  setAllocation(mode: 'routing' | 'simple'): void;
  readonly allocation: 'routing' | 'simple';
  /** the strategy factory capture and back-order filling use */
  readonly strategyFor: StrategyFactory;
  close(): Promise<void>;
}

/** Redacts secrets wherever they would appear in a log line. */
export const LOG_REDACT = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-shopify-hmac-sha256"]', 'req.headers["x-wc-webhook-signature"]',
  '*.secret', '*.webhookSecret', '*.key', '*.password', 'secret', 'webhookSecret', 'key',
];

export function makeLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } });
}

/** Composition root: opens the database, migrates, wires modules, workflows and the dispatcher. */
export async function createApp(config: Config, opts: { log?: Logger; database?: Database } = {}): Promise<App> {
  const log = opts.log ?? makeLogger(config);
  const database = opts.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, poolSize: config.dbPoolSize }));
  await migrate(database.db);
  let allocation = config.allocation;
  const routing = new RoutingEngine(loadRoutingReference(config.rateCardPath));
  const routingProfiles = new RoutingProfileService(database);
  const capacity = new CapacityCounter(database);
  const simple: BoundStrategy = { strategy: new DefaultAllocationStrategy() };
  const workers = config.routingWorkers > 0 ? new AllocateWorkers(config.routingWorkers, { rateCardPath: config.rateCardPath }) : null;
  const strategyFor: StrategyFactory = async (trx, locs, now) => {
    if (allocation === 'simple') return simple;
    const before = await capacity.left(trx, locs, now);
    const env = { locations: locs, now, capacityLeft: new Map(before), profiles: await routingProfiles.active(trx) };
    const strategy = routing.strategy(env);
    const bound: BoundStrategy = { strategy, persist: () => capacity.record(locs, now, before, env.capacityLeft) };
    // a custom future value of stock lives on this thread only: route here then
    if (workers && routing.futureValue === NO_FUTURE_VALUE) {
      bound.allocateBatch = viaWorkers(workers, env, strategy, (err) => log.error({ err }, 'routing worker failed: this batch is routed on the main thread'));
    }
    return bound;
  };
  const catalog = new CatalogService(database);
  const locations = new LocationService(database);
  const channels = new ChannelService(database);
  const quarantine = new QuarantineService(database);
  const inventory = new InventoryService(database);
  const orders = new OrderService(database, inventory, channels, locations, strategyFor, catalog);
  inventory.shortageHandler = orders.onShortage;
  inventory.replenishHandler = orders.fillBackorders;
  const webhooks = new WebhookService(database);
  const metrics = new Metrics();
  const dispatcher = new Dispatcher(database, log, {
    maxAttempts: config.webhookMaxAttempts,
    baseDelayMs: config.webhookBaseDelayMs,
    intervalMs: config.dispatcherIntervalMs,
  });
  const idempotencyTtlMs = config.idempotencyKeyTtlHours * 3_600_000;
  const holdRules = new HoldRuleService(database);
  const capture = new CaptureWorkflow({
    database, catalog, channels, locations, inventory, orders, holdRules,
    strategy: strategyFor,
    afterCommit: () => dispatcher.poke(),
    batchMax: config.captureBatchMax,
    flushers: config.captureFlushers,
    idempotencyTtlMs,
  });
  const housekeeping = new Housekeeping({ orders, log, idempotencyTtlMs });
  const apiKeys = new ApiKeyService(database);
  const preview = new RoutePreviewWorkflow({ database, catalog, channels, inventory, locations, routing, profiles: routingProfiles, capacity });
  const rerouteDeps: RerouteDeps = {
    database, catalog, channels, inventory, locations, orders, routing, profiles: routingProfiles, capacity,
    moved: (kind) => metrics.rerouted.inc({ kind }),
  };
  const rerouter = new RerouteWorkflow(rerouteDeps);
  const reoptimiser = new ReoptimiseWorkflow(rerouteDeps);
  const simulation = new ProfileSimulationWorkflow(rerouteDeps);
  const network = new NetworkStatusWorkflow({ database, locations, capacity, orders });
  // split orders not yet released, looked at again on a schedule (each order in its own locked transaction, so
  // several processes running it at once only repeat a look that finds the plan already best)
  const reoptimiseSchedule = config.reoptimiseEveryMinutes > 0
    ? new Periodic('re-optimisation', async () => {
      const r = await reoptimiser.run(SYSTEM, { limit: config.reoptimiseBatch });
      if (r.changed > 0) log.info({ examined: r.examined, changed: r.changed, shipments: r.shipments }, 'split orders re-optimised');
      return r;
    }, config.reoptimiseEveryMinutes * 60_000, log)
    : null;
  if (config.runDispatcher) {
    await dispatcher.start();
    housekeeping.start();
    reoptimiseSchedule?.start();
  }
  return {
    config, log, database, catalog, locations, channels, quarantine, inventory, orders, webhooks, dispatcher, apiKeys, capture, metrics, housekeeping,
    routing,
    routingWorkers: workers,
    capacity,
    routingProfiles,
    preview,
    rerouter,
    simulation,
    reoptimiser,
    network,
    reoptimiseSchedule,
    holdRules,
    stockCover: new StockCoverWorkflow({ orders, inventory }),
    strategyFor,
    setAllocation(mode) {
      allocation = mode;
    },
    get allocation() {
      return allocation;
    },
    async close() {
      await reoptimiseSchedule?.stop();
      await workers?.close();
      await dispatcher.stop();
      await housekeeping.stop();
      await capacity.close().catch((err) => log.error({ err }, 'daily capacity counts could not be written'));
      await database.close();
    },
  };
}
