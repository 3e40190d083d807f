import { sql, type Kysely } from 'kysely';

export const inventoryMigrations = {
  '0006_inventory': {
    async up(db: Kysely<any>) {
      await sql`
        create table stock (
          sku_id uuid not null references skus(id),
          location_id uuid not null references locations(id),
          on_hand integer not null default 0 check (on_hand >= 0),
          reserved integer not null default 0 check (reserved >= 0),
          safety_stock integer not null default 0 check (safety_stock >= 0),
          updated_at timestamptz not null default now(),
          primary key (sku_id, location_id),
          -- the invariant: never more reserved than sellable (on hand less safety stock)
          constraint stock_not_oversold check (reserved <= greatest(on_hand - safety_stock, 0))
        );
        create index stock_location_idx on stock (location_id);
        -- append-only: balances are the sum of these deltas
        create table inventory_ledger (
          id bigint generated always as identity primary key,
          sku_id uuid not null,
          location_id uuid not null,
          kind text not null check (kind in ('receipt','adjustment','cycle_count','reservation','release','shipment','return_restock','transfer_out','transfer_in','safety_stock')),
          on_hand_delta integer not null default 0,
          reserved_delta integer not null default 0,
          reason text,
          reference text,
          actor text not null,
          created_at timestamptz not null default now()
        );
        create index inventory_ledger_sku_loc_idx on inventory_ledger (sku_id, location_id, id);
        -- stock held for an order line (ids of the orders module: cross-module references are ids)
        create table reservations (
          id uuid primary key,
          order_id uuid not null,
          order_line_id uuid not null,
          sku_id uuid not null,
          location_id uuid not null,
          qty integer not null check (qty > 0),
          status text not null default 'active' check (status in ('active','released','shipped')),
          created_at timestamptz not null default now(),
          closed_at timestamptz
        );
        create index reservations_order_idx on reservations (order_id);
        create index reservations_active_idx on reservations (sku_id, location_id) where status = 'active';
      `.execute(db);
    },
  },
};
