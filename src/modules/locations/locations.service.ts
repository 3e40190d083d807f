import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { publish } from '../events/outbox.ts';

import { LOCATION_TYPES, type LocationType } from '../../domain/routing/types.ts';
import type { BusinessCalendar, FulfilmentLocation } from '../../domain/promise/index.ts';

export { LOCATION_TYPES, type LocationType };

export interface LocationInput {
  code: string;
  name: string;
  type: LocationType;
  address?: Record<string, string>;
  postcode?: string | null;
  country: string;
  lat?: number | null;
  lon?: number | null;
  timeZone?: string;
  holidayCountry?: string | null;
  holidayRegion?: string | null;
  closures?: string[];
  cutoffTime?: string;
  handlingDays?: number;
  dailyCapacity?: number | null;
  handlingCostMinor?: number;
  priority?: number;
  tags?: string[];
  active?: boolean;
}

export interface Location extends Required<Omit<LocationInput, 'address'>> {
  id: string;
  address: Record<string, string>;
}

/** A location as stored, from its input: every default applied (UTC, 15:00 cut-off, priority 100, ...). */
export function withLocationDefaults(id: string, i: LocationInput): Location {
  return {
    id, code: i.code, name: i.name, type: i.type, address: i.address ?? {}, postcode: i.postcode ?? null, country: i.country,
    lat: i.lat ?? null, lon: i.lon ?? null, timeZone: i.timeZone ?? 'UTC', holidayCountry: i.holidayCountry ?? i.country,
    holidayRegion: i.holidayRegion ?? null, closures: i.closures ?? [], cutoffTime: i.cutoffTime ?? '15:00', handlingDays: i.handlingDays ?? 0,
    dailyCapacity: i.dailyCapacity ?? null, handlingCostMinor: i.handlingCostMinor ?? 0, priority: i.priority ?? 100, tags: i.tags ?? [], active: i.active ?? true,
  };
}

function toLocation(r: any): Location {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    address: r.address,
    postcode: r.postcode,
    country: r.country,
    lat: r.lat,
    lon: r.lon,
    timeZone: r.time_zone,
    holidayCountry: r.holiday_country,
    holidayRegion: r.holiday_region,
    closures: (r.closures ?? []).map((d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d))),
    cutoffTime: r.cutoff_time,
    handlingDays: r.handling_days,
    dailyCapacity: r.daily_capacity,
    handlingCostMinor: r.handling_cost_minor,
    priority: r.priority,
    tags: r.tags,
    active: r.active,
  };
}

/** One entry of a location's audit trail. */
export interface LocationEvent {
  at: Date;
  actor: string;
  action: 'created' | 'changed' | 'closed' | 'opened' | 'evacuated';
  /** for `changed`: each field with its old and new value; for `closed`/`opened`: the date; for `evacuated`: what moved */
  changes: unknown;
  reason: string | null;
}

/** Fields of a location compared for its audit trail (everything an ops user or integration can change). */
const AUDITED: ReadonlyArray<keyof Location> = [
  'name', 'type', 'address', 'postcode', 'country', 'lat', 'lon', 'timeZone', 'holidayCountry', 'holidayRegion', 'closures', 'cutoffTime',
  'handlingDays', 'dailyCapacity', 'handlingCostMinor', 'priority', 'tags', 'active',
];

/** The location's working calendar as the promise engine reads it: public holidays of its country/region, closures. */
export function locationCalendar(l: Location): BusinessCalendar {
  return {
    timeZone: l.timeZone,
    ...(l.holidayCountry ? { holidays: { country: l.holidayCountry, ...(l.holidayRegion ? { region: l.holidayRegion } : {}) } } : {}),
    closures: l.closures,
  };
}

const sites = new WeakMap<Location, FulfilmentLocation>();
/**
 * The location as the promise engine sees a site (named by its code), one per Location object: the promise
 * engine compiles a calendar once per calendar object, and cached location lists keep their objects for seconds.
 */
