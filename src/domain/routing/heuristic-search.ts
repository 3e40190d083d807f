/**
 * Heuristic for instances too large to search exactly.
 *
 * 1. Every allowed location's single-location plan is priced (one quote each; the decision reports them anyway).
 *    From those quotes and the lines' weights a cheap cost model estimates other contents: a quote is taken as
 *    half fixed, half proportional to weight. Estimates only rank candidates and moves; every plan that is kept
 *    is priced exactly through the quote cache.
 * 2. Several starts compete: the best single-location plan; greedy by units then marginal cost (when that
 *    falls short of units); greedy by marginal cost per unit (each greedy step quotes only the best few
 *    candidates by estimate); the closest-with-stock baseline (so the result is never worse than it); the best
 *    location pairs by the model (with the model a pair's cost separates by line, so every pair is ranked
 *    without a quote); and, when units are still short, the location set covering the most units (stock only),
 *    because units come first.
 * 3. Local improvement of the best start: empty a shipment into the others, move a line between shipments or to
 *    a new location, move a whole shipment to another location, top up short lines. Moves are tried best
 *    estimate first; a quote budget and a pass limit keep latency flat and the result deterministic.
 *
 * The profile's `search: 'fast'` skips the two greedy starts (see EFFORT).
 *
 * Quality (bench/routing.ts, against the exact search where it finishes): optimal on ~95% of 5 x 6 instances;
 * on 10 x 20 optimal on ~60%, mean cost gap ~1-1.5%.
 */
import { splitCost, type Instance, type Singles } from './instance.ts';
import { comparePlans, singlePlans, WorkPlan, type Plan } from './plan.ts';
import { baselineWorkPlan } from './baseline.ts';

export interface HeuristicEffort {
  /** candidates quoted per greedy step, and moves tried per kind per pass */
  readonly tries: number;
  /** new quotes allowed for local improvement */
  readonly quoteBudget: number;
  readonly passes: number;
  /** run the units-first greedy as a start */
  readonly unitsGreedy: boolean;
  /** run the cost-per-unit greedy as a start */
  readonly unitCostGreedy: boolean;
  /** location pairs (from the cost model, no quotes) priced exactly as further starts */
  readonly pairs: number;
  /** pairs are formed from this many best single-location plans and any other location */
  readonly primaries: number;
}

const BALANCED_EFFORT: HeuristicEffort = { tries: 2, quoteBudget: 14, passes: 3, unitsGreedy: true, unitCostGreedy: true, pairs: 2, primaries: 4 };
/**
 * The effort of each profile search level the heuristic serves ('optimal' runs it as the exact search's
 * incumbent, at 'balanced'). 'fast' drops the two greedy starts, the costliest: on bench/routing.ts's 10 x 20
 * instances ~10–24% more decisions per second for ~0.4% more total cost (the other starts and local improvement
 * still run, so it is never worse than closest-with-stock).
 */
export const EFFORT: Readonly<Record<'fast' | 'balanced', HeuristicEffort>> = {
  balanced: BALANCED_EFFORT,
  fast: { ...BALANCED_EFFORT, unitsGreedy: false, unitCostGreedy: false },
};
/** For measuring the fast setting's quality gap, not for production. */
export const THOROUGH_EFFORT: HeuristicEffort = { tries: 1_000, quoteBudget: 100_000, passes: 50, unitsGreedy: true, unitCostGreedy: true, pairs: 20, primaries: 1_000 };

/** Location subsets enumerated at most when looking for the unit-maximising set. */
const COVER_SUBSETS = 2_000;

