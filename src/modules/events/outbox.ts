import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';

export interface DomainEvent {
  topic: string; // e.g. 'order.created'
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** Writes events in the caller's transaction: they exist if and only if the change they announce committed. */
export async function publish(trx: Tx, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({ t: e.topic, y: e.aggregateType, i: e.aggregateId, p: e.payload }));
  await sql`insert into outbox (topic, aggregate_type, aggregate_id, payload)
    select t, y, i, p from json_to_recordset(${JSON.stringify(rows)}::json) as x(t text, y text, i text, p jsonb)`.execute(trx);
  // No NOTIFY here: PostgreSQL serialises the commits of notifying transactions. The committing process pokes
  // its own dispatcher after commit; the others find the events on their next poll.
}
