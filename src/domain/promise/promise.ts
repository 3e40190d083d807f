import { Temporal } from 'temporal-polyfill';
import type { Money } from '../money/index.ts';
import {
  MON_TO_FRI,
  PromiseError,
  closedReason,
  compileCalendar,
  epochDayFromParts,
  fromEpochDay,
  isWorkingEpochDay,
  toEpochDay,
  weekdayIndex,
  type BusinessCalendar,
  type CompiledCalendar,
  type HolidayRegion,
  type Weekday,
} from './calendar.ts';

/** A fulfilment location as the promise engine sees it. */
export interface FulfilmentLocation {
  readonly id: string;
  /** IANA zone of the site; the cut-off is a wall-clock time in this zone. */
  readonly timeZone: string;
  /** Order cut-off, local 'HH:MM'. Orders at or after it are released the next working day. '00:00' = always next. */
  readonly cutoff: string;
  /** Working days of handling after the release day (0 = ships the day it is released). */
  readonly handlingDays: number;
  readonly calendar: BusinessCalendar;
}

/** A carrier service (e.g. UPS Ground, DHL Express Worldwide) as the promise engine sees it. */
export interface CarrierService {
  readonly id: string;
  readonly carrier?: string;
  /** Business days in transit, counted only on `deliveryDays` that are not carrier holidays. */
  readonly transitDays: number;
  /** Weekdays the carrier collects from the site. Default Monday to Friday. */
  readonly pickupDays?: readonly Weekday[];
  /** Weekdays the service delivers. Default Monday to Friday (add 'sat'/'sun' only if the service has them). */
  readonly deliveryDays?: readonly Weekday[];
  /** Carrier holidays (e.g. US federal holidays for USPS/UPS: { country: 'US' }); no pickup or delivery on them. */
  readonly holidays?: HolidayRegion;
  /** Extra carrier non-operating dates, ISO. */
  readonly closures?: readonly string[];
  /** Width of the delivery window in carrier delivery days: latest = earliest + varianceDays. Default 0. */
  readonly varianceDays?: number;
}

export interface PromiseInput {
  /** The current instant, ISO 8601 with offset or Z (the caller's clock; the domain never reads one). */
  readonly now: string;
  readonly location: FulfilmentLocation;
  readonly service: CarrierService;
  /** The date the customer asked for, ISO; drives `lateDays`. */
  readonly requestedDeliveryDate?: string;
}

export interface DeliveryWindow {
  readonly earliest: string;
  readonly latest: string;
}

export interface DeliveryPromise {
  readonly locationId: string;
  readonly serviceId: string;
  /** Local date (location zone) the order is released to the site. */
  readonly releaseDate: string;
  /** Local date (location zone) the parcel must leave the site. */
  readonly shipBy: string;
  /** The location's cut-off instant on the ship-by date, ISO instant (Z). */
  readonly shipByInstant: string;
  /** Earliest delivery date (= window.earliest). */
  readonly deliveryDate: string;
  readonly window: DeliveryWindow;
  /** Calendar days the earliest delivery falls after the requested date; 0 when on time or none requested. */
  readonly lateDays: number;
  readonly explanation: readonly string[];
}

const CUTOFF = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

// ---- time-zone lookups (cached: Temporal zone math is the expensive part of a promise) ---------------------------

