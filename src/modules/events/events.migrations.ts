import { sql, type Kysely } from 'kysely';

export const eventMigrations = {
  '0004_events': {
    async up(db: Kysely<any>) {
      await sql`
        -- transactional outbox: written in the same transaction as the change it announces
        create table outbox (
          id bigint generated always as identity primary key,
          topic text not null,
          aggregate_type text not null,
          aggregate_id text not null,
          payload jsonb not null,
          created_at timestamptz not null default now(),
          fanned_out boolean not null default false
        );
        create index outbox_pending_idx on outbox (id) where not fanned_out;
        create table webhook_subscriptions (
          id uuid primary key,
          url text not null,
          secret text not null,
          event_types text[] not null default '{*}',
          active boolean not null default true,
          created_at timestamptz not null default now()
        );
        create table webhook_deliveries (
          id bigint generated always as identity primary key,
          subscription_id uuid not null references webhook_subscriptions(id),
          outbox_id bigint not null references outbox(id),
          status text not null default 'pending' check (status in ('pending','delivered','dead')),
          attempts integer not null default 0,
          next_attempt_at timestamptz not null default now(),
          lease_until timestamptz,
          last_error text,
          last_status_code integer,
          delivered_at timestamptz,
          created_at timestamptz not null default now(),
          unique (subscription_id, outbox_id)
        );
        create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
      `.execute(db);
    },
  },
};
