/**
 * Exact branch and bound over line assignments, for small instances.
 *
 * Decision space: each line goes to one allowed location (or stays unallocated); a line with a unique SKU takes
 * all the units it can there (taking fewer never helps: units come first and nothing else competes for that
 * stock); a line whose SKU is shared with another line may take any quantity; a splittable line may take any
 * quantity from any subset of locations. Branching follows lines with the fewest options first.
 *
 * Bounds (the quote is a black box, so only two facts about it are used: its cost is >= 0, and a shipment's
 * content is final once no remaining line may join it, at which point its quote is exact):
 * - units: units so far + each remaining line's own maximum; a node that cannot reach the incumbent's units
 *   is cut.
 * - cost, when units are tight (every remaining line must get its maximum): opened shipments' fixed costs +
 *   future value + exact quotes of closed shipments + split penalty so far + the cheapest extra shipment when
 *   some remaining line cannot get its maximum from the locations already open.
 * Only strictly worse nodes are cut, so ties reach the comparator and the stated tie rule decides them.
 */
import { quoteCost, rawQuote, splitCost, type Instance } from './instance.ts';
import { comparePlans, type Plan } from './plan.ts';

export interface ExactResult {
  plan: Plan | null;
  /** false when the node budget ran out (the plan is then the best found, not proven optimal) */
  complete: boolean;
  nodes: number;
}

/** Size of the decision space (capped), to choose between exact search and the heuristic. */
export function searchSpace(inst: Instance, cap: number): number {
  const { n, m, nSku, skuOf, qty, elig, avail, splittable, sharedSku } = inst;
  let space = 1;
  for (let i = 0; i < n; i++) {
    let options = 1;
    for (let L = 0; L < m; L++) {
      if (!elig[i * m + L]) continue;
      const a = Math.min(qty[i]!, avail[L * nSku + skuOf[i]!]!);
      if (splittable[i]) options *= a + 1;
      else options += sharedSku[i] ? a : 1;
      if (options > cap) return cap + 1;
    }
    space *= options;
    if (space > cap) return cap + 1;
  }
  return space;
}

export function exactSearch(inst: Instance, incumbent: Plan | null, nodeBudget: number): ExactResult {
  const bb = new BranchAndBound(inst, incumbent, nodeBudget);
  bb.dfs(0);
  return { plan: bb.best, complete: !bb.aborted, nodes: bb.nodes };
}

/** The search state; methods rather than closures so that nothing is allocated per decision beyond arrays. */
class BranchAndBound {
  readonly lineOrder: Int32Array;
  /** eligible locations of the line at each depth */
  readonly eligible: Int32Array[];
  /** shipments whose content is final once the line at that depth is decided */
  readonly closeAt: Int32Array[];
  /** the most units the lines from each depth on can get */
  readonly remMax: Float64Array;
  /** lower bound of the future value of the lines from each depth on */
  readonly fvLow: Float64Array;
  readonly minFixed: number;

  readonly y: Int32Array;
  readonly availLeft: Int32Array;
  readonly lineCount: Int32Array;
  open = 0;
  units = 0;
  /** fixed costs of open shipments + future value of placed units */
  fixedSum = 0;
  /** exact quote costs of closed shipments */
  closedSum = 0;

  best: Plan | null;
  bestUnits: number;
  bestCost: number;
  nodes = 0;
  aborted = false;