const CACHE_LIMIT = 50_000;
const cutoffCache = new Map<string, Map<number, number>>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function asConfigError(e: unknown, what: string): never {
  if (e instanceof PromiseError) throw e;
  throw new PromiseError('INVALID_CONFIG', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

/** What a local date looks like in a zone: its first instant, the UTC offset then, and a DST transition if any. */
interface DayInfo {
  readonly startMs: number;
  readonly offsetMs: number;
  readonly transitionMs?: number;
  readonly offsetAfterMs?: number;
}
const dayInfoCache = new Map<string, Map<number, DayInfo>>();

function dayInfo(timeZone: string, epochDay: number): DayInfo {
  let byDay = dayInfoCache.get(timeZone);
  if (!byDay) dayInfoCache.set(timeZone, (byDay = new Map()));
  const hit = byDay.get(epochDay);
  if (hit !== undefined) return hit;
  let info: DayInfo;
  try {
    const start = Temporal.PlainDate.from(fromEpochDay(epochDay)).toZonedDateTime({ timeZone });
    const nextStart = start.add({ days: 1 }).startOfDay().epochMilliseconds;
    const next = start.getTimeZoneTransition('next');
    const base = { startMs: start.epochMilliseconds, offsetMs: start.offsetNanoseconds / 1e6 };
    info =
      next && next.epochMilliseconds < nextStart
        ? { ...base, transitionMs: next.epochMilliseconds, offsetAfterMs: next.offsetNanoseconds / 1e6 }
        : base;
  } catch (e) {
    asConfigError(e, `time zone ${timeZone}`);
  }
  return remember(byDay, epochDay, info);
}

/** The local date (as epoch day) of an instant in a zone. UTC offsets are within +-14 h, so it is one of 3 days. */
function localEpochDay(timeZone: string, epochMs: number): number {
  const utcDay = Math.floor(epochMs / DAY_MS);
  for (const d of [utcDay, utcDay - 1, utcDay + 1]) {
    if (dayInfo(timeZone, d).startMs <= epochMs && epochMs < dayInfo(timeZone, d + 1).startMs) return d;
  }
  throw new PromiseError('INVALID_INSTANT', `Cannot place ${epochMs} in ${timeZone}`);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Local wall time of an instant, 'YYYY-MM-DDTHH:MM:SS+HH:MM', from the cached day info (no Temporal call). */
function localTime(epochMs: number, timeZone: string, epochDay: number): string {
  const info = dayInfo(timeZone, epochDay);
  const offset = info.transitionMs !== undefined && epochMs >= info.transitionMs ? (info.offsetAfterMs as number) : info.offsetMs;
  const wall = epochMs + offset;
  const day = Math.floor(wall / DAY_MS);
  const secs = Math.floor((wall - day * DAY_MS) / 1000);
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return (
    `${fromEpochDay(day)}T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

function parseCutoff(cutoff: string): { hour: number; minute: number } {
  const m = CUTOFF.exec(cutoff);
  if (!m) throw new PromiseError('INVALID_CUTOFF', `Cut-off must be 'HH:MM' (00:00-23:59), got '${cutoff}'`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * Epoch ms of the cut-off on a local date: the first instant at which the site's wall clock reads the cut-off
 * time or later. On a spring-forward day a cut-off inside the skipped hour (02:30 in New York) is therefore the
 * transition instant (03:00 EDT); on a fall-back day an ambiguous cut-off (01:30) is its first occurrence (EDT).
 */
function cutoffMs(timeZone: string, epochDay: number, cutoff: string): number {
  const key = `${timeZone}|${cutoff}`;
  let byDay = cutoffCache.get(key);
  if (!byDay) cutoffCache.set(key, (byDay = new Map()));
  const hit = byDay.get(epochDay);
  if (hit !== undefined) return hit;
  const { hour, minute } = parseCutoff(cutoff);
  let ms: number;
  try {
    const date = Temporal.PlainDate.from(fromEpochDay(epochDay));
    const time = new Temporal.PlainTime(hour, minute);
    // 'compatible': an ambiguous time resolves to its earlier instant, a skipped time to after the gap.
    const zdt = date.toZonedDateTime({ timeZone, plainTime: time });
    const landed = zdt.toPlainDateTime();
    if (Temporal.PlainDate.compare(landed.toPlainDate(), date) === 0 && landed.hour === hour && landed.minute === minute) {
      ms = zdt.epochMilliseconds;
    } else {
      // The wall clock jumped over the cut-off: it was passed at the transition itself. 'earlier' resolves the
      // skipped time to an instant strictly before that transition, so the next transition from it is the one.
      const earlier = Temporal.ZonedDateTime.from(
        { timeZone, year: date.year, month: date.month, day: date.day, hour, minute },
        { disambiguation: 'earlier' },
      );
      ms = earlier.getTimeZoneTransition('next')?.epochMilliseconds ?? zdt.epochMilliseconds;
    }
  } catch (e) {
    asConfigError(e, `cut-off ${cutoff} in ${timeZone}`);
  }
  return remember(byDay, epochDay, ms);
}

/**
 * The cut-off instant on a local date, ISO (Z). Exposed for tests and for the warehouse's pick-wave clock.
 * @example cutoffInstant('America/New_York', '2026-03-08', '14:00') // '2026-03-08T18:00:00Z' (EDT, UTC-4)
 */
export function cutoffInstant(timeZone: string, isoDate: string, cutoff: string): string {
  return Temporal.Instant.fromEpochMilliseconds(cutoffMs(timeZone, toEpochDay(isoDate), cutoff)).toString();
}

const instantStrings = new Map<number, string>();
function instantString(ms: number): string {
  const hit = instantStrings.get(ms);
  if (hit !== undefined) return hit;
  return remember(instantStrings, ms, Temporal.Instant.fromEpochMilliseconds(ms).toString());
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO instant to epoch ms. The common RFC 3339 shapes are parsed directly (Temporal.Instant.from costs
 * ~4 us, a third of a promise); anything else, or any out-of-range field, goes to Temporal, which is the authority.
 */
function parseInstant(now: string): number {
  const m = INSTANT.exec(now);
  if (m) {
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
    const sec = m[6] ? Number(m[6]) : 0;
    const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
    const zone = m[8] as string;
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 28 + 3 && h <= 23 && mi <= 59 && sec <= 59) {
      const day = epochDayFromParts(y, mo, d);
      if (fromEpochDay(day).endsWith(`-${m[2]}-${m[3]}`)) {
        const off = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
        return day * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + ms - off;
      }
    }
  }
  try {
    return Temporal.Instant.from(now).epochMilliseconds;
  } catch {
    throw new PromiseError('INVALID_INSTANT', `'now' must be an ISO instant with an offset or Z, got '${now}'`);
  }
}

// ---- compiled carrier service ----------------------------------------------------------------------------------

interface CompiledService {
  readonly pickup: CompiledCalendar;
  readonly delivery: CompiledCalendar;
}
const compiledServices = new WeakMap<CarrierService, CompiledService>();

function compileService(s: CarrierService): CompiledService {
  let c = compiledServices.get(s);
  if (!c) {
    if (!Number.isInteger(s.transitDays) || s.transitDays < 0) {
      throw new PromiseError('INVALID_CONFIG', `Service ${s.id}: transitDays must be an integer >= 0`);
    }
    const base = { ...(s.holidays ? { holidays: s.holidays } : {}), ...(s.closures ? { closures: s.closures } : {}) };
    c = {
      pickup: compileCalendar({ ...base, workingWeekdays: s.pickupDays ?? MON_TO_FRI }),
      delivery: compileCalendar({ ...base, workingWeekdays: s.deliveryDays ?? MON_TO_FRI }),
    };
    compiledServices.set(s, c);
  }
  return c;
}

// ---- stepping with reasons ------------------------------------------------------------------------------------

const MAX_SCAN = 3 * 366;

function firstOpen(start: number, cals: readonly CompiledCalendar[], skipped?: string[]): number {
  for (let d = start, i = 0; i < MAX_SCAN; d++, i++) {
    let open = true;
    for (const c of cals) {
      if (!isWorkingEpochDay(c, d)) {
        open = false;
        if (skipped) skipped.push(`${fromEpochDay(d)} (${closedReason(c, d)})`);
        break;
      }
    }
    if (open) return d;
  }
  throw new PromiseError('NO_WORKING_DAY', `No open day within ${MAX_SCAN} days of ${fromEpochDay(start)}`);
}

/** `n` open days after `start` (n = 0: `start`). Records the days skipped when `skipped` is given. */
function stepOpen(start: number, n: number, cal: CompiledCalendar, skipped?: string[]): number {
  let d = start;
  for (let k = 0; k < n; k++) d = firstOpen(d + 1, [cal], skipped);
  return d;
}

function skippedNote(skipped: readonly string[]): string {
  return skipped.length ? `; skipped ${skipped.join(', ')}` : '';
}

// ---- the promise ----------------------------------------------------------------------------------------------

function computePromise(input: PromiseInput, explain: boolean): DeliveryPromise {
  const { location, service } = input;
  const tz = location.timeZone;
  if (!Number.isInteger(location.handlingDays) || location.handlingDays < 0) {
    throw new PromiseError('INVALID_CONFIG', `Location ${location.id}: handlingDays must be an integer >= 0`);
  }
  const variance = service.varianceDays ?? 0;
  if (!Number.isInteger(variance) || variance < 0) {
    throw new PromiseError('INVALID_CONFIG', `Service ${service.id}: varianceDays must be an integer >= 0`);
  }
  const site = compileCalendar(location.calendar);
  const carrier = compileService(service);
  const out: string[] | undefined = explain ? [] : undefined;

  // 1. Release: today if a working day and before today's cut-off, else the next working day.
  const t = parseInstant(input.now);
  const orderDay = localEpochDay(tz, t);
  const cut = cutoffMs(tz, orderDay, location.cutoff);
  const orderDayOpen = isWorkingEpochDay(site, orderDay);
  const beforeCutoff = t < cut;
  let release: number;
  if (orderDayOpen && beforeCutoff) {
    release = orderDay;
    out?.push(
      `Order at ${localTime(t, tz, orderDay)} is before the ${location.cutoff} cut-off (${instantString(cut)}) on a working day: ` +
        `released ${fromEpochDay(release)}.`,
    );
  } else {
    const skipped: string[] = [];
    release = firstOpen(orderDay + 1, [site], out ? skipped : undefined);
    const why = !orderDayOpen
      ? `${fromEpochDay(orderDay)} is not a working day at ${location.id} (${closedReason(site, orderDay)})`
      : location.cutoff === '00:00'
        ? `cut-off is 00:00 (midnight), so orders are released the next working day`
        : `it is at or after the ${location.cutoff} cut-off (${instantString(cut)})`;
    out?.push(`Order at ${localTime(t, tz, orderDay)}: ${why}; released ${fromEpochDay(release)}${skippedNote(skipped)}.`);
  }

  // 2. Ship-by: handling working days after release, then the first day the site works and the carrier collects.
  const handlingSkipped: string[] = [];
  const handled = stepOpen(release, location.handlingDays, site, out ? handlingSkipped : undefined);
  out?.push(
    `Handling ${location.handlingDays} working day(s) after release: ${fromEpochDay(handled)}${skippedNote(handlingSkipped)}.`,
  );
  const pickupSkipped: string[] = [];
  const shipBy = firstOpen(handled, [site, carrier.pickup], out ? pickupSkipped : undefined);
  const shipByCut = cutoffMs(tz, shipBy, location.cutoff);
  if (out) {
    out.push(
      shipBy === handled
        ? `Ship by ${fromEpochDay(shipBy)} (${service.id} collects that day), cut-off ${instantString(shipByCut)}.`
        : `Ship by ${fromEpochDay(shipBy)}: first day the site works and ${service.id} collects${skippedNote(pickupSkipped)}.`,
    );
  }

  // 3. Delivery: transit counted in carrier delivery days (no non-delivery weekdays, no carrier holidays).
  const transitSkipped: string[] = [];
  const earliest =
    service.transitDays === 0
      ? firstOpen(shipBy, [carrier.delivery], out ? transitSkipped : undefined)
      : stepOpen(shipBy, service.transitDays, carrier.delivery, out ? transitSkipped : undefined);
  const latest = stepOpen(earliest, variance, carrier.delivery);
  out?.push(
    `${service.transitDays} transit day(s) with ${service.id}: earliest delivery ${fromEpochDay(earliest)}` +
      `${skippedNote(transitSkipped)}` +
      (variance ? `; window to ${fromEpochDay(latest)} (+${variance} delivery day(s)).` : '.'),
  );

  let lateDays = 0;
  if (input.requestedDeliveryDate !== undefined) {
    lateDays = Math.max(0, earliest - toEpochDay(input.requestedDeliveryDate));
    out?.push(
      lateDays > 0
        ? `Requested ${input.requestedDeliveryDate}: ${lateDays} day(s) late.`
        : `Requested ${input.requestedDeliveryDate}: on time.`,
    );
  }

  return {
    locationId: location.id,
    serviceId: service.id,
    releaseDate: fromEpochDay(release),
    shipBy: fromEpochDay(shipBy),
    shipByInstant: instantString(shipByCut),
    deliveryDate: fromEpochDay(earliest),
    window: { earliest: fromEpochDay(earliest), latest: fromEpochDay(latest) },
    lateDays,
    explanation: out ?? [],
  };
}


/** A site's day as ops see it: open or not, the cut-off, when an order placed now is released, closures ahead. */
export interface SiteDay {
  readonly locationId: string;
  /** the site's local date and wall-clock time now (ISO with offset) */
  readonly localDate: string;
  readonly localTime: string;
  /** today is a working day at the site */
  readonly working: boolean;
  /** why today is not worked (weekday, closure, public holiday), null when it is */
  readonly closedReason: string | null;
  /** today's cut-off instant (Z); null when today is not worked */
  readonly cutoffInstant: string | null;
  /** an order placed now is released today (a working day, before the cut-off) */
  readonly releasesToday: boolean;
  /** the local date an order placed now is released to the site */
  readonly releaseDate: string;
  /** the cut-off of that release date (Z): orders placed before it are released then */
  readonly releaseCutoffInstant: string;
  /** days within the horizon, from today, that a normally worked weekday is closed (closure or public holiday) */
  readonly upcomingClosures: ReadonlyArray<{ readonly date: string; readonly reason: string }>;
}

/**
 * The site's day at `now`: what ops check before they change capacity or close a day (the same calendar and
 * cut-off rules as `promise`). Pure.
 */
export function siteDay(location: FulfilmentLocation, now: string, horizonDays = 14): SiteDay {
  const tz = location.timeZone;
  const site = compileCalendar(location.calendar);
  const t = parseInstant(now);
  const today = localEpochDay(tz, t);
  const closed = closedReason(site, today);
  const cut = cutoffMs(tz, today, location.cutoff);
  const releasesToday = closed === null && t < cut;
  const release = releasesToday ? today : firstOpen(today + 1, [site]);
  const upcoming: Array<{ date: string; reason: string }> = [];
  for (let d = today; d <= today + horizonDays; d++) {
    if ((site.weekdayMask & (1 << weekdayIndex(d))) === 0) continue; // a weekday never worked is not news
    const why = closedReason(site, d);
    if (why !== null) upcoming.push({ date: fromEpochDay(d), reason: why });
  }
  return {
    locationId: location.id,
    localDate: fromEpochDay(today),
    localTime: localTime(t, tz, today),
    working: closed === null,
    closedReason: closed,
    cutoffInstant: closed === null ? instantString(cut) : null,
    releasesToday,
    releaseDate: fromEpochDay(release),
    releaseCutoffInstant: instantString(cutoffMs(tz, release, location.cutoff)),
    upcomingClosures: upcoming,
  };
}

/**
 * Promises a delivery date for one shipment from `location` with `service`, given the current instant.
 * Pure: the same input always gives the same promise.
 * @example
 * promise({ now: '2026-11-25T20:00:00Z', location: njWarehouse, service: upsGround2 })
 * // 15:00 EST, after a 14:00 cut-off; 26 Nov is Thanksgiving -> releaseDate '2026-11-27'
 */
export function promise(input: PromiseInput): DeliveryPromise {
  return computePromise(input, true);
}

// ---- order level ----------------------------------------------------------------------------------------------

export interface OrderPromise {
  /** The first shipment's release date (work on the order starts then). */
  readonly firstReleaseDate: string;
  /** Latest shipment ship-by: the order has left every site by then. */
  readonly shipBy: string;
  readonly shipByInstant: string;
  /** Latest shipment delivery: the order is complete when its last parcel arrives. */
  readonly deliveryDate: string;
  readonly window: DeliveryWindow;
  readonly lateDays: number;
  readonly shipments: number;
}

/**
 * Combines per-shipment promises into the order's promise. Choice: the order ships by the latest shipment ship-by
 * and is delivered when the latest shipment arrives (a customer judges an order by its last parcel).
 */
export function combinePromises(shipments: readonly DeliveryPromise[]): OrderPromise {
  const first = shipments[0];
  if (!first) throw new PromiseError('NO_SHIPMENTS', 'combinePromises needs at least one shipment');
  let firstRelease = first.releaseDate;
  let lastShip = first;
  let deliveryDate = first.deliveryDate;
  let windowEarliest = first.window.earliest;
  let windowLatest = first.window.latest;
  let lateDays = first.lateDays;
  for (const s of shipments) {
    if (s.releaseDate < firstRelease) firstRelease = s.releaseDate;
    if (s.shipByInstant > lastShip.shipByInstant) lastShip = s;
    if (s.deliveryDate > deliveryDate) deliveryDate = s.deliveryDate;
    if (s.window.earliest > windowEarliest) windowEarliest = s.window.earliest;
    if (s.window.latest > windowLatest) windowLatest = s.window.latest;
    if (s.lateDays > lateDays) lateDays = s.lateDays;
  }
  return {
    firstReleaseDate: firstRelease,
    shipBy: lastShip.shipBy,
    shipByInstant: lastShip.shipByInstant,
    deliveryDate,
    window: { earliest: windowEarliest, latest: windowLatest },
    lateDays,
    shipments: shipments.length,
  };
}

// ---- storefront quote -----------------------------------------------------------------------------------------

export interface ServiceLevelOption {
  /** Storefront service level, e.g. 'standard', 'express', 'next_day'. */
  readonly serviceLevel: string;
  readonly location: FulfilmentLocation;
  readonly service: CarrierService;
  readonly price: Money;
}

export interface ServiceLevelQuote {
  readonly serviceLevel: string;
  readonly deliveryDate: string;
  readonly window: DeliveryWindow;
  readonly price: Money;
  readonly locationId: string;
  readonly serviceId: string;
  readonly shipBy: string;
  readonly lateDays: number;
}

export interface QuoteInput {
  readonly now: string;
  readonly options: readonly ServiceLevelOption[];
  readonly requestedDeliveryDate?: string;
}

/**
 * For a storefront "get it by ..." quote: per service level, the candidate with the earliest delivery date
 * (ties: lower price in the same currency, then input order) and its price. Levels come back in the order they
 * first appear in `options`. Each (location, service) pair is promised once per call, without explanations.
 */
export function quoteServiceLevels(input: QuoteInput): ServiceLevelQuote[] {
  const memo = new Map<FulfilmentLocation, Map<CarrierService, DeliveryPromise>>();
  const best = new Map<string, { option: ServiceLevelOption; p: DeliveryPromise }>();
  for (const option of input.options) {
    let byService = memo.get(option.location);
    if (!byService) memo.set(option.location, (byService = new Map()));
    let p = byService.get(option.service);
    if (!p) {
      p = computePromise(
        {
          now: input.now,
          location: option.location,
          service: option.service,
          ...(input.requestedDeliveryDate !== undefined ? { requestedDeliveryDate: input.requestedDeliveryDate } : {}),
        },
        false,
      );
      byService.set(option.service, p);
    }
    const current = best.get(option.serviceLevel);
    if (
      !current ||
      p.deliveryDate < current.p.deliveryDate ||
      (p.deliveryDate === current.p.deliveryDate &&
        option.price.currency === current.option.price.currency &&
        option.price.amountMinor < current.option.price.amountMinor)
    ) {
      best.set(option.serviceLevel, { option, p });
    }
  }
  return [...best.values()].map(({ option, p }) => ({
    serviceLevel: option.serviceLevel,
    deliveryDate: p.deliveryDate,
    window: p.window,
    price: option.price,
    locationId: p.locationId,
    serviceId: p.serviceId,
    shipBy: p.shipBy,
    lateDays: p.lateDays,
  }));
}
