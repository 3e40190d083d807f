import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

import { LOCATION_TYPES, type LocationType } from '../../domain/routing/types.ts';
import type { BusinessCalendar } from '../../domain/promise/index.ts';

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

/** The location's working calendar as the promise engine reads it: public holidays of its country/region, closures. */
export function locationCalendar(l: Location): BusinessCalendar {
  return {
    timeZone: l.timeZone,
    ...(l.holidayCountry ? { holidays: { country: l.holidayCountry, ...(l.holidayRegion ? { region: l.holidayRegion } : {}) } } : {}),
    closures: l.closures,
  };
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

  async create(input: LocationInput): Promise<Location> {
    if (input.timeZone && !isValidTimeZone(input.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${input.timeZone}`, 'timeZone');
    return this.database.transaction(async (trx) => {
      const id = await this.insert(trx, input);
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

  async update(code: string, patch: Partial<LocationInput>): Promise<Location> {
    if (patch.timeZone && !isValidTimeZone(patch.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${patch.timeZone}`, 'timeZone');
    const current = await this.getByCode(code);
    const next = { ...current, ...patch };
    await sql`update locations set name = ${next.name}, type = ${next.type}, address = ${JSON.stringify(next.address ?? {})},
        postcode = ${next.postcode}, country = ${next.country}, lat = ${next.lat}, lon = ${next.lon}, time_zone = ${next.timeZone},
        holiday_country = ${next.holidayCountry}, holiday_region = ${next.holidayRegion}, closures = ${next.closures}::date[],
        cutoff_time = ${next.cutoffTime}, handling_days = ${next.handlingDays}, daily_capacity = ${next.dailyCapacity},
        handling_cost_minor = ${next.handlingCostMinor}, priority = ${next.priority}, tags = ${next.tags}, active = ${next.active}
      where id = ${current.id}`.execute(this.database.db);
    this.#cache = null;
    return this.get(current.id);
  }

  /**
   * Closes the site on a local date (stock-take, shutdown): promises and routing skip it. Done in one statement
   * (no read-modify-write), so two people closing different days both stick; closing a closed day changes nothing.
   */
  async addClosure(code: string, date: string): Promise<Location> {
    return this.#closures(code, sql`(select array_agg(distinct d order by d) from unnest(closures || ${date}::date) as d)`);
  }

  /** Opens a closed date again (a date that was not closed: nothing changes). */
  async removeClosure(code: string, date: string): Promise<Location> {
    return this.#closures(code, sql`array_remove(closures, ${date}::date)`);
  }

  async #closures(code: string, next: ReturnType<typeof sql>): Promise<Location> {
    const r = await sql<{ id: string }>`update locations set closures = ${next} where code = ${code} returning id`.execute(this.database.db);
    if (r.rows.length === 0) throw notFound('location', code);
    this.#cache = null;
    return this.get(r.rows[0]!.id);
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
