import { sql, type Kysely } from 'kysely';

export const locationMigrations = {
  '0002_locations': {
    async up(db: Kysely<any>) {
      await sql`
        create table locations (
          id uuid primary key,
          code text not null unique,
          name text not null,
          type text not null check (type in ('warehouse','store','3pl','dropship','factory_fc')),
          address jsonb not null default '{}',
          postcode text,
          country char(2) not null,
          lat double precision,
          lon double precision,
          time_zone text not null default 'UTC',
          holiday_country char(2),
          holiday_region text,
          closures date[] not null default '{}',
          cutoff_time text not null default '15:00' check (cutoff_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
          handling_days integer not null default 0 check (handling_days >= 0),
          daily_capacity integer check (daily_capacity is null or daily_capacity >= 0),
          handling_cost_minor integer not null default 0 check (handling_cost_minor >= 0),
          priority integer not null default 100,
          tags text[] not null default '{}',
          active boolean not null default true,
          created_at timestamptz not null default now()
        );
        -- orders routed to a location per local day: capacity used today
        create table location_capacity (
          location_id uuid not null references locations(id),
          day date not null,
          used integer not null default 0 check (used >= 0),
          primary key (location_id, day)
        );
      `.execute(db);
    },
  },
  '0014_location_events': {
    async up(db: Kysely<any>) {
      await sql`
        -- who changed a location, when, and what: taken out of routing, capacity, dates closed, evacuations
        create table location_events (
          id bigint generated always as identity primary key,
          location_id uuid not null references locations(id),
          at timestamptz not null default now(),
          actor text not null,
          action text not null check (action in ('created', 'changed', 'closed', 'opened', 'evacuated')),
          changes jsonb not null default '[]',
          reason text
        );
        create index location_events_by_location on location_events (location_id, id);
      `.execute(db);
    },
  },
};
