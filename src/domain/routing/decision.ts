/**
 * Turns a solved plan into the RoutingDecision a user reads: shipments with their cost components, every
 * unallocated unit with its reason, every candidate with either the rule that excluded it or its score, and
 * one sentence on why the winner won against the next best.
 */
import { rawQuote, splitCost, type Instance, type Singles } from './instance.ts';
import { singlePlans, TIE_BREAK_RULE, type Plan } from './plan.ts';
import type {
  CandidateReport,
  CandidateScore,
  CostComponents,
  DecisionShipment,
  ExclusionRule,
  RoutingDecision,
  SearchLevel,
  ShipmentQuote,
  UnallocatedReason,
} from './types.ts';

/** How the plan was found. A class: an object literal built in a function's first calls gets a hidden class of its own each time in V8, which would leave `buildDecision`'s reads megamorphic. */
export class DecisionContext {
  constructor(
    readonly method: RoutingDecision['method'],
    readonly nodes: number,
    readonly trail: RoutingDecision['profileTrail'],
    readonly reroute: (NonNullable<RoutingDecision['reroute']> & { rejectedCodes: string[]; rejectedLines: number }) | undefined,
    readonly search: SearchLevel,
  ) {}
}

const COMPONENT_KEYS: ReadonlyArray<keyof CostComponents> = [
  'carrier', 'handling', 'splitPenalty', 'landed', 'lateness', 'futureValue', 'distance', 'preference',
];

/** The cost components of a shipment from L with quote q and future value fv (split penalty is plan level). */
function components(inst: Instance, L: number, q: ShipmentQuote, fv: number): CostComponents {
  const w = inst.profile.weights;
  return {
    carrier: Math.round(w.carrier * Math.max(0, q.carrierCostMinor)),
    handling: inst.handling[L]!,
    splitPenalty: 0,
    landed: Math.round(w.landed * Math.max(0, q.landedCostMinor)),
    lateness: inst.latePerDay * Math.max(0, Math.ceil(q.lateDays)),
    futureValue: fv,
    distance: inst.distancePenalty[L]!,
    preference: inst.preferencePenalty[L]!,
  };
}

function addComponents(total: CostComponents, c: CostComponents): void {
  total.carrier += c.carrier;
  total.handling += c.handling;
  total.splitPenalty += c.splitPenalty;
  total.landed += c.landed;
  total.lateness += c.lateness;
  total.futureValue += c.futureValue;
  total.distance += c.distance;
  total.preference += c.preference;
}

function sum(c: CostComponents): number {
  return c.carrier + c.handling + c.splitPenalty + c.landed + c.lateness + c.futureValue + c.distance + c.preference;
}

