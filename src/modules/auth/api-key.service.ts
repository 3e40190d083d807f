import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal, Role } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export const ROLES: readonly Role[] = ['admin', 'ops', 'viewer', 'channel'];

/**
 * API keys: `sy_<role>_<32 random bytes>`. Only a SHA-256 of the key is stored (the key has 256 bits of
 * entropy, so a slow password hash would add nothing but latency). Verified keys are cached briefly so the
 * hot path does not query for every request; revocation takes effect within the cache TTL.
 */
export class ApiKeyService {
  #cache = new Map<string, { at: number; principal: Principal | null }>();
  constructor(private readonly database: Database, private readonly ttlMs = 10_000) {}

  static hash(key: string) {
    return createHash('sha256').update(key).digest('hex');
  }

  async create(i: { name: string; role: Role; channel?: string | null; key?: string }): Promise<{ id: string; key: string; role: Role; name: string; channel: string | null }> {
    let channelId: string | null = null;
    if (i.role === 'channel') {
      if (!i.channel) throw invalid('channel_required', 'a channel key must name its channel', 'channel');
      const r = await sql<any>`select id from channels where code = ${i.channel}`.execute(this.database.db);
      if (!r.rows[0]) throw invalid('unknown_channel', `channel ${i.channel} does not exist`, 'channel');
      channelId = r.rows[0].id;
    } else if (i.channel) throw invalid('channel_not_allowed', 'only channel keys name a channel', 'channel');
    const key = i.key ?? `sy_${i.role}_${randomBytes(32).toString('base64url')}`;
    const id = uuidv7();
    await sql`insert into api_keys (id, name, prefix, key_hash, role, channel_id) values (${id}, ${i.name}, ${key.slice(0, 12)}, ${ApiKeyService.hash(key)}, ${i.role}, ${channelId})`.execute(this.database.db);
    return { id, key, role: i.role, name: i.name, channel: i.channel ?? null };
  }

  async list() {
    const r = await sql<any>`select k.id, k.name, k.prefix, k.role, c.code as channel, k.active, k.created_at from api_keys k left join channels c on c.id = k.channel_id order by k.created_at`.execute(this.database.db);
    return r.rows.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, role: k.role, channel: k.channel, active: k.active, createdAt: k.created_at }));
  }

  async revoke(id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('api_key', id);
    const r = await sql`update api_keys set active = false where id = ${id}`.execute(this.database.db);
    if (Number(r.numAffectedRows ?? 0) === 0) throw notFound('api_key', id);
    this.#cache.clear();
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = ApiKeyService.hash(key);
    const now = Date.now();
    const hit = this.#cache.get(hash);
    if (hit && now - hit.at < this.ttlMs) return hit.principal;
    const r = await sql<any>`select id, name, role, channel_id, key_hash from api_keys where key_hash = ${hash} and active`.execute(this.database.db);
    const row = r.rows[0];
    const principal =
      row && timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(hash))
        ? Object.freeze({ keyId: row.id as string, name: row.name as string, role: row.role as Role, channelId: row.channel_id as string | null })
        : null;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { at: now, principal });
    return principal;
  }
}
