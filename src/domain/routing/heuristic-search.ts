/**
 * Heuristic for instances too large to search exactly.
 *
 * 1. Every allowed location's single-location plan is priced (one quote each; the decision reports them anyway).
 *    From those quotes and the lines' weights a cheap cost model estimates what other contents would cost:
 *    opening a location for part of the order, and the marginal cost of moving a line between shipments.
 *    Estimates only rank candidates and moves; every plan that is kept is priced exactly.
 * 2. Starts: greedy by units then marginal cost, greedy by marginal cost per unit (each step quotes only the
 *    best few candidates by estimate), the closest-with-stock baseline (so the result is never worse than it),
 *    and, when those leave units unallocated, the location set that covers the most units (found without
 *    quotes), so that units come first as the objective says.
 * 3. Local improvement of the best start: empty a shipment into the others, move a line between shipments,
 *    split a line off to a new location, move a whole shipment to another location, top up short lines.
 *    Moves are tried best estimate first; a quote budget and a pass limit keep latency flat and the result
 *    deterministic.
 */
import { splitCost, type Instance } from './instance.ts';
import { comparePlans, singlePlans, WorkPlan, type Plan } from './plan.ts';
import { baselineWorkPlan } from './baseline.ts';

export interface HeuristicEffort {
  /** candidates quoted per greedy step, and moves tried per kind per pass */
  readonly tries: number;
  /** new quotes allowed for local improvement */
  readonly quoteBudget: number;
  readonly passes: number;
  /** run the cost-per-unit greedy as a second start */
  readonly unitCostGreedy: boolean;
  /** location pairs (from the cost model, no quotes) priced exactly as further starts */
  readonly pairs: number;
}

export const FAST_EFFORT: HeuristicEffort = { tries: 2, quoteBudget: 14, passes: 3, unitCostGreedy: true, pairs: 2 };
/** For measuring the fast setting's quality gap, not for production. */
export const THOROUGH_EFFORT: HeuristicEffort = { tries: 1_000, quoteBudget: 100_000, passes: 50, unitCostGreedy: true, pairs: 20 };

/** Location subsets enumerated at most when looking for the unit-maximising set. */
const COVER_SUBSETS = 2_000;