export function buildDecision(inst: Instance, plan: Plan, ctx: DecisionContext): RoutingDecision {
  const { n, m, lines, locs, profile } = inst;
  const y = plan.y;
  const placed = inst.arena.i32(n);
  const shipmentOf: Array<DecisionShipment | undefined> = new Array(m);
  const chosen = inst.arena.u8(m);
  const shipments: DecisionShipment[] = [];
  const total: CostComponents = { carrier: 0, handling: 0, splitPenalty: 0, landed: 0, lateness: 0, futureValue: 0, distance: 0, preference: 0 };
  for (let L = 0; L < m; L++) {
    const shipLines: DecisionShipment['lines'] = [];
    let fv = 0;
    for (let i = 0, k = L; i < n; i++, k += m) {
      const v = y[k]!;
      if (v === 0) continue;
      shipLines.push({ lineId: lines[i]!.lineId, skuId: lines[i]!.skuId, qty: v });
      placed[i]! += v;
      fv += v * inst.fvUnit[k]!;
    }
    if (shipLines.length === 0) continue;
    const quote = rawQuote(inst, L, y)!;
    const comp = components(inst, L, quote, fv);
    addComponents(total, comp);
    const s: DecisionShipment = { locationId: locs[L]!.locationId, code: locs[L]!.code, lines: shipLines, quote, costMinor: sum(comp), components: comp };
    shipments.push(s);
    shipmentOf[L] = s;
    chosen[L] = 1;
  }
  total.splitPenalty = splitCost(inst, shipments.length);
  const totalCostMinor = sum(total);

  const unallocated: RoutingDecision['unallocated'] = [];
  for (let i = 0; i < n; i++) {
    const short = inst.qty[i]! - placed[i]!;
    if (short > 0) {
      const why = whyShort(inst, i, placed[i]!, shipments.length);
      unallocated.push({ lineId: lines[i]!.lineId, skuId: lines[i]!.skuId, qty: short, reason: why.reason, detail: why.detail });
    }
  }

  const single = singlePlans(inst);
  const candidates: CandidateReport[] = new Array(inst.verdicts.length);
  // every object below is built in one literal: adding properties afterwards costs a shape transition and a
  // property-store allocation each, which measured ~70% of this function
  for (let k = 0; k < inst.verdicts.length; k++) {
    const v = inst.verdicts[k]!;
    const L = v.index;
    const s = L >= 0 ? shipmentOf[L] : undefined;
    const locationId = v.candidate.locationId;
    const code = v.candidate.code;
    if (L < 0) {
      candidates[k] = { locationId, code, excluded: v.excluded, chosen: false };
      continue;
    }
    let score: CandidateScore;
    if (s !== undefined) {
      let units = 0;
      for (const l of s.lines) units += l.qty;
      score = {
        basis: 'chosen_plan', lines: s.lines.length, units, costMinor: s.costMinor, components: s.components,
        serviceCode: s.quote.serviceCode, transitDays: s.quote.transitDays, lateDays: s.quote.lateDays,
      };
    } else {
      const q = single.quotes[L]!;
      score =
        q === null
          ? { basis: 'single_location', lines: single.lines[L]!, units: single.units[L]!, costMinor: null, components: null }
          : {
              basis: 'single_location', lines: single.lines[L]!, units: single.units[L]!, costMinor: single.cost[L]!,
              components: components(inst, L, q, single.futureValue[L]!),
              serviceCode: q.serviceCode, transitDays: q.transitDays, lateDays: q.lateDays, vsChosenMinor: single.cost[L]! - totalCostMinor,
            };
    }
    if (inst.prep.hasHazmat) {
      for (let i = 0; i < n; i++) {
        if (!inst.elig[i * m + L] && inst.avail[L * inst.nSku + inst.skuOf[i]!]! > 0) {
          (score.ineligibleLines ??= []).push({ lineId: lines[i]!.lineId, rule: 'hazmat_not_licensed' });
        }
      }
    }
    candidates[k] = { locationId, code, excluded: v.excluded, chosen: s !== undefined, score };
  }

  const allocated = plan.units;
  const outcome: RoutingDecision['outcome'] =
    allocated === inst.totalUnits ? 'routed' : allocated > 0 ? 'partial' : profile.whenNothingFits === 'hold' ? 'hold' : 'backorder';

  const decision: RoutingDecision = {
    outcome,
    profile: { id: profile.id, version: profile.version, name: profile.name },
    method: ctx.method,
    shipments,
    unallocated,
    totalCostMinor,
    costComponents: total,
    candidates,
    explanation: '',
    tieBreak: TIE_BREAK_RULE,
    units: { requested: inst.totalUnits, allocated },
    profileTrail: ctx.trail,
    stats: { quoteCalls: inst.book.calls, nodes: ctx.nodes },
  };
  if (ctx.reroute) {
    const { rejectedLocationIds, rejectedUnits, keptShipments } = ctx.reroute;
    decision.reroute = { rejectedLocationIds, rejectedUnits, keptShipments };
  }
  decision.explanation = explain(inst, decision, ctx, chosen);
  return decision;
}

