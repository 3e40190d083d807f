import pino, { type Logger } from 'pino';
import { DefaultAllocationStrategy, type AllocationStrategy } from './domain/allocation/allocation.ts';
import type { Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { LocationService } from './modules/locations/locations.service.ts';
import { ChannelService } from './modules/channels/channels.service.ts';
import { InventoryService } from './modules/inventory/inventory.service.ts';
import { OrderService } from './modules/orders/order.service.ts';
import { WebhookService } from './modules/events/webhooks.service.ts';
import { Dispatcher } from './modules/events/dispatcher.ts';
import { ApiKeyService } from './modules/auth/api-key.service.ts';
import { CaptureWorkflow } from './workflows/capture-orders.workflow.ts';
import { Metrics } from './platform/metrics.ts';

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly database: Database;
  readonly catalog: CatalogService;
  readonly locations: LocationService;
  readonly channels: ChannelService;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly webhooks: WebhookService;
  readonly dispatcher: Dispatcher;
  readonly apiKeys: ApiKeyService;
  readonly capture: CaptureWorkflow;
  readonly metrics: Metrics;
  /** the allocation seam: swap the strategy (the routing engine plugs in here) */
  setStrategy(s: AllocationStrategy): void;
  readonly strategy: AllocationStrategy;
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
  let strategy: AllocationStrategy = new DefaultAllocationStrategy();
  const catalog = new CatalogService(database);
  const locations = new LocationService(database);
  const channels = new ChannelService(database);
  const inventory = new InventoryService(database);
  const orders = new OrderService(database, inventory, channels, locations, () => strategy);
  inventory.shortageHandler = orders.onShortage;
  inventory.replenishHandler = orders.fillBackorders;
  const webhooks = new WebhookService(database);
  const metrics = new Metrics();
  const dispatcher = new Dispatcher(database, log, {
    maxAttempts: config.webhookMaxAttempts,
    baseDelayMs: config.webhookBaseDelayMs,
    intervalMs: config.dispatcherIntervalMs,
  });
  const capture = new CaptureWorkflow({
    database, catalog, channels, locations, inventory, orders,
    strategy: () => strategy,
    afterCommit: () => dispatcher.poke(),
    batchMax: config.captureBatchMax,
    flushers: config.captureFlushers,
  });
  const apiKeys = new ApiKeyService(database);
  if (config.runDispatcher) await dispatcher.start();
  return {
    config, log, database, catalog, locations, channels, inventory, orders, webhooks, dispatcher, apiKeys, capture, metrics,
    setStrategy(s) {
      strategy = s;
    },
    get strategy() {
      return strategy;
    },
    async close() {
      await dispatcher.stop();
      await database.close();
    },
  };
}
