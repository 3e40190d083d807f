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
  '0013_routing_profile_restores': {
    async up(db: Kysely<any>) {
      // a version saved by restoring an earlier one names it (the history says "restores v2", not just "changed")
      await sql`alter table routing_profiles add column restored_from integer`.execute(db);
    },
  },
};