export function heuristicSearch(inst: Instance, effort: HeuristicEffort = EFFORT.balanced): Plan {
  const model = new CostModel(inst);
  let best = bestSingle(inst);
  if (effort.unitsGreedy && best.units < reachableUnits(inst)) best = pick(best, greedy(inst, model, 'units', effort.tries));
  if (effort.unitCostGreedy) best = pick(best, greedy(inst, model, 'unit_cost', effort.tries));
  best = pick(best, baselineWorkPlan(inst));
  if (effort.pairs > 0 && inst.maxShipments >= 2) {
    for (const w of pairStarts(inst, model, effort.pairs, effort.primaries, best.units)) best = pick(best, w);
  }
  if (best.units < reachableUnits(inst)) {
    const cover = coverStart(inst, model);
    if (cover !== null) best = pick(best, cover);
  }
  const before = best.toPlan();
  if (!improve(inst, best, model, effort)) return before;
  const after = best.toPlan();
  return comparePlans(inst, after, before) <= 0 ? after : before;
}

function pick(a: WorkPlan, b: WorkPlan): WorkPlan {
  return better(b, a.units, a.cost()) ? b : a;
}

/** The best single-location plan (units, then cost; all priced already). */
function bestSingle(inst: Instance): WorkPlan {
  const s = singlePlans(inst);
  let best = -1;
  for (let L = 0; L < inst.m; L++) {
    if (s.units[L] === 0 || s.cost[L] === Infinity) continue;
    if (best < 0 || singleBetter(s, L, best)) best = L;
  }
  const w = new WorkPlan(inst);
  if (best >= 0) w.fillFrom(best);
  return w;
}

/**
 * Quote estimates from the single-location quotes: a location's quote for a content of size s is taken as
 * half fixed, half proportional to size, q(s) = q1 * (1 + s / s1) / 2, where (s1, q1) is its single-location
 * plan; the marginal cost of a gram is the slope between two priced contents when two are known.
 */
class CostModel {
  /** quote part of the single-location plan (Infinity = cannot be quoted) */
  readonly q1: Float64Array;
  readonly s1: Float64Array;
  /** what each location would add to the empty plan (units, size), once a greedy has probed it */
  readonly firstGain: Int32Array;
  readonly firstSize: Float64Array;
  firstProbed = false;

  constructor(readonly inst: Instance) {
    const s = singlePlans(inst);
    this.q1 = inst.arena.f64(inst.m);
    this.s1 = s.size;
    this.firstGain = inst.arena.i32(inst.m);
    this.firstSize = inst.arena.f64(inst.m);
    for (let L = 0; L < inst.m; L++) {
      this.q1[L] = s.units[L]! > 0 && s.cost[L] !== Infinity ? Math.max(0, s.cost[L]! - inst.fixed[L]! - s.futureValue[L]!) : Infinity;
    }
  }

  /** Estimated quote for a content of `size` at L. */
  open(L: number, size: number): number {
    const s1 = this.s1[L]!;
    return s1 > 0 ? (this.q1[L]! * (1 + size / s1)) / 2 : this.q1[L]!;
  }

  /** Estimated quote per gram at the margin for L currently holding `size` priced at `q`. */
  slope(L: number, size: number, q: number): number {
    const s1 = this.s1[L]!;
    if (s1 > 0 && Math.abs(s1 - size) > 1e-9) {
      const d = (this.q1[L]! - q) / (s1 - size);
      if (d >= 0 && Number.isFinite(d)) return d;
    }
    return s1 > 0 ? this.q1[L]! / (2 * s1) : 0;
  }
}

/**
 * Location pairs ranked by the cost model without any quote: with quotes modelled as a + b * size the cost of
 * a pair separates by line, so each line goes to whichever of the two gives it the most units, then the lower
 * modelled marginal cost. The first location of a pair is one of the `primaries` best single-location plans;
 * the best `k` pairs covering at least `minUnits` units become plans.
 */
