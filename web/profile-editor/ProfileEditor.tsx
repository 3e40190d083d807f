/**
 * The routing profile as a form: what ops users change without writing JSON. "Applies when" is a
 * react-querybuilder over the order facts (exported as JsonLogic, the format profiles store); constraints,
 * costs and preferences are plain inputs. Every change hands the whole draft (everything but the version) to
 * the page, which keeps the JSON view in step and sends it to the API; the API validates it as for any client.
 */
import { useId, useMemo, useState, type ReactNode } from 'react';
import { QueryBuilder, formatQuery, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import { DEFAULT_PROFILE } from '../../src/domain/routing/profile.ts';
import { LOCATION_TYPES, SEARCH_LEVELS, type RoutingProfile, type SearchLevel } from '../../src/domain/routing/types.ts';
import { conditionFields, JSONLOGIC_OPTIONS, SERVICE_LEVELS } from './fields.ts';

/** A profile as authored: everything but its version. */
export type Draft = Omit<RoutingProfile, 'version'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Editable = Mutable<Draft>;

export interface ProfileEditorProps {
  /** the draft as the page holds it (possibly partial: missing settings take the built-in defaults) */
  initial: unknown;
  channels: readonly string[];
  onChange: (draft: Draft) => void;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The draft with every setting present: the built-in default's value where the draft has none. */
export function completeDraft(raw: unknown): Editable {
  const d = isObject(raw) ? raw : {};
  const D = DEFAULT_PROFILE;
  const section = <T extends object>(base: T, over: unknown): T => structuredClone({ ...base, ...(isObject(over) ? over : {}) });
  return {
    id: typeof d.id === 'string' ? d.id : '',
    name: typeof d.name === 'string' ? d.name : '',
    priority: typeof d.priority === 'number' ? d.priority : 100,
    active: typeof d.active === 'boolean' ? d.active : true,
    conditions: d.conditions ?? null,
    constraints: section(D.constraints, d.constraints) as Editable['constraints'],
    weights: section(D.weights, d.weights),
    penalties: section(D.penalties, d.penalties) as Editable['penalties'],
    preferences: section(D.preferences, d.preferences) as Editable['preferences'],
    whenNothingFits: ['backorder', 'next_profile', 'hold'].includes(d.whenNothingFits) ? d.whenNothingFits : 'backorder',
    search: SEARCH_LEVELS.includes(d.search) ? d.search : 'balanced',
  };
}

const EMPTY_QUERY: RuleGroupType = { combinator: 'and', rules: [] };

/** The builder's query for stored conditions, or null when the builder cannot show them exactly. */
export function queryOf(conditions: unknown, channels: readonly string[]): RuleGroupType | null {
  if (conditions === null || conditions === undefined || conditions === true) return EMPTY_QUERY;
  const fields = conditionFields(channels);
  const q = parseJsonLogic(conditions as never, { fields });
  const back = JSON.stringify(conditionsOf(q, channels));
  // shown in the builder only when its export gives the same rule back (bare, or as the builder's one-rule group)
  return back === JSON.stringify(conditions) || back === JSON.stringify({ and: [conditions] }) ? q : null;
}

/** JsonLogic of the builder's query; no rules = every order (null), not the builder's `false`. */
export function conditionsOf(q: RuleGroupType, channels: readonly string[]): unknown {
  if (q.rules.length === 0) return null;
  return formatQuery(q, { ...JSONLOGIC_OPTIONS, fields: conditionFields(channels) });
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
const num = (s: string): number => (s.trim() === '' ? NaN : Number(s));
const orNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));

export function ProfileEditor({ initial, channels, onChange }: ProfileEditorProps) {
  const [p, setP] = useState<Editable>(() => completeDraft(initial));

  const update = (change: (d: Editable) => void) => {
    const next = structuredClone(p);
    change(next);
    setP(next);
    onChange(next);
  };
  const c = p.constraints;
  const w = p.weights;
  const pen = p.penalties;
  const pref = p.preferences;

  return (
    <div className="profile-editor">
      <fieldset>
        <legend>Profile</legend>
        <div className="pe-grid">
          <Text label="Id" path="id" value={p.id} onChange={(v) => update((d) => void (d.id = v))} hint="the same id saves a new version" />
          <Text label="Name" path="name" value={p.name} onChange={(v) => update((d) => void (d.name = v))} />
          <Num label="Priority" path="priority" value={p.priority} onChange={(v) => update((d) => void (d.priority = num(v)))} hint="lower is tried first" />
          <Check label="Active" checked={p.active} onChange={(v) => update((d) => void (d.active = v))} />
          <Select label="When nothing fits" value={p.whenNothingFits} options={[['backorder', 'Back-order'], ['next_profile', 'Try the next profile'], ['hold', 'Hold the order']]}
            onChange={(v) => update((d) => void (d.whenNothingFits = v as Editable['whenNothingFits']))} />
          <Select label="Search" value={p.search ?? 'balanced'}
            options={[['fast', 'Fast (fewer starts)'], ['balanced', 'Balanced'], ['optimal', 'Optimal (prove it, ms per order)']]}
            onChange={(v) => update((d) => void (d.search = v as SearchLevel))} />
        </div>
      </fieldset>

      <fieldset className="pe-conditions">
        <legend>Applies when</legend>
        <ConditionBuilder initial={p.conditions} channels={channels} onChange={(conditions) => update((d) => void (d.conditions = conditions as Editable['conditions']))} />
      </fieldset>

      <fieldset>
        <legend>Which locations may ship</legend>
        <div className="pe-grid">
          <Num label="Most shipments per order" path="constraints.maxSplits" value={c.maxSplits} onChange={(v) => update((d) => void (d.constraints.maxSplits = num(v)))} hint="1 = one location" />
          <Check label="Ship complete (one shipment)" checked={c.shipComplete} onChange={(v) => update((d) => { d.constraints.shipComplete = v; if (v) d.constraints.allowLineSplit = false; })} />
          <Check label="A line may come from several locations" checked={c.allowLineSplit} disabled={c.shipComplete} onChange={(v) => update((d) => void (d.constraints.allowLineSplit = v))} />
          <Check label="Stay in market" checked={c.stayInMarket} onChange={(v) => update((d) => void (d.constraints.stayInMarket = v))} hint="in-country locations first" />
          <Check label="Respect daily capacity" checked={c.respectCapacity} onChange={(v) => update((d) => void (d.constraints.respectCapacity = v))} />
          <Check label="Hazmat only from licensed sites" checked={c.hazmatRequiresLicense} onChange={(v) => update((d) => void (d.constraints.hazmatRequiresLicense = v))} />
          <Num label="High value above (minor units)" path="constraints.highValueThresholdMinor" value={c.highValueThresholdMinor} onChange={(v) => update((d) => void (d.constraints.highValueThresholdMinor = orNull(v)))} hint="only 'secure' sites; empty = no limit" />
          <Num label="Max distance (km)" path="constraints.maxDistanceKm" value={c.maxDistanceKm} onChange={(v) => update((d) => void (d.constraints.maxDistanceKm = orNull(v)))} hint="empty = no limit" />
          <Text label="Required location tags" value={c.requiredLocationTags.join(', ')} onChange={(v) => update((d) => void (d.constraints.requiredLocationTags = list(v)))} hint="comma-separated" />
          <Text label="Excluded location tags" value={c.excludedLocationTags.join(', ')} onChange={(v) => update((d) => void (d.constraints.excludedLocationTags = list(v)))} hint="comma-separated" />
        </div>
        <div className="pe-row" role="group" aria-label="Excluded location types">
          <span className="pe-label">Excluded location types</span>
          {LOCATION_TYPES.map((t) => (
            <Check key={t} label={t} checked={c.excludedLocationTypes.includes(t)}
              onChange={(v) => update((d) => void (d.constraints.excludedLocationTypes = LOCATION_TYPES.filter((x) => (x === t ? v : d.constraints.excludedLocationTypes.includes(x)))))} />
          ))}
        </div>
        <KeyedLists label="Allowed origin countries by destination" keyLabel="Destination (or *)" valueLabel="Origins"
          value={c.allowedOriginCountries as Record<string, string[]>} onChange={(v) => update((d) => void (d.constraints.allowedOriginCountries = v))} />
      </fieldset>

      <fieldset>
        <legend>Costs</legend>
        <div className="pe-grid">
          <Num label="Penalty per extra shipment (minor)" path="penalties.splitMinor" value={pen.splitMinor} onChange={(v) => update((d) => void (d.penalties.splitMinor = num(v)))} />
          {(['carrier', 'handling', 'splitPenalty', 'landed', 'lateness', 'futureValue'] as const).map((k) => (
            <Num key={k} label={`Weight: ${WEIGHT_LABELS[k]}`} path={`weights.${k}`} value={w[k]} step="0.1" onChange={(v) => update((d) => void (d.weights[k] = num(v)))} />
          ))}
        </div>
        <KeyedNumbers label="Lateness penalty per late day (minor), by service level" keys={[...SERVICE_LEVELS, '*']} keyLabel={(k) => (k === '*' ? 'any other' : k)}
          value={pen.latenessPerDayMinor as Record<string, number>} onChange={(v) => update((d) => void (d.penalties.latenessPerDayMinor = v))} />
        <DistanceBands value={pen.distanceBands as Array<{ maxKm: number; penaltyMinor: number }>} onChange={(v) => update((d) => void (d.penalties.distanceBands = v))} />
      </fieldset>

      <fieldset>
        <legend>Preferences (a per-shipment cost, minor units)</legend>
        <div className="pe-grid">
          <Text label="Ranked locations (best first)" value={pref.rankedLocations.join(', ')} onChange={(v) => update((d) => void (d.preferences.rankedLocations = list(v)))} hint="codes or ids, comma-separated" />
          <Num label="Cost per rank step" path="preferences.rankStepMinor" value={pref.rankStepMinor} onChange={(v) => update((d) => void (d.preferences.rankStepMinor = num(v)))} />
          <Text label="Preferred locations" value={pref.preferredLocations.join(', ')} onChange={(v) => update((d) => void (d.preferences.preferredLocations = list(v)))} hint="codes or ids, comma-separated" />
          <Num label="Extra cost elsewhere" path="preferences.preferredBonusMinor" value={pref.preferredBonusMinor} onChange={(v) => update((d) => void (d.preferences.preferredBonusMinor = num(v)))} />
          <Num label="Cost per location priority point" path="preferences.locationPriorityStepMinor" value={pref.locationPriorityStepMinor} onChange={(v) => update((d) => void (d.preferences.locationPriorityStepMinor = num(v)))} />
        </div>
        <KeyedNumbers label="Extra cost by location type" keys={[...LOCATION_TYPES]} keyLabel={(k) => k}
          value={pref.locationTypePenaltyMinor as Record<string, number>} onChange={(v) => update((d) => void (d.preferences.locationTypePenaltyMinor = v))} />
      </fieldset>
    </div>
  );
}

/**
 * "Applies when": react-querybuilder over the order facts, exported as JsonLogic (null = every order). Conditions
 * the builder cannot show exactly are left alone, with a note to edit them as JSON. Shared by routing profiles and
 * hold rules.
 */
export function ConditionBuilder({ initial, channels, onChange, emptyText = 'No conditions: applies to every order.' }: { initial: unknown; channels: readonly string[]; onChange: (conditions: unknown) => void; emptyText?: string }) {
  const [query, setQuery] = useState<RuleGroupType | null>(() => queryOf(initial, channels));
  const [current, setCurrent] = useState<unknown>(initial ?? null);
  const fields = useMemo(() => conditionFields(channels), [channels]);
  if (query === null) return <p className="muted">These conditions use JsonLogic the builder cannot show; edit them in the JSON below.</p>;
  const onQuery = (q: RuleGroupType) => {
    setQuery(q);
    const conditions = conditionsOf(q, channels);
    // a query that exports the same conditions (e.g. a rule added without a value yet) is not a change
    if (JSON.stringify(conditions) === JSON.stringify(current)) return;
    setCurrent(conditions);
    onChange(conditions);
  };
  return (
    <>
      {/* no change on mount: showing conditions must not rewrite them (nor clear a problem shown for them) */}
      <QueryBuilder fields={fields} query={query} onQueryChange={onQuery} enableMountQueryChange={false} controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
        translations={{ addRule: { label: '+ Condition', title: 'Add a condition' }, addGroup: { label: '+ Group', title: 'Add a group of conditions' } }} />
      <p className="muted small">{query.rules.length === 0 ? emptyText : <code className="wrap">{JSON.stringify(current)}</code>}</p>
    </>
  );
}

const WEIGHT_LABELS = { carrier: 'carrier', handling: 'handling', splitPenalty: 'split penalty', landed: 'landed cost', lateness: 'lateness', futureValue: 'future value of stock' };

/** A labelled control: the label names it, the hint describes it (kept out of its accessible name). */
function Labelled({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="pe-field">
      <label className="pe-label" htmlFor={id}>{label}</label>
      {children}
      {hint ? <small className="muted" id={`${id}-hint`}>{hint}</small> : null}
    </div>
  );
}

/** `path`: the setting as the API names it in a problem's `field` (the page marks the input the problem is about). */
const fieldOf = (path?: string) => (path ? `profile/${path}` : undefined);

function Text({ label, value, onChange, hint, path }: { label: string; value: string; onChange: (v: string) => void; hint?: string; path?: string }) {
  // list fields keep what is typed (", " included) and store the parsed list
  const [text, setText] = useState(value);
  const id = useId();
  return (
    <Labelled id={id} label={label} hint={hint}>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} type="text" data-field={fieldOf(path)} value={text} onChange={(e) => { setText(e.target.value); onChange(e.target.value); }} />
    </Labelled>
  );
}

