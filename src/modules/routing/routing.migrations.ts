import { sql, type Kysely } from 'kysely';

export const routingMigrations = {
  '0008_routing': {
    async up(db: Kysely<any>) {
      await sql`
        -- routing profiles as data: every change is a new version; the latest active version of each id is in force
        create table routing_profiles (
          id text not null,
          version integer not null,
          name text not null,
          priority integer not null,
          active boolean not null,
          definition jsonb not null,
          created_by text not null,
          created_at timestamptz not null default now(),
          primary key (id, version)
        );
      `.execute(db);
    },
  },
};
