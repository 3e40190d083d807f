import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.ts';
import { ConfigError, loadConfig } from '../src/platform/config.ts';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['bin/switchyard.mjs', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e) => ({ code: e.code as number, out: String(e.stdout) + String(e.stderr) }),
  );

describe('switchyard CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate, seed-demo, verify: clean data verifies; a balance that disagrees with its ledger fails verify', async () => {
    expect((await cli(['migrate'], { DATA_DIR: dir })).code).toBe(0);
    expect((await cli(['seed-demo'], { DATA_DIR: dir })).out).toMatch(/demo data loaded/);
    const ok = await cli(['verify'], { DATA_DIR: dir });
    expect(ok.code).toBe(0);
    const db = await openDatabase({ url: null, dataDir: dir });
    await sql`update stock set on_hand = on_hand + 1 where location_id = (select id from locations where code = 'WH-CA') and sku_id = (select id from skus where sku = 'SKU-00001')`.execute(db.db);
    await sql`insert into reservations (id, order_id, order_line_id, sku_id, location_id, qty) select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), sku_id, location_id, 1 from stock limit 1`.execute(db.db);
    await db.close();
    const bad = await cli(['verify'], { DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/balance on_hand=\d+ .* ledger on_hand=\d+/);
    expect(bad.out).toMatch(/order line .* missing/);
  }, 120_000);

  it('rejects bad configuration with one clear message per value', async () => {
    const bad = { PORT: '99999', DB_POOL_SIZE: 'x', DATABASE_URL: 'mysql://nope', ALLOCATION: 'magic', ROUTING_WORKERS: '-1' };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    try {
      loadConfig(bad);
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(5);
      expect((e as ConfigError).problems.join('\n')).toMatch(/ROUTING_WORKERS/);
    }
    expect(loadConfig({ ROUTING_WORKERS: '3' }).routingWorkers).toBe(3);
    const r = await cli(['verify'], { DATA_DIR: dir, PORT: 'abc' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/PORT="abc" must be a whole number/);
  }, 60_000);
});
