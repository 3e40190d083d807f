import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { DB } from './database.ts';
import { catalogMigrations } from '../../modules/catalog/catalog.migrations.ts';
import { locationMigrations } from '../../modules/locations/locations.migrations.ts';
import { channelMigrations, quarantineMigrations } from '../../modules/channels/channels.migrations.ts';
import { inventoryMigrations } from '../../modules/inventory/inventory.migrations.ts';
import { orderMigrations } from '../../modules/orders/orders.migrations.ts';
import { eventMigrations } from '../../modules/events/events.migrations.ts';
import { authMigrations } from '../../modules/auth/auth.migrations.ts';
import { routingMigrations } from '../../modules/routing/routing.migrations.ts';
import { holdMigrations } from '../../modules/holds/holds.migrations.ts';

/** Each module owns its migrations; names sort globally, so one ordered list serves every module. */
const ALL: Record<string, Migration> = {
  ...catalogMigrations,
  ...locationMigrations,
  ...channelMigrations,
  ...inventoryMigrations,
  ...orderMigrations,
  ...eventMigrations,
  ...authMigrations,
  ...routingMigrations,
  ...quarantineMigrations,
  ...holdMigrations,
};

const provider: MigrationProvider = { getMigrations: async () => ALL };

/** Brings the schema up to date. Safe to run from several processes at once (Kysely takes an advisory lock). */
export async function migrate(db: DB): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
