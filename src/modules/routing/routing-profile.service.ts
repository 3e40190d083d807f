import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { defineProfile, profileChanges, validateProfile, type ProfileChange, type ProfileDraft, type RoutingProfile } from '../../domain/routing/index.ts';

/** One saved version of a profile, with who saved it and what it changed from the version before. */
export interface ProfileVersion {
  version: number;
  createdBy: string;
  createdAt: Date;
  /** the version this one restored (saved again unchanged), or null */
  restoredFrom: number | null;
  /** settings changed from the previous version; null for the first */
  changes: ProfileChange[] | null;
  profile: RoutingProfile;
}

/**
 * Switchyard's catch-all, tried after every configured profile: lowest total cost, and a line may be split
 * across locations when no single one has it all, because a captured order is a fact: reserve every unit
 * the network has and back-order only the rest.
 */
export const SWITCHYARD_DEFAULT_PROFILE: RoutingProfile = defineProfile({
  id: 'switchyard-default',
  name: 'Switchyard default: lowest total cost, reserve everything available',
  priority: Number.MAX_SAFE_INTEGER,
  constraints: { allowLineSplit: true, maxSplits: 10 },
});

/**
 * Routing profiles that ops users configure as data. Saving a profile never edits it in place: it writes the
 * next version, so past decisions (which record profile id + version) stay explainable.
 */
export class RoutingProfileService {
  #cache: { at: number; list: RoutingProfile[] } | null = null;
  constructor(private readonly database: Database) {}

  /**
   * A draft as a complete profile, checked (422 `invalid_profile` naming the offending setting, under `field`
   * when the draft sits inside a larger body); nothing is saved.
   */
  check(draft: ProfileDraft, version = 1, field?: string): RoutingProfile {
    const at = (path: string | undefined) => (field ? (path ? `${field}/${path}` : field) : (path ?? 'profile'));
    // the built-in catch-all is tried after every configured profile; a saved profile of that id would be a second one
    if (draft.id === SWITCHYARD_DEFAULT_PROFILE.id) {
      throw invalid('reserved_profile_id', `${SWITCHYARD_DEFAULT_PROFILE.id} is the built-in default; give the profile an id of its own`, at('id'));
    }
    let profile: RoutingProfile;
    try {
      profile = defineProfile({ ...draft, version });
    } catch (err) {
      throw invalid('invalid_profile', (err as Error).message, at(undefined));
    }
    const problems = validateProfile(profile);
    if (problems.length > 0) throw invalid('invalid_profile', problems.join('; '), at(problems[0]!.split(' ')[0]));
    return profile;
  }

  /** The version the next save of this profile id would get. */
  async nextVersion(id: string, trx?: Tx): Promise<number> {
    const cur = await sql<{ v: number | null }>`select max(version) as v from routing_profiles where id = ${id}`.execute(trx ?? this.database.db);
    return (cur.rows[0]?.v ?? 0) + 1;
  }

  /** Creates a profile, or the next version of an existing one. */
  async save(ctx: Ctx, draft: ProfileDraft): Promise<RoutingProfile> {
    const profile = this.check(draft);
    return this.database.transaction(async (trx) => this.#insertNext(trx, ctx, profile.id, draft, null));
  }

  /**
   * Saves an earlier version again as the next one (a roll-back that keeps the history: versions are never
   * edited or removed). 404 `routing_profile_version_not_found` for a version that does not exist.
   */
  async restore(ctx: Ctx, id: string, version: number): Promise<{ profile: RoutingProfile; restoredFrom: number }> {
    return this.database.transaction(async (trx) => {
      const r = await sql<{ definition: RoutingProfile }>`select definition from routing_profiles where id = ${id} and version = ${version}`.execute(trx);
      const old = r.rows[0]?.definition;
      if (!old) {
        const any = await sql`select 1 from routing_profiles where id = ${id} limit 1`.execute(trx);
        if (any.rows.length === 0) throw notFound('routing_profile', id);
        throw notFound('routing_profile_version', `${id} v${version}`, 'version');
      }
      // checked as any save is: a version saved under older, looser rules is not restored past today's checks
      this.check(old, version, 'version');
      return { profile: await this.#insertNext(trx, ctx, id, old, version), restoredFrom: version };
    });
  }

  /** Writes `draft` as the next version of `id` (serialised per profile id, so two saves never take one number). */
  async #insertNext(trx: Tx, ctx: Ctx, id: string, draft: ProfileDraft, restoredFrom: number | null): Promise<RoutingProfile> {
    await sql`select pg_advisory_xact_lock(hashtext(${'routing_profile:' + id}))`.execute(trx);
    const version = await this.nextVersion(id, trx);
    const saved = defineProfile({ ...draft, version });
    await sql`insert into routing_profiles (id, version, name, priority, active, definition, created_by, restored_from)
      values (${saved.id}, ${version}, ${saved.name}, ${saved.priority}, ${saved.active}, ${JSON.stringify(saved)}, ${ctx.actor}, ${restoredFrom})`.execute(trx);
    this.#cache = null;
    return saved;
  }

  /** The version in force of every profile (latest version per id), active or not. */
  async list(trx?: Tx): Promise<RoutingProfile[]> {
    const r = await sql<any>`select distinct on (id) definition from routing_profiles order by id, version desc`.execute(trx ?? this.database.db);
    return r.rows.map((x) => x.definition as RoutingProfile).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
  }

  /** Every version of a profile, newest first, each with what it changed from the one before. */
  async history(id: string): Promise<ProfileVersion[]> {
    const r = await sql<any>`select version, definition, created_by, created_at, restored_from from routing_profiles where id = ${id} order by version desc`.execute(this.database.db);
    if (r.rows.length === 0) throw notFound('routing_profile', id);
    return r.rows.map((x, i) => {
      const previous = r.rows[i + 1]?.definition as RoutingProfile | undefined;
      return {
        version: x.version,
        createdBy: x.created_by,
        createdAt: x.created_at,
        restoredFrom: x.restored_from ?? null,
        changes: previous ? profileChanges(previous, x.definition) : null,
        profile: x.definition,
      };
    });
  }

  /** Active profiles in force, cached briefly for the capture hot path. */
  async active(trx: Tx, maxAgeMs = 5000): Promise<RoutingProfile[]> {
    const now = Date.now();
    if (this.#cache && now - this.#cache.at < maxAgeMs) return this.#cache.list;
    const list = [...(await this.list(trx)).filter((p) => p.active), SWITCHYARD_DEFAULT_PROFILE];
    this.#cache = { at: now, list };
    return list;
  }
}