function Num({ label, value, onChange, hint, step, path }: { label: string; value: number | null; onChange: (v: string) => void; hint?: string; step?: string; path?: string }) {
  const [text, setText] = useState(value === null || Number.isNaN(value) ? '' : String(value));
  const id = useId();
  return (
    <Labelled id={id} label={label} hint={hint}>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} type="number" data-field={fieldOf(path)} step={step ?? '1'} value={text} onChange={(e) => { setText(e.target.value); onChange(e.target.value); }} />
    </Labelled>
  );
}

function Check({ label, checked, onChange, hint, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <span className="pe-check">
      <input id={id} type="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint ? <small className="muted" id={`${id}-hint`}>{hint}</small> : null}
    </span>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: Array<[string, string]>; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <Labelled id={id} label={label}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </Labelled>
  );
}

/** A number per key (empty = no entry). */
function KeyedNumbers({ label, keys, keyLabel, value, onChange }: { label: string; keys: string[]; keyLabel: (k: string) => string; value: Record<string, number>; onChange: (v: Record<string, number>) => void }) {
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  return (
    <div className="pe-row" role="group" aria-label={label}>
      <span className="pe-label">{label}</span>
      {[...keys, ...extra].map((k) => (
        <Num key={k} label={keyLabel(k)} value={value[k] ?? null} onChange={(v) => {
          const next = { ...value };
          if (v.trim() === '') delete next[k];
          else next[k] = num(v);
          onChange(next);
        }} />
      ))}
    </div>
  );
}