function pairStarts(inst: Instance, model: CostModel, k: number, primaries: number, minUnits: number): WorkPlan[] {
  const { n, m, nSku, skuOf, qty, defQty, splittable, fixed, fvUnit, unitSize, arena } = inst;
  const single = singlePlans(inst);
  // per location: modelled fixed part a; per (location, line), location-major: units and modelled cost
  const a = arena.f64(m);
  const u = arena.i32(m * n);
  const c = arena.f64(m * n);
  /** units L can give alone: with the other location's, an upper bound on a pair's units */
  const uTot = arena.i32(m);
  let maxUnits = 0;
  for (let i = 0; i < n; i++) maxUnits += inst.maxUnits[i]!;
  for (let L = 0; L < m; L++) {
    const q1 = model.q1[L]!;
    a[L] = q1 === Infinity ? Infinity : q1 / 2;
    const b = q1 === Infinity || !(model.s1[L]! > 0) ? 0 : q1 / (2 * model.s1[L]!);
    for (let i = 0; i < n; i++) {
      const v = defQty[i * m + L]!;
      u[L * n + i] = v;
      uTot[L]! += v;
      c[L * n + i] = (b * unitSize[i]! + fvUnit[i * m + L]!) * v;
    }
  }
  // primaries: best single-location plans (units, then cost)
  const prim = arena.i32(Math.min(primaries, m));
  let np = 0;
  for (let L = 0; L < m; L++) {
    if (a[L] === Infinity || single.units[L] === 0) continue;
    if (np === prim.length && !singleBetter(single, L, prim[np - 1]!)) continue;
    let t = np < prim.length ? np++ : np - 1;
    while (t > 0 && singleBetter(single, L, prim[t - 1]!)) {
      prim[t] = prim[t - 1]!;
      t--;
    }
    prim[t] = L;
  }

  const split2 = splitCost(inst, 2);
  const topA = arena.i32(k);
  const topB = arena.i32(k);
  const topUnits = arena.i32(k);
  const topEst = arena.f64(k);
  let kept = 0;
  for (let p = 0; p < np; p++) {
    const A = prim[p]!;
    for (let B = 0; B < m; B++) {
      if (B === A || a[B] === Infinity || (B < A && isPrimary(prim, np, B))) continue;
      let est = fixed[A]! + fixed[B]! + a[A]! + a[B]! + split2;
      // the k-th best already has every unit and costs less than this pair's fixed part: skip
      if (kept === k && topUnits[k - 1] === maxUnits && est >= topEst[k - 1]!) continue;
      // nor can a pair with fewer units than needed, or than the k-th best has
      const unitBound = uTot[A]! + uTot[B]!;
      if (unitBound < minUnits || (kept === k && unitBound < topUnits[k - 1]!)) continue;
      let units = 0;
      let toA = 0;
      let toB = 0;
      const ra = A * n;
      const rb = B * n;
      for (let i = 0; i < n; i++) {
        const uA = u[ra + i]!;
        const uB = u[rb + i]!;
        if (uA === 0 && uB === 0) continue;
        if (splittable[i]) {
          const v = Math.min(qty[i]!, uA + uB);
          const fromA = Math.min(uA, v);
          units += v;
          if (fromA > 0) est += (c[ra + i]! / uA) * fromA;
          if (v > fromA) est += (c[rb + i]! / uB) * (v - fromA);
          toA++;
          toB++;
        } else if (uA > uB || (uA === uB && c[ra + i]! <= c[rb + i]!)) {
          units += uA;
          est += c[ra + i]!;
          toA++;
        } else {
          units += uB;
          est += c[rb + i]!;
          toB++;
        }
      }
      if (toA === 0 || toB === 0 || units < minUnits) continue;
      if (kept === k && (units < topUnits[k - 1]! || (units === topUnits[k - 1] && est >= topEst[k - 1]!))) continue;
      let t = kept < k ? kept++ : k - 1;
      while (t > 0 && (topUnits[t - 1]! < units || (topUnits[t - 1] === units && topEst[t - 1]! > est))) {
        topA[t] = topA[t - 1]!;
        topB[t] = topB[t - 1]!;
        topUnits[t] = topUnits[t - 1]!;
        topEst[t] = topEst[t - 1]!;
        t--;
      }
      topA[t] = A;
      topB[t] = B;
      topUnits[t] = units;
      topEst[t] = est;
    }
  }
  const out: WorkPlan[] = [];
  for (let t = 0; t < kept; t++) {
    const A = topA[t]!;
    const B = topB[t]!;
    const w = new WorkPlan(inst);
    for (let i = 0; i < n; i++) {
      const uA = Math.min(u[A * n + i]!, w.availLeft[A * nSku + skuOf[i]!]!);
      const uB = Math.min(u[B * n + i]!, w.availLeft[B * nSku + skuOf[i]!]!);
      if (uA === 0 && uB === 0) continue;
      if (splittable[i]) {
        const v = Math.min(qty[i]!, uA + uB);
        if (uA > 0) w.add(i, A, Math.min(uA, v));
        if (v > uA) w.add(i, B, v - uA);
      } else if (uA > uB || (uA === uB && c[A * n + i]! <= c[B * n + i]!)) w.add(i, A, uA);
      else w.add(i, B, uB);
    }
    out.push(w);
  }
  return out;
}