  constructor(
    readonly inst: Instance,
    incumbent: Plan | null,
    readonly nodeBudget: number,
  ) {
    const { n, m, elig, fvUnit, maxUnits, fixed, arena } = inst;
    const count = arena.i32(n);
    for (let i = 0; i < n; i++) for (let L = 0; L < m; L++) count[i]! += elig[i * m + L]!;
    // branching order: fewest options first, then order sequence
    this.lineOrder = arena.i32(n);
    for (let i = 0; i < n; i++) this.lineOrder[i] = i;
    this.lineOrder.sort((a, b) => count[a]! - count[b]! || a - b);
    this.eligible = [];
    const closeLists: number[][] = [];
    for (let d = 0; d < n; d++) {
      const i = this.lineOrder[d]!;
      const e = arena.i32(count[i]!);
      for (let L = 0, k = 0; L < m; L++) if (elig[i * m + L]) e[k++] = L;
      this.eligible.push(e);
      closeLists.push([]);
    }
    for (let L = 0; L < m; L++) {
      let last = -1;
      for (let d = 0; d < n; d++) if (elig[this.lineOrder[d]! * m + L]) last = d;
      if (last >= 0) closeLists[last]!.push(L);
    }
    this.closeAt = closeLists.map((l) => Int32Array.from(l));
    this.remMax = arena.f64(n + 1);
    this.fvLow = arena.f64(n + 1);
    for (let d = n - 1; d >= 0; d--) {
      const i = this.lineOrder[d]!;
      let minFv = 0;
      for (let L = 0; L < m; L++) if (elig[i * m + L] && fvUnit[i * m + L]! < minFv) minFv = fvUnit[i * m + L]!;
      this.remMax[d] = this.remMax[d + 1]! + maxUnits[i]!;
      this.fvLow[d] = this.fvLow[d + 1]! + minFv * maxUnits[i]!;
    }
    let minFixed = Infinity;
    for (let L = 0; L < m; L++) if (fixed[L]! < minFixed) minFixed = fixed[L]!;
    this.minFixed = minFixed;
    this.y = arena.i32(n * m);
    this.availLeft = arena.copyI32(inst.avail);
    this.lineCount = arena.i32(m);
    this.best = incumbent;
    this.bestUnits = incumbent?.units ?? -1;
    this.bestCost = incumbent?.cost ?? Infinity;
  }

  apply(i: number, L: number, v: number): void {
    const { m, nSku, skuOf, fixed, fvUnit } = this.inst;
    this.y[i * m + L] = v;
    this.availLeft[L * nSku + skuOf[i]!]! -= v;
    if (this.lineCount[L]!++ === 0) {
      this.open++;
      this.fixedSum += fixed[L]!;
    }
    this.fixedSum += v * fvUnit[i * m + L]!;
    this.units += v;
  }

  unapply(i: number, L: number, v: number): void {
    const { m, nSku, skuOf, fixed, fvUnit } = this.inst;
    this.y[i * m + L] = 0;
    this.availLeft[L * nSku + skuOf[i]!]! += v;
    if (--this.lineCount[L]! === 0) {
      this.open--;
      this.fixedSum -= fixed[L]!;
    }
    this.fixedSum -= v * fvUnit[i * m + L]!;
    this.units -= v;
  }

  /** Some remaining line cannot get its maximum from the open locations: another shipment is needed. */
  mustOpen(d: number): boolean {
    const { n, nSku, skuOf, qty, maxUnits, splittable } = this.inst;
    for (let e = d; e < n; e++) {
      const i = this.lineOrder[e]!;
      const need = maxUnits[i]!;
      if (need === 0) continue;
      let got = 0;
      const locs = this.eligible[e]!;
      for (let t = 0; t < locs.length; t++) {
        const L = locs[t]!;
        if (this.lineCount[L] === 0) continue;
        const v = Math.min(qty[i]!, this.availLeft[L * nSku + skuOf[i]!]!);
        if (splittable[i]) got += v;
        else if (v > got) got = v;
      }
      if (got < need) return true;
    }
    return false;
  }

  leaf(): void {
    const inst = this.inst;
    const cost = this.fixedSum + this.closedSum + splitCost(inst, this.open);
    if (this.units < this.bestUnits || (this.units === this.bestUnits && cost > this.bestCost)) return;
    let prioritySum = 0;
    for (let L = 0; L < inst.m; L++) if (this.lineCount[L] !== 0) prioritySum += inst.priority[L]!;
    const cand: Plan = { y: this.y, units: this.units, cost, shipments: this.open, prioritySum };
    if (this.best === null || comparePlans(inst, cand, this.best) < 0) {
      this.best = { ...cand, y: inst.arena.copyI32(this.y) };
      this.bestUnits = this.units;
      this.bestCost = cost;
    }
  }

