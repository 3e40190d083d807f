import { sql, type Kysely } from 'kysely';

export const authMigrations = {
  '0007_auth': {
    async up(db: Kysely<any>) {
      await sql`
        create table api_keys (
          id uuid primary key,
          name text not null,
          prefix text not null,
          key_hash text not null unique,
          role text not null check (role in ('admin','ops','viewer','channel')),
          channel_id uuid references channels(id),
          active boolean not null default true,
          created_at timestamptz not null default now(),
          check ((role = 'channel') = (channel_id is not null))
        );
      `.execute(db);
    },
  },
};
