import Holidays from 'date-holidays';

/** ISO weekday names, Monday first. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export const MON_TO_FRI: readonly Weekday[] = Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri']);

/** Public holidays of a country and optional region/state (date-holidays codes: 'US'+'NJ', 'DE'+'BE', 'GB'+'ENG'). */
export interface HolidayRegion {
  readonly country: string;
  readonly region?: string;
}

/**
 * Which local dates a site (or a carrier) works. Data, not code, so ops can edit it.
 * Only holidays of type 'public' count; bank/observance days (e.g. Christmas Eve in the US) do not close a site
 * unless listed in `closures`.
 */
export interface BusinessCalendar {
  /** IANA zone the dates are local to (informational here; the location's zone drives cut-offs). */
  readonly timeZone?: string;
  readonly holidays?: HolidayRegion;
  /** Extra closed dates (stock-take, site shutdown), ISO 'YYYY-MM-DD'. */
  readonly closures?: readonly string[];
  /** Default Monday to Friday. */
  readonly workingWeekdays?: readonly Weekday[];
}

export type PromiseErrorCode =
  | 'INVALID_DATE'
  | 'INVALID_INSTANT'
  | 'INVALID_CUTOFF'
  | 'INVALID_CONFIG'
  | 'NO_WORKING_DAY'
  | 'NO_SHIPMENTS';

/** Bad input or configuration for the promise engine (a bug or a data error, not a business outcome). */
export class PromiseError extends Error {
  override readonly name = 'PromiseError';
  constructor(readonly code: PromiseErrorCode, message: string) {
    super(message);
  }
}

