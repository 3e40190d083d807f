import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { buildServer } from './http/server.ts';
import { seedDemo } from './seed.ts';
import type { Role } from './platform/context.ts';

const USAGE = `switchyard <command>
  serve [--demo]   run the API (embedded PostgreSQL in ./data unless DATABASE_URL is set); --demo seeds demo data on first run
  migrate          bring the database schema up to date
  seed-demo        load the demo catalog, locations, channels and stock (once)
  verify           check every stock balance against its ledger and every reservation against a live order line`;

/** Demo API keys are created once and written to data/demo-keys.json (never logged). */
async function ensureDemoKeys(app: Awaited<ReturnType<typeof createApp>>) {
  const file = join(app.config.dataDir, 'demo-keys.json');
  if (existsSync(file)) return { file, keys: JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> };
  const keys: Record<string, string> = {};
  for (const [name, role, channel] of [['demo-admin', 'admin'], ['demo-ops', 'ops'], ['demo-viewer', 'viewer'], ['demo-web-channel', 'channel', 'web']] as Array<[string, Role, string?]>) {
    keys[name] = (await app.apiKeys.create({ name, role, channel: channel ?? null })).key;
  }
  mkdirSync(app.config.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return { file, keys };
}

async function main(argv: string[]) {
  const [cmd, ...rest] = argv;
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  switch (cmd) {
    case 'serve': {
      const app = await createApp(config);
      if (rest.includes('--demo')) {
        const { seeded } = await seedDemo(app);
        const { file, keys } = await ensureDemoKeys(app);
        if (seeded) app.log.info('demo data loaded');
        console.log(`\nSwitchyard demo: API keys are in ${file} (admin key starts ${keys['demo-admin']?.slice(0, 9)}…)`);
      }
      const server = await buildServer(app);
      await server.listen({ port: config.port, host: config.host });
      console.log(`Switchyard on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${(server.server.address() as any).port}  (API docs at /docs, engine ${app.database.engine})`);
      const stop = async () => {
        await server.close();
        await app.close();
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      return;
    }
    case 'migrate': {
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
      const done = await migrate(database.db);
      console.log(done.length ? `applied: ${done.join(', ')}` : 'schema is up to date');
      await database.close();
      return;
    }
    case 'seed-demo': {
      const app = await createApp({ ...config, runDispatcher: false });
      const { seeded } = await seedDemo(app);
      const { file } = await ensureDemoKeys(app);
      console.log(seeded ? `demo data loaded; API keys in ${file}` : `demo data already present; API keys in ${file}`);
      await app.close();
      return;
    }
    case 'verify': {
      const app = await createApp({ ...config, runDispatcher: false });
      const inv = await app.inventory.verify();
      const orders = await app.orders.verify();
      await app.close();
      const problems = [...inv.problems, ...orders.problems];
      if (problems.length > 0) {
        console.error(`verify: ${problems.length} problem(s)`);
        for (const p of problems.slice(0, 200)) console.error(`  - ${p}`);
        process.exit(1);
      }
      console.log('verify: every stock balance equals its ledger; every reservation belongs to a live order line');
      return;
    }
    default:
      console.log(USAGE);
      process.exit(cmd ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
