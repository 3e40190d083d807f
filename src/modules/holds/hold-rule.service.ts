import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { defineHoldRule, holdRuleChanges, rulesInOrder, validateHoldRule, type HoldRule, type HoldRuleDraft } from '../../domain/holds/hold-rules.ts';
import type { ProfileChange } from '../../domain/routing/profile.ts';

/**
 * Hold rules that ops users configure (see domain/holds). Saving never edits a rule: it writes the next version,
 * so an order held by a rule names the version that held it, and the history says who changed what.
 */
export class HoldRuleService {
  #cache: { at: number; rules: HoldRule[] } | null = null;
  constructor(private readonly database: Database) {}

  /** Creates a rule or its next version (422 `invalid_hold_rule` naming the setting). */
  async save(ctx: Ctx, draft: HoldRuleDraft): Promise<HoldRule> {
    const problems = validateHoldRule(defineHoldRule(draft));
    // the settings are flat: the problem names one first (`conditions.and[0]: …` is about `conditions`)
    if (problems.length > 0) throw invalid('invalid_hold_rule', problems.join('; '), /^[A-Za-z]+/.exec(problems[0]!)![0]);
    return this.database.transaction(async (trx) => {
      // serialised per rule id, so two saves never take one version number
      await sql`select pg_advisory_xact_lock(hashtext(${'hold_rule:' + draft.id}))`.execute(trx);
      const cur = await sql<{ v: number | null }>`select max(version) as v from hold_rules where id = ${draft.id}`.execute(trx);
      const saved = defineHoldRule({ ...draft, version: (cur.rows[0]?.v ?? 0) + 1 });
      await sql`insert into hold_rules (id, version, definition, created_by) values (${saved.id}, ${saved.version}, ${JSON.stringify(saved)}, ${ctx.actor})`.execute(trx);
      this.#cache = null;
      return saved;
    });
  }

  /** The latest version of every rule (active or not), in the order they are tried, inactive last. */
  async list(): Promise<HoldRule[]> {
    const all = await latest(this.database.db);
    const active = rulesInOrder(all);
    return [...active, ...all.filter((x) => !x.active).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1))];
  }

  /** Every version, newest first, with who saved it and what it changed from the one before (null for the first). */
  async history(id: string): Promise<Array<{ version: number; createdBy: string; createdAt: Date; changes: ProfileChange[] | null; rule: HoldRule }>> {
    const r = await sql<any>`select version, definition, created_by, created_at from hold_rules where id = ${id} order by version desc`.execute(this.database.db);
    if (r.rows.length === 0) throw notFound('hold_rule', id);
    return r.rows.map((x, i) => ({
      version: x.version,
      createdBy: x.created_by,
      createdAt: x.created_at,
      changes: r.rows[i + 1] ? holdRuleChanges(r.rows[i + 1].definition, x.definition) : null,
      rule: x.definition,
    }));
  }

  /** Active rules in the order they are tried, cached briefly for the capture path (other processes' saves within `maxAgeMs`). */
  async active(trx: Tx, maxAgeMs = 5000): Promise<HoldRule[]> {
    const now = Date.now();
    if (this.#cache && now - this.#cache.at < maxAgeMs) return this.#cache.rules;
    const rules = rulesInOrder(await latest(trx));
    this.#cache = { at: now, rules };
    return rules;
  }
}

/** The latest version of every rule. */
async function latest(db: Database['db'] | Tx): Promise<HoldRule[]> {
  const r = await sql<{ definition: HoldRule }>`select distinct on (id) definition from hold_rules order by id, version desc`.execute(db);
  return r.rows.map((x) => x.definition);
}