function singleBetter(s: Singles, x: number, y: number): boolean {
  return s.units[x]! > s.units[y]! || (s.units[x] === s.units[y] && s.cost[x]! < s.cost[y]!);
}

function isPrimary(prim: Int32Array, np: number, L: number): boolean {
  for (let t = 0; t < np; t++) if (prim[t] === L) return true;
  return false;
}

/** Feasibility first, then units, then cost. */
function better(w: WorkPlan, units: number, cost: number): boolean {
  // against a feasible plan, fewer units or a cost bound already >= its cost cannot win: skip the quotes
  // (counted as asked, so the quote budget runs as if they had been made)
  if (cost !== Infinity && w.inst.quoteNonNegative && (w.units < units || (w.units === units && w.costLowerBound() >= cost))) {
    w.reserveUnpriced();
    return false;
  }
  const c = w.cost();
  if ((c === Infinity) !== (cost === Infinity)) return cost === Infinity;
  if (w.units !== units) return w.units > units;
  return c < cost;
}

/** Keeps the trial when it is better. */
function accept(w: WorkPlan, trial: WorkPlan): boolean {
  if (better(trial, w.units, w.cost())) {
    w.copyFrom(trial);
    return true;
  }
  return false;
}

/** Upper bound on units: every line at its own maximum. */
function reachableUnits(inst: Instance): number {
  let u = 0;
  for (let i = 0; i < inst.n; i++) u += inst.maxUnits[i]!;
  return u;
}

/**
 * Opens locations one at a time; each takes everything it can of what is still short. 'units' picks the
 * location adding the most units (then the lowest marginal cost); 'unit_cost' the lowest marginal cost per
 * unit. Per step only the `tries` best candidates by estimate are quoted.
 */
function greedy(inst: Instance, model: CostModel, mode: 'units' | 'unit_cost', tries: number): WorkPlan {
  const { m, fixed } = inst;
  const w = new WorkPlan(inst);
  const pick = inst.arena.i32(tries);
  const pickKey = inst.arena.f64(tries);
  const pickGain = inst.arena.i32(tries);
  const openLines = inst.arena.i32(inst.n);
  while (w.open < inst.maxShipments) {
    const openCount = w.openLines(openLines);
    if (openCount === 0) break;
    // the first step probes the empty plan: the same for both greedy modes, so probed once (see CostModel)
    const first = w.open === 0;
    const reuse = first && model.firstProbed;
    const before = w.cost();
    const splitStep = splitCost(inst, w.open + 1) - splitCost(inst, w.open);
    // the `tries` best candidates by (gain desc, estimate) or by estimate per unit, kept sorted by insertion
    let picked = 0;
    for (let L = 0; L < m; L++) {
      if (w.lineCount[L] !== 0 || model.q1[L] === Infinity) continue;
      let g: number;
      let size: number;
      if (reuse) {
        g = model.firstGain[L]!;
        size = model.firstSize[L]!;
      } else {
        g = w.probeGain(L, openLines, openCount);
        size = w.probedSize;
        if (first) {
          model.firstGain[L] = g;
          model.firstSize[L] = size;
        }
      }
      if (g === 0) continue;
      const marginal = fixed[L]! + splitStep + model.open(L, size);
      const key = mode === 'units' ? marginal - g * 1e12 : marginal / g;
      if (picked === tries && key >= pickKey[picked - 1]!) continue;
      let t = picked < tries ? picked++ : picked - 1;
      while (t > 0 && pickKey[t - 1]! > key) {
        pick[t] = pick[t - 1]!;
        pickKey[t] = pickKey[t - 1]!;
        pickGain[t] = pickGain[t - 1]!;
        t--;
      }
      pick[t] = L;
      pickKey[t] = key;
      pickGain[t] = g;
    }
    if (first) model.firstProbed = true;
    if (picked === 0) break;

    let bestL = -1;
    let bestGain = 0;
    let bestCost = Infinity;
    for (let t = 0; t < picked; t++) {
      const L = pick[t]!;
      if (mode === 'units' && pickGain[t]! < pickGain[0]!) break;
      const g = w.fillFrom(L);
      const marginal = w.cost() - before;
      w.clear(L);
      if (marginal === Infinity) continue;
      const isBetter =
        bestL < 0 ||
        (mode === 'units'
          ? g > bestGain || (g === bestGain && marginal < bestCost)
          : marginal * bestGain < bestCost * g || (marginal * bestGain === bestCost * g && g > bestGain));
      if (isBetter) {
        bestL = L;
        bestGain = g;
        bestCost = marginal;
      }
    }
    if (bestL < 0) break;
    w.fillFrom(bestL);
  }
  return w;
}