/** The reason units of line i stayed unallocated. */
function whyShort(inst: Instance, i: number, placed: number, shipments: number): { reason: UnallocatedReason; detail: string } {
  const { m, nSku, skuOf, elig, avail, lines, qty, profile, prep } = inst;
  const line = lines[i]!;
  let eligibleStock = 0;
  let allowedStock = 0;
  for (let L = 0; L < m; L++) {
    const a = avail[L * nSku + skuOf[i]!]!;
    allowedStock += a;
    if (elig[i * m + L]) eligibleStock += a;
  }
  if (eligibleStock === 0) {
    if (allowedStock > 0) return { reason: 'hazmat_requires_licensed_location', detail: `only unlicensed locations hold ${line.skuId}` };
    const rules: ExclusionRule[] = [];
    for (let c = 0; c < prep.cands.length; c++) {
      if (prep.stock[c * nSku + skuOf[i]!]! > 0 && inst.verdicts[c]!.excluded !== null) rules.push(inst.verdicts[c]!.excluded!.rule);
    }
    if (rules.length === 0) return { reason: 'out_of_stock', detail: `no candidate location holds ${line.skuId}` };
    if (profile.constraints.shipComplete && rules.includes('cannot_ship_complete')) {
      return { reason: 'cannot_ship_complete', detail: 'no single allowed location can ship every line in full' };
    }
    return { reason: 'no_eligible_location', detail: `${line.skuId} is held only at excluded locations (${ruleCounts(rules)})` };
  }
  if (profile.constraints.shipComplete) {
    return { reason: 'cannot_ship_complete', detail: 'no allowed location could quote the complete shipment' };
  }
  if (placed >= inst.maxUnits[i]!) {
    if (!inst.splittable[i] && eligibleStock >= qty[i]!) {
      return { reason: 'line_split_not_allowed', detail: `${eligibleStock} units exist across locations but the profile does not split a line` };
    }
    return { reason: 'insufficient_stock', detail: `${eligibleStock} of ${qty[i]} units available at allowed locations` };
  }
  if (inst.sharedSku[i]) return { reason: 'insufficient_stock', detail: `stock of ${line.skuId} went to another line of the same SKU` };
  if (shipments >= inst.maxShipments) return { reason: 'max_splits_reached', detail: `profile allows at most ${inst.maxShipments} shipment(s)` };
  return { reason: 'no_carrier_service', detail: 'no quote for a shipment that could carry these units' };
}

function ruleCounts(rules: readonly ExclusionRule[]): string {
  const counts = new Map<string, number>();
  for (const r of rules) counts.set(r, (counts.get(r) ?? 0) + 1);
  let out = '';
  for (const [r, c] of counts) out += `${out ? ', ' : ''}${r}${c > 1 ? ` x${c}` : ''}`;
  return out;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/** The three largest component differences b - a, e.g. "carrier +150, handling +18". */
function diffText(a: CostComponents, b: CostComponents): string {
  const parts: Array<[string, number]> = [];
  for (const k of COMPONENT_KEYS) if (b[k] !== a[k]) parts.push([k, b[k] - a[k]]);
  parts.sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]) || (x[0] < y[0] ? -1 : 1));
  let out = '';
  for (let t = 0; t < parts.length && t < 3; t++) out += `${t ? ', ' : ''}${parts[t]![0]} ${parts[t]![1] > 0 ? '+' : ''}${parts[t]![1]}`;
  return out;
}

function singleBeats(s: Singles, L: number, R: number): boolean {
  return R < 0 || s.units[L]! > s.units[R]! || (s.units[L] === s.units[R] && s.cost[L]! < s.cost[R]!);
}

