/**
 * Heuristic for instances too large to search exactly.
 *
 * 1. Every allowed location's single-location plan is priced (one quote each; the decision reports them anyway).
 *    Its quote per unit becomes that location's cost estimate: estimates only rank candidates and moves, every
 *    plan that is kept is priced exactly.
 * 2. Three starts: greedy by units then marginal cost, greedy by marginal cost per unit (each step quotes only
 *    the best few candidates by estimate), and the closest-with-stock baseline (so the result is never worse).
 * 3. Local improvement of the best start: empty a shipment into the others, move a line to another shipment,
 *    move a shipment to another location, split a line off to a new location. Moves are tried best estimate
 *    first; the quote budget and pass limit keep latency flat and the result deterministic.
 */
import { splitCost, type Instance } from './instance.ts';
import { comparePlans, singlePlans, WorkPlan, type Plan } from './plan.ts';
import { baselineWorkPlan } from './baseline.ts';

export interface HeuristicEffort {
  /** candidates quoted per greedy step, and per move kind per pass */
  readonly tries: number;
  /** new quotes allowed for local improvement */
  readonly quoteBudget: number;
  readonly passes: number;
}

export const FAST_EFFORT: HeuristicEffort = { tries: 2, quoteBudget: 12, passes: 4 };
/** For measuring the fast setting's quality gap, not for production. */
export const THOROUGH_EFFORT: HeuristicEffort = { tries: 1_000, quoteBudget: 100_000, passes: 50 };

export function heuristicSearch(inst: Instance, effort: HeuristicEffort = FAST_EFFORT): Plan {
  const est = unitEstimates(inst);
  const g1 = greedy(inst, est, 'units', effort.tries);
  const g2 = greedy(inst, est, 'unit_cost', effort.tries);
  const base = baselineWorkPlan(inst);
  let best = g1;
  let bestUnits = g1.units;
  let bestCost = g1.cost();
  for (const w of [g2, base]) {
    if (better(w, bestUnits, bestCost)) {
      best = w;
      bestUnits = w.units;
      bestCost = w.cost();
    }
  }
  const before = best.toPlan();
  improve(inst, best, est, effort);
  const after = best.toPlan();
  return comparePlans(inst, after, before) <= 0 ? after : before;
}

/** Estimated quote cost per unit at each location, from its single-location plan (Infinity if unquotable). */
function unitEstimates(inst: Instance): Float64Array {
  const s = singlePlans(inst);
  const est = inst.arena.f64(inst.m);
  for (let L = 0; L < inst.m; L++) {
    est[L] = s.units[L]! > 0 && s.cost[L] !== Infinity ? Math.max(0, s.cost[L]! - inst.fixed[L]!) / s.units[L]! : Infinity;
  }
  return est;
}

/** Feasibility first, then units, then cost. */
function better(w: WorkPlan, units: number, cost: number): boolean {
  const c = w.cost();
  if ((c === Infinity) !== (cost === Infinity)) return cost === Infinity;
  if (w.units !== units) return w.units > units;
  return c < cost;
}

/**
 * Opens locations one at a time; each takes everything it can of what is still short. 'units' picks the
 * location adding the most units (then the lowest marginal cost); 'unit_cost' the lowest marginal cost per
 * unit. Per step only the `tries` best candidates by estimate are quoted.
 */
function greedy(inst: Instance, est: Float64Array, mode: 'units' | 'unit_cost', tries: number): WorkPlan {
  const { m, fixed } = inst;
  const w = new WorkPlan(inst);
  const pick = inst.arena.i32(tries);
  const pickKey = inst.arena.f64(tries);
  const pickGain = inst.arena.i32(tries);
  while (w.open < inst.maxShipments) {
    const before = w.cost();
    const splitStep = splitCost(inst, w.open + 1) - splitCost(inst, w.open);
    // the `tries` best candidates by (gain desc, estimate) or (estimate per unit), kept sorted by insertion
    let picked = 0;
    for (let L = 0; L < m; L++) {
      if (w.lineCount[L] !== 0 || est[L] === Infinity) continue;
      const g = w.probeGain(L);
      if (g === 0) continue;
      const marginal = fixed[L]! + splitStep + est[L]! * g;
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

/** Local improvement (see file comment). Mutates w; keeps only exact improvements. */
function improve(inst: Instance, w: WorkPlan, est: Float64Array, effort: HeuristicEffort): void {
  const { n, m, nSku, skuOf, qty, elig, splittable, fixed, fvUnit, maxShipments } = inst;
  const budget = inst.book.calls + effort.quoteBudget;
  const trial = new WorkPlan(inst);
  /** estimated saving of moving line i to B, by move code i * m + B */
  const moveGuess = inst.arena.f64(n * m);
  const moveOrder = inst.arena.i32(n * m);

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

    // 2. move one whole line (not split) to another location, best estimated saving first
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (splittable[i] || w.placed[i] === 0) continue;
      const A = w.locationOf(i);
      const v = w.y[i * m + A]!;
      const aCloses = w.lineCount[A] === 1;
      for (let B = 0; B < m; B++) {
        if (B === A || !elig[i * m + B] || est[B] === Infinity) continue;
        const vb = Math.min(qty[i]!, w.availLeft[B * nSku + skuOf[i]!]!);
        if (vb < v) continue;
        const opens = w.lineCount[B] === 0;
        if (opens && !aCloses && w.open >= maxShipments) continue;
        let guess = est[B]! * vb + fvUnit[i * m + B]! * vb - est[A]! * v - fvUnit[i * m + A]! * v;
        if (opens) guess += fixed[B]! + (aCloses ? 0 : splitCost(inst, w.open + 1) - splitCost(inst, w.open));
        if (aCloses) guess -= fixed[A]!;
        if (vb > v) guess = -Infinity; // more units: always worth an exact look
        if (guess >= 0) continue;
        moveGuess[i * m + B] = guess;
        moveOrder[count++] = i * m + B;
      }
    }
    const moves = moveOrder.subarray(0, count);
    moves.sort((a, b) => moveGuess[a]! - moveGuess[b]! || a - b);
    for (let t = 0, tried = 0; t < count && tried < effort.tries * 2 && inst.book.calls < budget; t++) {
      const i = Math.floor(moves[t]! / m);
      const B = moves[t]! % m;
      const A = w.locationOf(i);
      if (A < 0 || A === B) continue;
      const vb = Math.min(qty[i]!, w.availLeft[B * nSku + skuOf[i]!]!);
      if (vb < w.y[i * m + A]! || (w.lineCount[B] === 0 && w.lineCount[A] !== 1 && w.open >= maxShipments)) continue;
      tried++;
      trial.copyFrom(w);
      trial.remove(i, A);
      trial.add(i, B, vb);
      if (accept(w, trial)) improved = true;
    }

    // 3. move a whole shipment to an unopened location that can ship the same lines
    for (let A = 0; A < m && inst.book.calls < budget; A++) {
      if (w.lineCount[A] === 0) continue;
      const costA = w.costAt(A);
      let units = 0;
      for (let i = 0; i < n; i++) units += w.y[i * m + A]!;
      let tried = 0;
      for (let B = 0; B < m && tried < effort.tries; B++) {
        if (w.lineCount[B] !== 0 || est[B] === Infinity || fixed[B]! + est[B]! * units >= costA) continue;
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

/** Keeps the trial when it is better. */
function accept(w: WorkPlan, trial: WorkPlan): boolean {
  if (better(trial, w.units, w.cost())) {
    w.copyFrom(trial);
    return true;
  }
  return false;
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
