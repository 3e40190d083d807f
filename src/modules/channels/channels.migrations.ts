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