function explain(inst: Instance, d: RoutingDecision, ctx: DecisionContext, chosen: Uint8Array): string {
  let out = '';
  if (ctx.reroute) {
    out +=
      `Re-route after ${ctx.reroute.rejectedCodes.join(', ')} rejected ${plural(ctx.reroute.rejectedUnits, 'unit')} ` +
      `(${plural(ctx.reroute.rejectedLines, 'line')}); ${plural(ctx.reroute.keptShipments, 'other shipment')} kept. `;
  }
  for (const t of ctx.trail) out += `Profile '${t.id}' v${t.version}: ${t.result}; next profile. `;
  const excludedRules: ExclusionRule[] = [];
  for (const v of inst.verdicts) if (v.excluded !== null) excludedRules.push(v.excluded.rule);
  const exclusions = excludedRules.length === 0 ? '' : ` ${excludedRules.length} of ${inst.verdicts.length} locations excluded (${ruleCounts(excludedRules)}).`;

  if (inst.totalUnits === 0) return `${out}Nothing to route: the order has no units.`;
  if (d.shipments.length === 0) {
    const action = d.outcome === 'hold' ? 'order held' : 'all units back-ordered';
    const why = inst.m === 0 ? 'every candidate location is excluded' : 'no allowed location can ship any unit';
    return `${out}Nothing fits under profile '${inst.profile.name}': ${why}; ${action} (whenNothingFits: ${inst.profile.whenNothingFits}).${exclusions}`;
  }

  const single = singlePlans(inst);
  const units = d.units.allocated;
  // best single-location plan, optionally skipping the chosen locations: most units, then cost, then code order
  let runner = -1;
  let bestSingle = -1;
  for (let L = 0; L < inst.m; L++) {
    if (single.units[L] === 0 || single.cost[L] === Infinity) continue;
    if (singleBeats(single, L, bestSingle)) bestSingle = L;
    if (!chosen[L] && singleBeats(single, L, runner)) runner = L;
  }
  if (d.shipments.length === 1) {
    const s = d.shipments[0]!;
    out += `${s.code} ships ${s.lines.length === inst.n ? 'all ' : ''}${plural(s.lines.length, 'line')} (${plural(units, 'unit')}) for ${d.totalCostMinor}`;
    if (runner < 0) out += '; it is the only allowed location that can ship it.';
    else {
      const code = inst.locs[runner]!.code;
      const rc = single.cost[runner]!;
      if (single.units[runner]! < units) out += `; next best ${code} covers only ${single.units[runner]} of ${units} units.`;
      else if (rc === d.totalCostMinor) out += `; ${code} costs the same, tie broken by ${tieLevel(inst, runner, s.locationId)}.`;
      else {
        const rcomp = components(inst, runner, single.quotes[runner]!, single.futureValue[runner]!);
        out += `; next best ${code} ${rc} (+${rc - d.totalCostMinor}: ${diffText(d.costComponents, rcomp)}).`;
      }
    }
  } else {
    let parts = '';
    for (const s of d.shipments) parts += `${parts ? ' + ' : ''}${s.code} (${plural(s.lines.length, 'line')})`;
    out += `${d.shipments.length} shipments: ${parts} for ${d.totalCostMinor} incl. split penalty ${d.costComponents.splitPenalty}`;
    if (bestSingle < 0) out += '.';
    else {
      const code = inst.locs[bestSingle]!.code;
      const bc = single.cost[bestSingle]!;
      if (single.units[bestSingle]! < units) out += `; no single location has all ${units} units (best single, ${code}, has ${single.units[bestSingle]}).`;
      else {
        const bcomp = components(inst, bestSingle, single.quotes[bestSingle]!, single.futureValue[bestSingle]!);
        out += `; cheaper than everything from ${code} at ${bc} (+${bc - d.totalCostMinor}: ${diffText(d.costComponents, bcomp)}).`;
      }
    }
  }
  if (d.unallocated.length > 0) {
    let short = 0;
    let list = '';
    for (const u of d.unallocated) {
      short += u.qty;
      list += `${list ? ', ' : ''}${u.lineId} x${u.qty} (${u.reason})`;
    }
    out += ` ${plural(short, 'unit')} unallocated: ${list}.`;
  }
  out += exclusions;
  return `${out} (${searchNote(ctx)}.)`;
}

/** How the plan was found, as the explanation's last sentence. */
function searchNote(ctx: DecisionContext): string {
  if (ctx.method === 'exact') return 'Exact search';
  if (ctx.method === 'baseline') return 'Closest-with-stock baseline';
  if (ctx.search === 'optimal') return 'Exact search stopped at its node budget: the best plan found';
  return ctx.search === 'fast' ? 'Heuristic search, fast' : 'Heuristic search';
}

/** Which tie rule separated two equal-cost single-location plans. */
function tieLevel(inst: Instance, runnerL: number, winnerId: string): string {
  const winner = inst.locs.find((l) => l.locationId === winnerId)!;
  return winner.priority !== inst.locs[runnerL]!.priority ? 'lower location priority' : 'alphabetical location code';
}