/**
 * The set of at most maxShipments locations (3 at most) that covers the most units (stock only, no quotes;
 * ties by estimated cost), as a plan: each line from the location of the set that gives it the most.
 */
function coverStart(inst: Instance, model: CostModel): WorkPlan | null {
  const { n, m, nSku, skuOf, qty, elig, avail, splittable, fixed, arena } = inst;
  const k = Math.min(inst.maxShipments, 3, m);
  // u[L * n + i]: units line i can get at L; est[L]: fixed + single-location quote
  const u = arena.i32(m * n);
  const est = arena.f64(m);
  const usable = arena.i32(m);
  let nu = 0;
  for (let L = 0; L < m; L++) {
    if (model.q1[L] === Infinity) continue;
    usable[nu++] = L;
    est[L] = fixed[L]! + model.q1[L]!;
    for (let i = 0; i < n; i++) u[L * n + i] = elig[i * m + L] ? Math.min(qty[i]!, avail[L * nSku + skuOf[i]!]!) : 0;
  }
  let bestUnits = 0;
  let bestEst = Infinity;
  let bA = -1;
  let bB = -1;
  let bC = -1;
  let count = 0;
  for (let x = 0; x < nu && count < COVER_SUBSETS; x++) {
    const A = usable[x]!;
    for (let y = k >= 2 ? x + 1 : nu; y <= nu && count < COVER_SUBSETS; y++) {
      const B = y < nu ? usable[y]! : -1;
      for (let z = k >= 3 && B >= 0 ? y + 1 : nu; z <= nu && count < COVER_SUBSETS; z++) {
        const C = z < nu ? usable[z]! : -1;
        count++;
        let units = 0;
        for (let i = 0; i < n; i++) {
          const ua = u[A * n + i]!;
          const ub = B >= 0 ? u[B * n + i]! : 0;
          const uc = C >= 0 ? u[C * n + i]! : 0;
          units += splittable[i] ? Math.min(qty[i]!, ua + ub + uc) : Math.max(ua, ub, uc);
        }
        const e = est[A]! + (B >= 0 ? est[B]! : 0) + (C >= 0 ? est[C]! : 0);
        if (units > bestUnits || (units === bestUnits && e < bestEst)) {
          bestUnits = units;
          bestEst = e;
          bA = A;
          bB = B;
          bC = C;
        }
      }
    }
  }
  if (bestUnits === 0) return null;
  const set = [bA, bB, bC];
  const w = new WorkPlan(inst);
  for (let i = 0; i < n; i++) {
    let pick = -1;
    let pickUnits = 0;
    for (const L of set) {
      if (L < 0) continue;
      const v = elig[i * m + L] ? Math.min(qty[i]! - w.placed[i]!, w.availLeft[L * nSku + skuOf[i]!]!) : 0;
      if (splittable[i]) {
        if (v > 0) w.add(i, L, v);
      } else if (v > pickUnits || (v === pickUnits && v > 0 && est[L]! < est[pick]!)) {
        pick = L;
        pickUnits = v;
      }
    }
    if (pick >= 0) w.add(i, pick, pickUnits);
  }
  return w;
}

