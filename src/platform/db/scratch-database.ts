import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates an empty database on a PostgreSQL server (for tests and benchmarks) and returns its URL and a way to
 * drop it. `adminUrl` must allow CREATE DATABASE.
 */
export async function createScratchDatabase(adminUrl: string, prefix = 'sy_scratch'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