// ---- epoch-day arithmetic -------------------------------------------------------------------------------------
// Calendar stepping runs on integer day numbers (days since 1970-01-01), which is ~100x cheaper than creating
// Temporal.PlainDate objects in the inner loop. Algorithm: H. Hinnant, "chrono-compatible low-level date algorithms".

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function epochDayFromParts(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** 'YYYY-MM-DD' -> days since 1970-01-01. Throws PromiseError on a malformed or impossible date (2026-02-30). */
export function toEpochDay(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new PromiseError('INVALID_DATE', `Not an ISO date (YYYY-MM-DD): ${isoDate}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const n = epochDayFromParts(y, mo, d);
  if (mo < 1 || mo > 12 || d < 1 || fromEpochDay(n) !== isoDate) {
    throw new PromiseError('INVALID_DATE', `Not a calendar date: ${isoDate}`);
  }
  return n;
}

/**
 * days since 1970-01-01 -> civil year, month, day (Howard Hinnant's days_from_civil inverse). Hand-written
 * rather than via Date/Temporal because the promise engine calls it in its inner loops.
 */
function civilFromEpochDay(n: number): { y: number; m: number; d: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** days since 1970-01-01 -> 'YYYY-MM-DD' (years 0000-9999). */
export function fromEpochDay(n: number): string {
  const { y, m, d } = civilFromEpochDay(n);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Calendar year of an epoch day. */
export function yearOfEpochDay(n: number): number {
  return civilFromEpochDay(n).y;
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

export function weekdayOf(isoDate: string): Weekday {
  return WEEKDAYS[weekdayIndex(toEpochDay(isoDate))] as Weekday;
}

export function addCalendarDays(isoDate: string, days: number): string {
  return fromEpochDay(toEpochDay(isoDate) + days);
}

// ---- holidays -------------------------------------------------------------------------------------------------

// Constructing a date-holidays object parses its rule set (several ms for US states), so both the objects and
// the per-year results are cached for the life of the process. Holidays are a pure function of the inputs.
const holidayObjects = new Map<string, Holidays>();
const holidayYears = new Map<string, ReadonlyMap<number, string>>();

function holidaysFor(region: HolidayRegion): Holidays {
  const key = `${region.country}|${region.region ?? ''}`;
  let h = holidayObjects.get(key);
  if (h === undefined) {
    const hd = region.region
      ? new Holidays(region.country, region.region, { types: ['public'] })
      : new Holidays(region.country, { types: ['public'] });
    // date-holidays falls back silently on an unknown code; an unknown country must not mean "no holidays".
    const known = hd.getCountries()[region.country] !== undefined &&
      (!region.region || hd.getStates(region.country)?.[region.region] !== undefined);
    if (!known) {
      throw new PromiseError('INVALID_CONFIG', `Unknown holiday region ${key.replace('|', '/')}`);
    }
    h = hd;
    holidayObjects.set(key, h);
  }
  return h;
}

/** Public holidays of a region in a year, as epoch day -> name (cached). */
export function publicHolidays(region: HolidayRegion, year: number): ReadonlyMap<number, string> {
  const key = `${region.country}|${region.region ?? ''}|${year}`;
  let days = holidayYears.get(key);
  if (!days) {
    const h = holidaysFor(region);
    const map = new Map<number, string>();
    for (const hol of h.getHolidays(year)) {
      if (hol.type !== 'public') continue;
      map.set(toEpochDay(hol.date.slice(0, 10)), hol.name);
    }
    days = map;
    holidayYears.set(key, days);
  }
  return days;
}

// ---- compiled calendars ---------------------------------------------------------------------------------------

/** A calendar prepared for fast lookups (weekday bitmask, closure set). Cached per calendar object. */
export interface CompiledCalendar {
  readonly weekdayMask: number;
  readonly closures: ReadonlySet<number>;
  readonly holidays?: HolidayRegion;
  /** Per-year holiday maps, memoised on the compiled calendar to skip the global cache's string keys. */
  readonly holidayYears: Map<number, ReadonlyMap<number, string>>;
}

const compiled = new WeakMap<object, CompiledCalendar>();

export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  let c = compiled.get(cal);
  if (!c) {
    const days = cal.workingWeekdays ?? MON_TO_FRI;
    let mask = 0;
    for (const d of days) {
      const i = WEEKDAYS.indexOf(d);
      if (i < 0) throw new PromiseError('INVALID_CONFIG', `Unknown weekday: ${d}`);
      mask |= 1 << i;
    }
    c = {
      weekdayMask: mask,
      closures: new Set((cal.closures ?? []).map(toEpochDay)),
      holidayYears: new Map(),
      ...(cal.holidays ? { holidays: cal.holidays } : {}),
    };
    if (cal.holidays) holidaysFor(cal.holidays); // validate the region eagerly
    compiled.set(cal, c);
  }
  return c;
}

/** Why a day is not worked, or null when it is a working day. */
export function closedReason(cal: CompiledCalendar, epochDay: number): string | null {
  const wd = weekdayIndex(epochDay);
  if ((cal.weekdayMask & (1 << wd)) === 0) return `${WEEKDAYS[wd]} is not a working weekday`;
  if (cal.closures.has(epochDay)) return 'closure';
  if (cal.holidays) {
    const year = yearOfEpochDay(epochDay);
    let days = cal.holidayYears.get(year);
    if (!days) cal.holidayYears.set(year, (days = publicHolidays(cal.holidays, year)));
    const name = days.get(epochDay);
    if (name !== undefined) return `public holiday (${name})`;
  }
  return null;
}

export function isWorkingEpochDay(cal: CompiledCalendar, epochDay: number): boolean {
  return closedReason(cal, epochDay) === null;
}

/** Guards against a calendar with no working day at all (would loop forever). */
const MAX_SCAN_DAYS = 3 * 366;

/** First working day on or after `epochDay`. */
export function nextWorkingEpochDay(cal: CompiledCalendar, epochDay: number, ...more: CompiledCalendar[]): number {
  for (let d = epochDay, i = 0; i < MAX_SCAN_DAYS; d++, i++) {
    if (isWorkingEpochDay(cal, d) && more.every((c) => isWorkingEpochDay(c, d))) return d;
  }
  throw new PromiseError('NO_WORKING_DAY', `No working day within ${MAX_SCAN_DAYS} days of ${fromEpochDay(epochDay)}`);
}

/** Steps forward `n` working days (n = 0 returns the day itself, worked or not). */
export function addWorkingEpochDays(cal: CompiledCalendar, epochDay: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new PromiseError('INVALID_CONFIG', `working days must be >= 0, got ${n}`);
  let d = epochDay;
  for (let left = n, i = 0; left > 0; i++) {
    if (i > MAX_SCAN_DAYS * Math.max(1, n)) throw new PromiseError('NO_WORKING_DAY', 'calendar has no working days');
    d++;
    if (isWorkingEpochDay(cal, d)) left--;
  }
  return d;
}

/**
 * Is `isoDate` a working day: a working weekday, not a public holiday of the calendar's region, not a closure.
 * @example isWorkingDay({ holidays: { country: 'US', region: 'NJ' } }, '2026-11-26') // false (Thanksgiving)
 */
export function isWorkingDay(cal: BusinessCalendar, isoDate: string): boolean {
  return isWorkingEpochDay(compileCalendar(cal), toEpochDay(isoDate));
}

/**
 * The date `n` working days after `isoDate` (the start day itself is not counted; n = 0 returns it unchanged).
 * @example addWorkingDays({}, '2026-01-02', 1) // '2026-01-05' (Friday + 1 working day = Monday)
 */
export function addWorkingDays(cal: BusinessCalendar, isoDate: string, n: number): string {
  return fromEpochDay(addWorkingEpochDays(compileCalendar(cal), toEpochDay(isoDate), n));
}
