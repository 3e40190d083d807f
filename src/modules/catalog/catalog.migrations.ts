import { sql, type Kysely } from 'kysely';

export const catalogMigrations = {
  '0001_catalog': {
    async up(db: Kysely<any>) {
      await sql`
        create table products (
          id uuid primary key,
          code text not null unique,
          name text not null,
          tags text[] not null default '{}',
          created_at timestamptz not null default now()
        );
        create table skus (
          id uuid primary key,
          sku text not null unique,
          product_id uuid references products(id),
          name text not null,
          weight_grams integer not null default 0 check (weight_grams >= 0),
          length_mm integer not null default 0 check (length_mm >= 0),
          width_mm integer not null default 0 check (width_mm >= 0),
          height_mm integer not null default 0 check (height_mm >= 0),
          declared_value_minor bigint not null default 0 check (declared_value_minor >= 0),
          currency char(3) not null default 'USD',
          hs_code text,
          country_of_origin char(2),
          hazmat_class text,
          tags text[] not null default '{}',
          is_kit boolean not null default false,
          backorder_allowed boolean not null default true,
          preorder_available_on date,
          created_at timestamptz not null default now()
        );
        create table kit_components (
          kit_sku_id uuid not null references skus(id),
          component_sku_id uuid not null references skus(id),
          qty integer not null check (qty > 0),
          primary key (kit_sku_id, component_sku_id),
          check (kit_sku_id <> component_sku_id)
        );
      `.execute(db);
    },
  },
};