/** Local improvement (see file comment). Mutates w; keeps only exact improvements; true when it kept any. */
function improve(inst: Instance, w: WorkPlan, model: CostModel, effort: HeuristicEffort): boolean {
  let changed = false;
  const { n, m, nSku, skuOf, qty, elig, splittable, fixed, fvUnit, unitSize, maxShipments } = inst;
  const budget = inst.book.asked + effort.quoteBudget;
  const trial = new WorkPlan(inst);
  /** estimated cost change of moving line i to B, by move code i * m + B */
  const guessOf = inst.arena.f64(n * m);
  const moves = inst.arena.i32(n * m);
  const slope = inst.arena.f64(m);
  const size = inst.arena.f64(m);

  for (let pass = 0; pass < effort.passes && inst.book.asked < budget; pass++) {
    let improved = false;

    // 1. empty a shipment into the other open ones (one fewer shipment)
    if (w.open >= 2) {
      for (let A = 0; A < m && inst.book.asked < budget; A++) {
        if (w.lineCount[A] === 0) continue;
        trial.copyFrom(w);
        if (emptyInto(inst, trial, A) && accept(w, trial)) improved = true;
      }
    }

    // 2. move one whole line (not split) to another location: open ones always considered, new ones only
    //    when the estimate says it pays; best estimate first
    for (let L = 0; L < m; L++) {
      if (w.lineCount[L] === 0) continue;
      size[L] = w.sizeAt(L);
      let fv = 0;
      for (let i = 0; i < n; i++) fv += w.y[i * m + L]! * fvUnit[i * m + L]!;
      slope[L] = model.slope(L, size[L]!, w.costAt(L) - fixed[L]! - fv);
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (splittable[i] || w.placed[i] === 0) continue;
      const A = w.locationOf(i);
      const v = w.y[i * m + A]!;
      const aCloses = w.lineCount[A] === 1;
      const out = aCloses ? w.costAt(A) + splitCost(inst, w.open) - splitCost(inst, w.open - 1) : slope[A]! * unitSize[i]! * v + fvUnit[i * m + A]! * v;
      for (let B = 0; B < m; B++) {
        if (B === A || !elig[i * m + B] || model.q1[B] === Infinity) continue;
        const vb = Math.min(qty[i]!, w.availLeft[B * nSku + skuOf[i]!]!);
        if (vb < v) continue;
        const opens = w.lineCount[B] === 0;
        if (opens && !aCloses && w.open >= maxShipments) continue;
        let guess = fvUnit[i * m + B]! * vb - out;
        if (opens) guess += fixed[B]! + model.open(B, unitSize[i]! * vb) + (aCloses ? splitCost(inst, w.open) - splitCost(inst, w.open - 1) : splitCost(inst, w.open + 1) - splitCost(inst, w.open));
        else guess += slope[B]! * unitSize[i]! * vb;
        if (vb > v) guess = -Infinity; // more units: always worth an exact look
        if (opens && guess >= 0) continue;
        guessOf[i * m + B] = guess;
        moves[count++] = i * m + B;
      }
    }
    const list = moves.subarray(0, count);
    list.sort((a, b) => guessOf[a]! - guessOf[b]! || a - b);
    let triedOpen = 0;
    let triedNew = 0;
    for (let t = 0; t < count && inst.book.asked < budget; t++) {
      const i = Math.floor(list[t]! / m);
      const B = list[t]! % m;
      const A = w.locationOf(i);
      if (A < 0 || A === B) continue;
      const opens = w.lineCount[B] === 0;
      if (opens ? triedNew >= effort.tries : triedOpen >= 2 * effort.tries) continue;
      const vb = Math.min(qty[i]!, w.availLeft[B * nSku + skuOf[i]!]!);
      if (vb < w.y[i * m + A]! || (opens && w.lineCount[A] !== 1 && w.open >= maxShipments)) continue;
      if (opens) triedNew++;
      else triedOpen++;
      trial.copyFrom(w);
      trial.remove(i, A);
      trial.add(i, B, vb);
      if (accept(w, trial)) improved = true;
    }

    // 3. move a whole shipment to an unopened location that can ship the same lines
    for (let A = 0; A < m && inst.book.asked < budget; A++) {
      if (w.lineCount[A] === 0) continue;
      const costA = w.costAt(A);
      const sizeA = w.sizeAt(A);
      let tried = 0;
      for (let B = 0; B < m && tried < effort.tries; B++) {
        if (w.lineCount[B] !== 0 || model.q1[B] === Infinity || fixed[B]! + model.open(B, sizeA) >= costA || !canTake(inst, w, A, B)) continue;
        trial.copyFrom(w);
        moveShipment(inst, trial, A, B);
        tried++;
        if (accept(w, trial)) {
          improved = true;
          break;
        }
      }
    }

    // 4. top up lines still short (units first), e.g. after a move freed stock
    if (w.units < inst.totalUnits) {
      for (let L = 0; L < m && inst.book.asked < budget; L++) {
        if (w.lineCount[L] === 0 && w.open >= maxShipments) continue;
        trial.copyFrom(w);
        if (trial.fillFrom(L) > 0 && accept(w, trial)) improved = true;
      }
    }
    if (!improved) break;
    changed = true;
  }
  return changed;
}