export function heuristicSearch(inst: Instance, effort: HeuristicEffort = FAST_EFFORT): Plan {
  const model = new CostModel(inst);
  let best = greedy(inst, model, 'units', effort.tries);
  if (effort.unitCostGreedy) {
    const g2 = greedy(inst, model, 'unit_cost', effort.tries);
    if (better(g2, best.units, best.cost())) best = g2;
  }
  const base = baselineWorkPlan(inst);
  if (better(base, best.units, best.cost())) best = base;
  if (effort.pairs > 0 && inst.maxShipments >= 2) {
    for (const w of pairStarts(inst, model, effort.pairs, best.units)) if (better(w, best.units, best.cost())) best = w;
  }
  if (best.units < reachableUnits(inst)) {
    const cover = coverStart(inst, model);
    if (cover !== null && better(cover, best.units, best.cost())) best = cover;
  }
  const before = best.toPlan();
  improve(inst, best, model, effort);
  const after = best.toPlan();
  return comparePlans(inst, after, before) <= 0 ? after : before;
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

  constructor(readonly inst: Instance) {
    const s = singlePlans(inst);
    this.q1 = inst.arena.f64(inst.m);
    this.s1 = s.size;
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
 * modelled marginal cost. The best `k` pairs covering at least `minUnits` units become plans.
 */
function pairStarts(inst: Instance, model: CostModel, k: number, minUnits: number): WorkPlan[] {
  const { n, m, nSku, skuOf, qty, elig, avail, splittable, fixed, fvUnit, unitSize, arena } = inst;
  // per location: fixed part a and per-gram part b of the modelled quote; per (line, location): units
  const a = arena.f64(m);
  const b = arena.f64(m);
  const u = arena.i32(n * m);
  for (let L = 0; L < m; L++) {
    const q1 = model.q1[L]!;
    a[L] = q1 === Infinity ? Infinity : q1 / 2;
    b[L] = q1 === Infinity || !(model.s1[L]! > 0) ? 0 : q1 / (2 * model.s1[L]!);
    for (let i = 0; i < n; i++) u[i * m + L] = elig[i * m + L] ? Math.min(qty[i]!, avail[L * nSku + skuOf[i]!]!) : 0;
  }
  const split2 = splitCost(inst, 2);
  const topA = arena.i32(k);
  const topB = arena.i32(k);
  const topUnits = arena.i32(k);
  const topEst = arena.f64(k);
  let kept = 0;
  for (let A = 0; A < m; A++) {
    if (a[A] === Infinity) continue;
    for (let B = A + 1; B < m; B++) {
      if (a[B] === Infinity) continue;
      let units = 0;
      let est = fixed[A]! + fixed[B]! + a[A]! + a[B]! + split2;
      let toA = 0;
      let toB = 0;
      for (let i = 0; i < n; i++) {
        const uA = u[i * m + A]!;
        const uB = u[i * m + B]!;
        if (uA === 0 && uB === 0) continue;
        if (splittable[i]) {
          const v = Math.min(qty[i]!, uA + uB);
          units += v;
          est += (b[A]! * unitSize[i]! + fvUnit[i * m + A]!) * Math.min(uA, v) + (b[B]! * unitSize[i]! + fvUnit[i * m + B]!) * (v - Math.min(uA, v));
          toA++;
          toB++;
          continue;
        }
        const cA = uA >= uB ? (b[A]! * unitSize[i]! + fvUnit[i * m + A]!) * uA : Infinity;
        const cB = uB >= uA ? (b[B]! * unitSize[i]! + fvUnit[i * m + B]!) * uB : Infinity;
        units += uA > uB ? uA : uB;
        if (cA <= cB) {
          est += cA;
          toA++;
        } else {
          est += cB;
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
      const uA = Math.min(u[i * m + A]!, w.availLeft[A * nSku + skuOf[i]!]!);
      const uB = Math.min(u[i * m + B]!, w.availLeft[B * nSku + skuOf[i]!]!);
      if (uA === 0 && uB === 0) continue;
      if (splittable[i]) {
        const v = Math.min(qty[i]!, uA + uB);
        if (uA > 0) w.add(i, A, Math.min(uA, v));
        if (v > uA) w.add(i, B, v - uA);
        continue;
      }
      const cA = uA >= uB ? (b[A]! * unitSize[i]! + fvUnit[i * m + A]!) * uA : Infinity;
      const cB = uB >= uA ? (b[B]! * unitSize[i]! + fvUnit[i * m + B]!) * uB : Infinity;
      if (cA <= cB) w.add(i, A, uA);
      else w.add(i, B, uB);
    }
    out.push(w);
  }
  return out;
}

/** Feasibility first, then units, then cost. */
function better(w: WorkPlan, units: number, cost: number): boolean {
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
  while (w.open < inst.maxShipments) {
    const before = w.cost();
    const splitStep = splitCost(inst, w.open + 1) - splitCost(inst, w.open);
    // the `tries` best candidates by (gain desc, estimate) or by estimate per unit, kept sorted by insertion
    let picked = 0;
    for (let L = 0; L < m; L++) {
      if (w.lineCount[L] !== 0 || model.q1[L] === Infinity) continue;
      const g = w.probeGain(L);
      if (g === 0) continue;
      const marginal = fixed[L]! + splitStep + model.open(L, w.probedSize);
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
 * The set of at most maxShipments locations that covers the most units (stock only, no quotes; ties by
 * estimated cost), as a plan: each line from the location of the set that gives it the most.
 */
function coverStart(inst: Instance, model: CostModel): WorkPlan | null {
  const { n, m, nSku, skuOf, qty, elig, avail, splittable, fixed } = inst;
  const k = Math.min(inst.maxShipments, 3, m);
  let count = 0;
  let bestUnits = -1;
  let bestEst = Infinity;
  const bestSet = [-1, -1, -1];
  const set = [-1, -1, -1];
  const usable = (L: number) => model.q1[L] !== Infinity;
  const score = (size: number) => {
    if (++count > COVER_SUBSETS) return;
    let units = 0;
    let est = 0;
    for (let t = 0; t < size; t++) est += fixed[set[t]!]! + model.q1[set[t]!]!;
    for (let i = 0; i < n; i++) {
      let got = 0;
      for (let t = 0; t < size; t++) {
        const L = set[t]!;
        if (!elig[i * m + L]) continue;
        const v = Math.min(qty[i]!, avail[L * nSku + skuOf[i]!]!);
        if (splittable[i]) got += v;
        else if (v > got) got = v;
      }
      units += Math.min(got, qty[i]!);
    }
    if (units > bestUnits || (units === bestUnits && est < bestEst)) {
      bestUnits = units;
      bestEst = est;
      for (let t = 0; t < 3; t++) bestSet[t] = t < size ? set[t]! : -1;
    }
  };
  for (let a = 0; a < m; a++) {
    if (!usable(a)) continue;
    set[0] = a;
    score(1);
    if (k < 2) continue;
    for (let b = a + 1; b < m; b++) {
      if (!usable(b)) continue;
      set[1] = b;
      score(2);
      if (k < 3) continue;
      for (let c = b + 1; c < m; c++) {
        if (!usable(c)) continue;
        set[2] = c;
        score(3);
      }
    }
  }
  if (bestUnits <= 0) return null;
  const w = new WorkPlan(inst);
  for (let i = 0; i < n; i++) {
    if (splittable[i]) {
      for (let t = 0; t < 3 && bestSet[t]! >= 0; t++) {
        const L = bestSet[t]!;
        const v = Math.min(qty[i]! - w.placed[i]!, w.availLeft[L * nSku + skuOf[i]!]!);
        if (elig[i * m + L] && v > 0) w.add(i, L, v);
      }
      continue;
    }
    let pick = -1;
    let pickUnits = 0;
    for (let t = 0; t < 3 && bestSet[t]! >= 0; t++) {
      const L = bestSet[t]!;
      const v = elig[i * m + L] ? Math.min(qty[i]!, w.availLeft[L * nSku + skuOf[i]!]!) : 0;
      if (v > pickUnits || (v === pickUnits && v > 0 && model.q1[L]! < model.q1[pick]!)) {
        pick = L;
        pickUnits = v;
      }
    }
    if (pick >= 0) w.add(i, pick, pickUnits);
  }
  return w;
}

/** Local improvement (see file comment). Mutates w; keeps only exact improvements. */
function improve(inst: Instance, w: WorkPlan, model: CostModel, effort: HeuristicEffort): void {
  const { n, m, nSku, skuOf, qty, elig, splittable, fixed, fvUnit, unitSize, maxShipments } = inst;
  const budget = inst.book.calls + effort.quoteBudget;
  const trial = new WorkPlan(inst);
  /** estimated cost change of moving line i to B, by move code i * m + B */
  const guessOf = inst.arena.f64(n * m);
  const moves = inst.arena.i32(n * m);
  const slope = inst.arena.f64(m);
  const size = inst.arena.f64(m);

  for (let pass = 0; pass < effort.passes && inst.book.calls < budget; pass++) {
    let improved = false;

    // 1. empty a shipment into the other open ones (one fewer shipment)
    if (w.open >= 2) {
      for (let A = 0; A < m && inst.book.calls < budget; A++) {
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
      slope[L] = model.slope(L, size[L]!, w.costAt(L) - fixed[L]!);
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
    for (let t = 0; t < count && inst.book.calls < budget; t++) {
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
    for (let A = 0; A < m && inst.book.calls < budget; A++) {
      if (w.lineCount[A] === 0) continue;
      const costA = w.costAt(A);
      const sizeA = w.sizeAt(A);
      let tried = 0;
      for (let B = 0; B < m && tried < effort.tries; B++) {
        if (w.lineCount[B] !== 0 || model.q1[B] === Infinity || fixed[B]! + model.open(B, sizeA) >= costA) continue;
        trial.copyFrom(w);
        if (!moveShipment(inst, trial, A, B)) continue;
        tried++;
        if (accept(w, trial)) {
          improved = true;
          break;
        }
      }
    }

    // 4. top up lines still short (units first), e.g. after a move freed stock
    if (w.units < inst.totalUnits) {
      for (let L = 0; L < m && inst.book.calls < budget; L++) {
        if (w.lineCount[L] === 0 && w.open >= maxShipments) continue;
        trial.copyFrom(w);
        if (trial.fillFrom(L) > 0 && accept(w, trial)) improved = true;
      }
    }
    if (!improved) break;
  }
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

/** Moves A's whole content to the unopened B (same quantities); false when B cannot take it. */
function moveShipment(inst: Instance, w: WorkPlan, A: number, B: number): boolean {
  const { n, m, nSku, skuOf, elig } = inst;
  for (let i = 0; i < n; i++) {
    const v = w.y[i * m + A]!;
    if (v === 0) continue;
    if (!elig[i * m + B] || w.availLeft[B * nSku + skuOf[i]!]! < v) return false;
    w.remove(i, A);
    w.add(i, B, v);
  }
  return true;
}