/** Distance bands: the penalty of the first band whose limit is at least the location's distance. */
function DistanceBands({ value, onChange }: { value: Array<{ maxKm: number; penaltyMinor: number }>; onChange: (v: Array<{ maxKm: number; penaltyMinor: number }>) => void }) {
  const set = (i: number, k: 'maxKm' | 'penaltyMinor', v: string) => onChange(value.map((b, j) => (j === i ? { ...b, [k]: num(v) } : b)));
  return (
    <div className="pe-row pe-bands" role="group" aria-label="Distance bands">
      <span className="pe-label">Distance bands (ascending; beyond the last, its penalty)</span>
      {value.map((b, i) => (
        <span key={`${i}-${value.length}`} className="pe-band">
          <Num label={`Band ${i + 1} up to km`} value={b.maxKm} onChange={(v) => set(i, 'maxKm', v)} />
          <Num label={`Band ${i + 1} penalty`} value={b.penaltyMinor} onChange={(v) => set(i, 'penaltyMinor', v)} />
          <button type="button" className="secondary small" onClick={() => onChange(value.filter((_, j) => j !== i))}>Remove band {i + 1}</button>
        </span>
      ))}
      <button type="button" className="secondary small" onClick={() => onChange([...value, { maxKm: (value.at(-1)?.maxKm ?? 0) + 500, penaltyMinor: 0 }])}>Add a distance band</button>
    </div>
  );
}