/** Moves every line of A to other open locations (no unit lost); false when that is impossible. */
function emptyInto(inst: Instance, w: WorkPlan, A: number): boolean {
  const { n, m, nSku, skuOf, elig, splittable } = inst;
  for (let i = 0; i < n; i++) {
    let v = w.remove(i, A);
    if (v === 0) continue;
    if (splittable[i]) {
      for (let B = 0; B < m && v > 0; B++) {
        if (B === A || w.lineCount[B] === 0 || !elig[i * m + B]) continue;
        const take = Math.min(v, w.availLeft[B * nSku + skuOf[i]!]!);
        if (take > 0) {
          w.add(i, B, take);
          v -= take;
        }
      }
      if (v > 0) return false;
    } else {
      let target = -1;
      for (let B = 0; B < m; B++) {
        if (B === A || w.lineCount[B] === 0 || !elig[i * m + B]) continue;
        if (w.availLeft[B * nSku + skuOf[i]!]! >= v) {
          target = B;
          break;
        }
      }
      if (target < 0) return false;
      w.add(i, target, v);
    }
  }
  return true;
}

/** True when the unopened B has the stock to ship A's whole content (lines sharing a SKU counted together). */
function canTake(inst: Instance, w: WorkPlan, A: number, B: number): boolean {
  const { n, m, nSku, skuOf, elig, anySharedSku } = inst;
  for (let i = 0; i < n; i++) {
    const v = w.y[i * m + A]!;
    if (v === 0) continue;
    if (!elig[i * m + B]) return false;
    let need = v;
    if (anySharedSku) for (let j = 0; j < n; j++) if (j !== i && skuOf[j] === skuOf[i]) need += w.y[j * m + A]!;
    if (w.availLeft[B * nSku + skuOf[i]!]! < need) return false;
  }
  return true;
}

/** Moves A's whole content to the unopened B (same quantities); check canTake first. */
function moveShipment(inst: Instance, w: WorkPlan, A: number, B: number): void {
  const { n, m } = inst;
  for (let i = 0; i < n; i++) {
    const v = w.y[i * m + A]!;
    if (v === 0) continue;
    w.remove(i, A);
    w.add(i, B, v);
  }
}
