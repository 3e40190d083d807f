import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';

// bigint (int8) and numeric come back as JS numbers: every quantity and minor-unit amount we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type Engine = 'pglite' | 'postgres';
// The schema is written in SQL (migrations) and queried mostly with typed raw `sql` templates.
export type DB = Kysely<any>;
export type Tx = Transaction<any>;

export interface Database {
  readonly db: DB;
  readonly engine: Engine;
  /** Runs `fn` in a transaction, retrying on deadlock / serialization failure (they are normal under contention). */
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  /** Underlying pg pool (postgres only), for LISTEN/NOTIFY. */
  readonly pool: pg.Pool | null;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40P01', '40001']);

export async function openDatabase(opts: { url: string | null; dataDir?: string | null; poolSize?: number }): Promise<Database> {
  let db: DB;
  let pool: pg.Pool | null = null;
  let engine: Engine;
  if (opts.url) {
    pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 8 });
    pool.on('error', () => {}); // idle client errors surface on the next query
    db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    engine = 'postgres';
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
    await pglite.waitReady;
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
    engine = 'pglite';
  }
  return {
    db,
    engine,
    pool,
    async transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(fn);
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < 8) {
            await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
            continue;
          }
          throw err;
        }
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

export { sql };
