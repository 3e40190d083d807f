import { sql, type Kysely } from 'kysely';

export const channelMigrations = {
  '0003_channels': {
    async up(db: Kysely<any>) {
      await sql`
        create table channels (
          id uuid primary key,
          code text not null unique,
          name text not null,
          kind text not null check (kind in ('shopify','woocommerce','amazon','ebay','etsy','walmart','edi','pos','api')),
          buffer integer not null default 0 check (buffer >= 0),
          webhook_secret text,
          previous_webhook_secret text,
          secret_rotated_at timestamptz,
          active boolean not null default true,
          created_at timestamptz not null default now()
        );
        create table channel_locations (
          channel_id uuid not null references channels(id),
          location_id uuid not null references locations(id),
          primary key (channel_id, location_id)
        );
        -- units of a SKU that only this channel may take (network-wide)
        create table channel_protections (
          channel_id uuid not null references channels(id),
          sku_id uuid not null references skus(id),
          qty integer not null check (qty >= 0),
          primary key (channel_id, sku_id)
        );
        create table channel_webhook_receipts (
          channel_id uuid not null references channels(id),
          webhook_id text not null,
          topic text,
          order_id uuid,
          received_at timestamptz not null default now(),
          primary key (channel_id, webhook_id)
        );
      `.execute(db);
    },
  },
};

export const quarantineMigrations = {
  '0009_channel_quarantine': {
    async up(db: Kysely<any>) {
      await sql`
        -- channel payloads that are authentic but cannot be captured as they are (unknown SKU, unmappable field):
        -- kept whole for ops to fix and replay, never half-applied
        create table channel_quarantine (
          id uuid primary key,
          channel_id uuid not null references channels(id),
          source text not null,
          external_ref text not null,
          payload text not null,
          error_code text not null,
          error_field text,
          error_detail text not null,
          attempts integer not null default 1,
          created_at timestamptz not null default now(),
          resolved_at timestamptz,
          order_id uuid
        );
        create unique index channel_quarantine_open_idx on channel_quarantine (channel_id, source, external_ref) where resolved_at is null;
      `.execute(db);
    },
  },
};
