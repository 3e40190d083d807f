import { sql, type Kysely } from 'kysely';

export const holdMigrations = {
  '0015_hold_rules': {
    async up(db: Kysely<any>) {
      await sql`
        -- hold rules as data: every change is a new version; the latest active version of each id is in force
        create table hold_rules (
          id text not null,
          version integer not null,
          definition jsonb not null,
          created_by text not null,
          created_at timestamptz not null default now(),
          primary key (id, version)
        );
      `.execute(db);
    },
  },
};