  /** After line d is decided: close the shipments it was the last candidate for, then go deeper. */
  step(d: number): void {
    // the child's unit bound does not depend on the quotes of the shipments closing here: check it before
    // quoting them, and re-check the child's cost bound after each quote (quotes are >= 0, so a bound that
    // already fails cannot recover); a child cut this way counts as the node dfs(d + 1) would have visited
    const reach = this.units + this.remMax[d + 1]!;
    if (reach < this.bestUnits) return this.cutChild();
    const tight = reach === this.bestUnits;
    let added = 0;
    const closing = this.closeAt[d]!;
    for (let t = 0; t < closing.length; t++) {
      const L = closing[t]!;
      if (this.lineCount[L] === 0) continue;
      if (tight && this.fixedSum + this.closedSum + splitCost(this.inst, this.open) + this.fvLow[d + 1]! > this.bestCost) {
        this.closedSum -= added;
        return this.cutChild();
      }
      const c = quoteCost(this.inst, rawQuote(this.inst, L, this.y));
      if (c === Infinity) {
        this.closedSum -= added;
        return;
      }
      this.closedSum += c;
      added += c;
    }
    this.dfs(d + 1);
    this.closedSum -= added;
  }

  /** Accounts for a child node cut before it was entered (as dfs would count it). */
  cutChild(): void {
    if (this.aborted) return;
    if (++this.nodes > this.nodeBudget) this.aborted = true;
  }

  splitLine(d: number, i: number, k: number, remaining: number): void {
    const locs = this.eligible[d]!;
    if (k === locs.length) return this.step(d);
    const { nSku, skuOf, maxShipments } = this.inst;
    const L = locs[k]!;
    const top = Math.min(remaining, this.availLeft[L * nSku + skuOf[i]!]!);
    for (let v = top; v >= 1; v--) {
      if (this.lineCount[L] === 0 && this.open >= maxShipments) break;
      this.apply(i, L, v);
      this.splitLine(d, i, k + 1, remaining - v);
      this.unapply(i, L, v);
      if (this.aborted) return;
    }
    this.splitLine(d, i, k + 1, remaining);
  }

  dfs(d: number): void {
    if (this.aborted) return;
    if (++this.nodes > this.nodeBudget) {
      this.aborted = true;
      return;
    }
    const inst = this.inst;
    if (d === inst.n) return this.leaf();
    const reach = this.units + this.remMax[d]!;
    if (reach < this.bestUnits) return;
    if (reach === this.bestUnits) {
      let lb = this.fixedSum + this.closedSum + splitCost(inst, this.open) + this.fvLow[d]!;
      if (this.mustOpen(d)) {
        if (this.open >= inst.maxShipments) return;
        lb += this.minFixed + splitCost(inst, this.open + 1) - splitCost(inst, this.open);
      }
      if (lb > this.bestCost) return;
    }
    const { nSku, skuOf, qty, splittable, sharedSku, maxShipments } = inst;
    const i = this.lineOrder[d]!;
    if (splittable[i]) return this.splitLine(d, i, 0, qty[i]!);
    const locs = this.eligible[d]!;
    for (let t = 0; t < locs.length; t++) {
      const L = locs[t]!;
      if (this.lineCount[L] === 0 && this.open >= maxShipments) continue;
      const top = Math.min(qty[i]!, this.availLeft[L * nSku + skuOf[i]!]!);
      const low = sharedSku[i] ? 1 : top;
      for (let v = top; v >= low && v > 0; v--) {
        this.apply(i, L, v);
        this.step(d);
        this.unapply(i, L, v);
        if (this.aborted) return;
      }
    }
    this.step(d);
  }
}
