import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Location } from '../locations/locations.service.ts';

const fmt = new Map<string, Intl.DateTimeFormat>();
const dayAt = new Map<string, { minute: number; day: string }>();
/**
 * The location's own calendar day at `now` (capacity is per local day). Zone offsets are whole minutes, so the
 * day is kept per zone for the minute (Intl formatting costs ~1 µs a call, and capture asks per batch per location).
 */
export function localDay(timeZone: string, now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const hit = dayAt.get(timeZone);
  if (hit && hit.minute === minute) return hit.day;
  let f = fmt.get(timeZone);
  if (!f) fmt.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const day = f.format(now);
  dayAt.set(timeZone, { minute, day });
  return day;
}

/** `locationId|day` keys split into the two columns of location_capacity. */
const splitKeys = (keys: readonly string[]) => ({ ids: keys.map((k) => k.slice(0, k.indexOf('|'))), days: keys.map((k) => k.slice(k.indexOf('|') + 1)) });

/** Orders taken so far per `locationId|day` key, as the database has them. */
async function usedOn(trx: Tx, keys: readonly string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const { ids, days } = splitKeys(keys);
  const r = await sql<{ location_id: string; day: string; used: number }>`select c.location_id, to_char(c.day, 'YYYY-MM-DD') as day, c.used
    from location_capacity c join unnest(${ids}::uuid[], ${days}::date[]) as t(id, day)
      on c.location_id = t.id and c.day = t.day`.execute(trx);
  return new Map(r.rows.map((x) => [`${x.location_id}|${x.day}`, x.used]));
}

/** What a batch took, per `locationId|day`: capacity before the batch less capacity after it. */
function takenBy(locations: readonly Location[], now: Date, before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const taken = new Map<string, number>();
  for (const l of locations) {
    if (l.dailyCapacity === null) continue;
    const n = (before.get(l.id) ?? l.dailyCapacity) - (after.get(l.id) ?? l.dailyCapacity);
    if (n !== 0) taken.set(`${l.id}|${localDay(l.timeZone, now)}`, n);
  }
  return taken;
}

async function addUsed(db: Tx, taken: Map<string, number>) {
  if (taken.size === 0) return;
  const keys = [...taken.keys()].sort(); // key order: concurrent flushes from several processes cannot deadlock
  const { ids, days } = splitKeys(keys);
  await sql`insert into location_capacity (location_id, day, used)
    select * from unnest(${ids}::uuid[], ${days}::date[], ${keys.map((k) => taken.get(k)!)}::int[])
    on conflict (location_id, day) do update set used = location_capacity.used + excluded.used`.execute(db);
}

/**
 * Daily capacity counts (orders per location per local day) kept write-behind. Capacity is an ops limit on
 * work, not a stock invariant: two batches may both see the last slot (so it is not worth a lock), and counting
 * it in the capture transaction cost every batch two statements and, for the counter row that every batch
 * updates, a second commit after it. So a process counts what it took in memory — its own batches see those
 * counts at once — and writes them in one statement at most every `flushMs`; other processes' counts are read
 * at most `maxAgeMs` old. A crash forgets at most the last `flushMs` of counts (the orders themselves are safe).
 */
export class CapacityCounter {
  /** counts taken here and not written yet, and those being written */
  readonly #pending = new Map<string, number>();
  readonly #writing = new Map<string, number>();
  #read: { at: number; used: Map<string, number>; keys: Set<string> } | null = null;
  #generation = 0;
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly opts: { maxAgeMs: number; flushMs: number } = { maxAgeMs: 250, flushMs: 100 },
  ) {}

  /** Orders each capacity-limited location can still take now: the database's count (≤ maxAgeMs old) plus this process's unwritten counts. */
  async left(trx: Tx, locations: readonly Location[], now: Date): Promise<Map<string, number>> {
    const keys = new Map<Location, string>();
    for (const l of locations) if (l.dailyCapacity !== null) keys.set(l, `${l.id}|${localDay(l.timeZone, now)}`);
    let read = this.#read;
    if (!read || Date.now() - read.at > this.opts.maxAgeMs || [...keys.values()].some((k) => !read!.keys.has(k))) {
      const generation = this.#generation;
      const at = Date.now();
      const used = await usedOn(trx, [...keys.values()]);
      read = { at, used, keys: new Set(keys.values()) };
      // a write that committed while this read ran may or may not be in it: keep it for this batch only
      if (generation === this.#generation) this.#read = read;
    }
    const left = new Map<string, number>();
    for (const [l, k] of keys) left.set(l.id, l.dailyCapacity! - (read.used.get(k) ?? 0) - (this.#pending.get(k) ?? 0) - (this.#writing.get(k) ?? 0));
    return left;
  }

  /** Counts what a batch took (capacity before it less after it); written within `flushMs`. */
  record(locations: readonly Location[], now: Date, before: Map<string, number>, after: Map<string, number>): void {
    const taken = takenBy(locations, now, before, after);
    if (taken.size === 0) return;
    for (const [k, n] of taken) this.#pending.set(k, (this.#pending.get(k) ?? 0) + n);
    this.#schedule();
  }

  #schedule() {
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      // a failed write (database unreachable) keeps its counts and tries again
      void this.flush().catch(() => this.#schedule());
    }, this.opts.flushMs).unref();
  }

  /** Writes the unwritten counts now (also on close); a failed write keeps them for the next flush. */
  async flush(): Promise<void> {
    // a write under way goes first (its failure is its own: its counts are back in #pending for this one)
    while (this.#flushing) await this.#flushing.catch(() => undefined);
    if (this.#pending.size === 0) return;
    for (const [k, n] of this.#pending) this.#writing.set(k, n);
    this.#pending.clear();
    this.#flushing = (async () => {
      try {
        await addUsed(this.database.db as unknown as Tx, this.#writing);
        this.#generation++;
        this.#read = null;
      } catch (err) {
        for (const [k, n] of this.#writing) this.#pending.set(k, (this.#pending.get(k) ?? 0) + n);
        throw err;
      } finally {
        this.#writing.clear();
        this.#flushing = null;
      }
    })();
    await this.#flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
