import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { createScratchDatabase } from '../../src/platform/db/scratch-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { seedDemo, type SeedOptions } from '../../src/seed.ts';
import type { Role } from '../../src/platform/context.ts';

/**
 * The database suite runs on every engine (Kysely's `for (const dialect of DIALECTS)`): PGlite always, and
 * PostgreSQL when TEST_DATABASE_URL points at a server (.ci/run sets it). Each test app gets its own fresh
 * database, so files run in parallel without seeing each other.
 */
export type EngineName = 'pglite' | 'postgres';
export const ENGINES: EngineName[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
export const HAS_POSTGRES = !!process.env.TEST_DATABASE_URL;

/** Creates an empty database on the test server and returns its URL. */
export const freshPostgresDatabase = () => createScratchDatabase(process.env.TEST_DATABASE_URL!, 'sy_t');

export interface TestApp {
  engine: EngineName;
  app: App;
  server: FastifyInstance;
  keys: Record<Role | 'channel_amazon', string>;
  databaseUrl: string | null;
  /** inject with a role's key */
  call(role: Role | 'channel_amazon' | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startTestApp(engine: EngineName, opts: { seed?: SeedOptions | false; config?: Partial<Config> } = {}): Promise<TestApp> {
  let databaseUrl: string | null = null;
  let drop = async () => {};
  if (engine === 'postgres') {
    const fresh = await freshPostgresDatabase();
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  // capture routes in a worker thread in every test app (the default only on 4+ cores); the main-thread path is
  // the default of the CLI and crash tests' processes here, and routing-workers.test.ts proves the two equal
  const config = loadConfig({ LOG_LEVEL: 'silent' }, { databaseUrl, dataDir: '', dispatcherIntervalMs: 50, webhookBaseDelayMs: 20, routingWorkers: 1, ...opts.config });
  const database = await openDatabase({ url: databaseUrl, dataDir: null, poolSize: config.dbPoolSize });
  const app = await createApp(config, { database });
  if (opts.seed !== false) await seedDemo(app, opts.seed ?? { skuCount: 20 });
  const server = await buildServer(app);
  await server.ready();
  const keys = {} as TestApp['keys'];
  for (const role of ['admin', 'ops', 'viewer'] as Role[]) keys[role] = (await app.apiKeys.create({ name: `test-${role}`, role })).key;
  if (opts.seed !== false) {
    keys.channel = (await app.apiKeys.create({ name: 'test-web', role: 'channel', channel: 'web' })).key;
    keys.channel_amazon = (await app.apiKeys.create({ name: 'test-amazon', role: 'channel', channel: 'amazon-us' })).key;
  }
  return {
    engine,
    app,
    server,
    keys,
    databaseUrl,
    async call(role, method, url, body, headers = {}) {
      const res = await server.inject({
        method: method as any,
        url,
        headers: { ...(role ? { authorization: `Bearer ${keys[role]}` } : {}), ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: any = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await server.close();
      await app.close();
      await drop();
    },
  };
}

/** A valid order body for the demo catalog. */
export function orderBody(externalId: string, lines: Array<[string, number]> = [['SKU-00003', 1]], extra: Record<string, unknown> = {}) {
  return {
    channel: 'web',
    externalId,
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'Boston', region: 'MA', postcode: '02110', country: 'US' },
    currency: 'USD',
    lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPriceMinor: 1500 })),
    ...extra,
  };
}

/** Row counts of every table: a request that fails must leave them all unchanged. */
export async function tableCounts(app: App): Promise<Record<string, number>> {
  const { sql } = await import('kysely');
  const tables = ['orders', 'order_lines', 'reservations', 'order_events', 'outbox', 'inventory_ledger', 'stock', 'skus', 'kit_components', 'products', 'locations', 'channels', 'channel_locations', 'channel_protections', 'idempotency_keys', 'webhook_subscriptions', 'webhook_deliveries', 'api_keys'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(app.database.db)).rows[0]!.n;
  const st = await sql<{ s: string }>`select coalesce(sum(on_hand)::text || '/' || sum(reserved)::text || '/' || sum(safety_stock)::text, '') as s from stock`.execute(app.database.db);
  out['stock_sums'] = st.rows[0]!.s as unknown as number;
  return out;
}