/** Destination → allowed origin countries (rows kept as typed; rows without a destination are not saved). */
function KeyedLists({ label, keyLabel, valueLabel, value, onChange }: { label: string; keyLabel: string; valueLabel: string; value: Record<string, string[]>; onChange: (v: Record<string, string[]>) => void }) {
  const [rows, setRows] = useState<Array<[string, string]>>(() => Object.entries(value).map(([k, v]) => [k, v.join(', ')]));
  const change = (next: Array<[string, string]>) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), list(v)])));
  };
  return (
    <div className="pe-row" role="group" aria-label={label}>
      <span className="pe-label">{label}</span>
      {rows.map(([k, v], i) => (
        <span key={`${i}-${rows.length}`} className="pe-band">
          <Text label={`${keyLabel} ${i + 1}`} value={k} onChange={(nk) => change(rows.map((r, j) => (j === i ? [nk, r[1]] : r)))} />
          <Text label={`${valueLabel} ${i + 1}`} value={v} onChange={(nv) => change(rows.map((r, j) => (j === i ? [r[0], nv] : r)))} hint="comma-separated" />
          <button type="button" className="secondary small" onClick={() => change(rows.filter((_, j) => j !== i))}>Remove rule {i + 1}</button>
        </span>
      ))}
      <button type="button" className="secondary small" onClick={() => setRows([...rows, ['', '']])}>Add an origin rule</button>
    </div>
  );
}
