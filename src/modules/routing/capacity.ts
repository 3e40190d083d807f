import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Location } from '../locations/locations.service.ts';

const fmt = new Map<string, Intl.DateTimeFormat>();
/** The location's own calendar day at `now` (capacity is per local day). */
export function localDay(timeZone: string, now: Date): string {
  let f = fmt.get(timeZone);
  if (!f) fmt.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(now);
}

/** Orders each capacity-limited location can still take today. */
export async function capacityLeft(trx: Tx, locations: readonly Location[], now: Date): Promise<Map<string, number>> {
  const limited = locations.filter((l) => l.dailyCapacity !== null);
  const left = new Map<string, number>();
  if (limited.length === 0) return left;
  const r = await sql<{ location_id: string; used: number }>`select c.location_id, c.used from location_capacity c
    join unnest(${limited.map((l) => l.id)}::uuid[], ${limited.map((l) => localDay(l.timeZone, now))}::date[]) as t(id, day)
      on c.location_id = t.id and c.day = t.day`.execute(trx);
  const used = new Map(r.rows.map((x) => [x.location_id, x.used]));
  for (const l of limited) left.set(l.id, l.dailyCapacity! - (used.get(l.id) ?? 0));
  return left;
}

/**
 * Adds what a batch took to today's count. Capacity is a soft limit across concurrent batches (two batches
 * may both see the last slot): an ops limit on work, not a stock invariant, so it is not worth a lock.
 */
export async function recordCapacity(trx: Tx, locations: readonly Location[], now: Date, before: Map<string, number>, after: Map<string, number>) {
  const rows = locations.filter((l) => l.dailyCapacity !== null && (before.get(l.id) ?? l.dailyCapacity) !== (after.get(l.id) ?? l.dailyCapacity));
  if (rows.length === 0) return;
  const ids = rows.map((l) => l.id);
  const days = rows.map((l) => localDay(l.timeZone, now));
  const taken = rows.map((l) => (before.get(l.id) ?? l.dailyCapacity!) - (after.get(l.id) ?? l.dailyCapacity!));
  await sql`insert into location_capacity (location_id, day, used) select * from unnest(${ids}::uuid[], ${days}::date[], ${taken}::int[])
    on conflict (location_id, day) do update set used = location_capacity.used + excluded.used`.execute(trx);
}