export function fulfilmentSite(l: Location): FulfilmentLocation {
  let s = sites.get(l);
  if (!s) sites.set(l, (s = { id: l.code, timeZone: l.timeZone, cutoff: l.cutoffTime, handlingDays: l.handlingDays, calendar: locationCalendar(l) }));
  return s;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Fulfilment locations: warehouses, stores, 3PLs, drop-ship vendors, factory-side fulfilment centres. */
export class LocationService {
  #cache: { at: number; list: Location[] } | null = null;
  constructor(private readonly database: Database) {}

  async create(input: LocationInput, actor = 'system'): Promise<Location> {
    if (input.timeZone && !isValidTimeZone(input.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${input.timeZone}`, 'timeZone');
    return this.database.transaction(async (trx) => {
      const id = await this.insert(trx, input);
      await this.#event(trx, id, actor, 'created', [], null, { code: input.code });
      this.#cache = null;
      return this.get(id, trx);
    });
  }

  async insert(trx: Tx, input: LocationInput): Promise<string> {
    const l = withLocationDefaults(uuidv7(), input);
    const r = await sql`
      insert into locations (id, code, name, type, address, postcode, country, lat, lon, time_zone, holiday_country, holiday_region,
        closures, cutoff_time, handling_days, daily_capacity, handling_cost_minor, priority, tags, active)
      values (${l.id}, ${l.code}, ${l.name}, ${l.type}, ${JSON.stringify(l.address)}, ${l.postcode}, ${l.country},
        ${l.lat}, ${l.lon}, ${l.timeZone}, ${l.holidayCountry}, ${l.holidayRegion},
        ${l.closures}::date[], ${l.cutoffTime}, ${l.handlingDays}, ${l.dailyCapacity},
        ${l.handlingCostMinor}, ${l.priority}, ${l.tags}, ${l.active})
      on conflict (code) do nothing`.execute(trx);
    if (Number(r.numAffectedRows ?? 0) === 0) throw conflict('location_exists', `location ${l.code} already exists`, 'code');
    return l.id;
  }

  /**
   * Changes a location; the row is locked for the change (two changes at once both stick, one after the other),
   * and what changed is in its audit trail and an outbox event (`location.changed`). A change that changes
   * nothing writes nothing.
   */
  async update(code: string, patch: Partial<LocationInput>, actor = 'system', reason: string | null = null): Promise<Location> {
    if (patch.timeZone && !isValidTimeZone(patch.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${patch.timeZone}`, 'timeZone');
    return this.database.transaction(async (trx) => {
      const r = await sql`select * from locations where code = ${code} for update`.execute(trx);
      if (r.rows.length === 0) throw notFound('location', code);
      const current = toLocation(r.rows[0]);
      const next = { ...current, ...patch };
      const changes = AUDITED.filter((k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(next[k] ?? null))
        .map((k) => ({ field: k, from: current[k] ?? null, to: next[k] ?? null }));
      if (changes.length === 0) return current;
      const u = await sql<any>`update locations set name = ${next.name}, type = ${next.type}, address = ${JSON.stringify(next.address ?? {})},
          postcode = ${next.postcode}, country = ${next.country}, lat = ${next.lat}, lon = ${next.lon}, time_zone = ${next.timeZone},
          holiday_country = ${next.holidayCountry}, holiday_region = ${next.holidayRegion}, closures = ${next.closures}::date[],
          cutoff_time = ${next.cutoffTime}, handling_days = ${next.handlingDays}, daily_capacity = ${next.dailyCapacity},
          handling_cost_minor = ${next.handlingCostMinor}, priority = ${next.priority}, tags = ${next.tags}, active = ${next.active}
        where id = ${current.id} returning *`.execute(trx);
      await this.#event(trx, current.id, actor, 'changed', changes, reason, { code, changes });
      this.#cache = null;
      return toLocation(u.rows[0]);
    });
  }

  /** Records something done to a location from outside this service (an evacuation), with its outbox event. */
  async record(location: Pick<Location, 'id' | 'code'>, actor: string, action: LocationEvent['action'], changes: Record<string, unknown>, reason: string | null): Promise<void> {
    await this.database.transaction((trx) => this.#event(trx, location.id, actor, action, changes, reason, { code: location.code, ...changes }));
  }

  /** A location's audit trail, newest first. */
  async history(code: string, limit = 200): Promise<LocationEvent[]> {
    const l = await this.getByCode(code);
    const r = await sql<any>`select at, actor, action, changes, reason from location_events where location_id = ${l.id} order by id desc limit ${limit}`.execute(this.database.db);
    return r.rows.map((x) => ({ at: x.at, actor: x.actor, action: x.action, changes: x.changes, reason: x.reason }));
  }

  async #event(trx: Tx, locationId: string, actor: string, action: LocationEvent['action'], changes: unknown, reason: string | null, payload: Record<string, unknown>) {
    await sql`insert into location_events (location_id, actor, action, changes, reason) values (${locationId}, ${actor}, ${action}, ${JSON.stringify(changes)}::jsonb, ${reason})`.execute(trx);
    await publish(trx, [{ topic: `location.${action}`, aggregateType: 'location', aggregateId: locationId, payload: { locationId, action, ...payload, ...(reason ? { reason } : {}) } }]);
  }

  /**
   * Closes the site on a local date (stock-take, shutdown): promises and routing skip it. Done in one statement
   * (no read-modify-write), so two people closing different days both stick; closing a closed day changes nothing.
   */
  async addClosure(code: string, date: string, actor = 'system'): Promise<Location> {
    return this.#closures(code, date, 'closed', actor, sql`(select array_agg(distinct d order by d) from unnest(l.closures || ${date}::date) as d)`);
  }

  /** Opens a closed date again (a date that was not closed: nothing changes). */
  async removeClosure(code: string, date: string, actor = 'system'): Promise<Location> {
    return this.#closures(code, date, 'opened', actor, sql`array_remove(l.closures, ${date}::date)`);
  }

  async #closures(code: string, date: string, action: 'closed' | 'opened', actor: string, next: ReturnType<typeof sql>): Promise<Location> {
    return this.database.transaction(async (trx) => {
      // one statement that also says whether anything changed (closing a closed day is no event)
      const r = await sql<any>`with old as (select id, closures from locations where code = ${code} for update)
        update locations l set closures = ${next} from old where l.id = old.id
        returning l.*, l.closures is distinct from old.closures as changed`.execute(trx);
      if (r.rows.length === 0) throw notFound('location', code);
      const location = toLocation(r.rows[0]);
      if (r.rows[0].changed) await this.#event(trx, location.id, actor, action, { date }, null, { code, date });
      this.#cache = null;
      return location;
    });
  }

  async get(id: string, trx?: Tx): Promise<Location> {
    const r = await sql`select * from locations where id = ${id}`.execute(trx ?? this.database.db);
    if (r.rows.length === 0) throw notFound('location', id);
    return toLocation(r.rows[0]);
  }

  async getByCode(code: string): Promise<Location> {
    const r = await sql`select * from locations where code = ${code}`.execute(this.database.db);
    if (r.rows.length === 0) throw notFound('location', code);
    return toLocation(r.rows[0]);
  }

  async list(): Promise<Location[]> {
    const r = await sql`select * from locations order by priority, code`.execute(this.database.db);
    return r.rows.map(toLocation);
  }

  /**
   * All locations, cached for a few seconds: routing reads them on every capture batch, they change rarely, and
   * a change made by another process is seen within `maxAgeMs`.
   */
  async listCached(trx: Tx, maxAgeMs = 5000): Promise<Location[]> {
    const now = Date.now();
    if (this.#cache && now - this.#cache.at < maxAgeMs) return this.#cache.list;
    const r = await sql`select * from locations order by priority, code`.execute(trx);
    this.#cache = { at: now, list: r.rows.map(toLocation) };
    return this.#cache.list;
  }
}
