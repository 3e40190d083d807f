/**
 * A plan is a matrix y[i * m + L] = units of line i shipped from location L. This file prices plans and orders
 * them: the objective (units, then cost) and the stated tie rule are one comparator shared by every search, so
 * exact search, heuristic and baseline agree on what "better" means.
 */
import { quoteCost, rawQuote, rawQuoteMask, reserveQuote, splitCost, type Instance, type Singles } from './instance.ts';
import type { ShipmentQuote } from './types.ts';

export const TIE_BREAK_RULE =
  'most units allocated, then lowest total cost, then fewest shipments, then lowest summed location priority, ' +
  'then the alphabetically first set of location codes, then line by line (order sequence) the most units from ' +
  'the alphabetically first location';

export interface Plan {
  readonly y: Int32Array;
  readonly units: number;
  /** Infinity when a shipment cannot be quoted */
  readonly cost: number;
  readonly shipments: number;
  readonly prioritySum: number;
}

/** Prices a plan from scratch. */
export function evaluatePlan(inst: Instance, y: Int32Array): Plan {
  const { n, m } = inst;
  let units = 0;
  let cost = 0;
  let shipments = 0;
  let prioritySum = 0;
  for (let L = 0; L < m; L++) {
    let lineUnits = 0;
    let fv = 0;
    for (let i = 0, k = L; i < n; i++, k += m) {
      const v = y[k]!;
      if (v !== 0) {
        lineUnits += v;
        fv += v * inst.fvUnit[k]!;
      }
    }
    if (lineUnits === 0) continue;
    units += lineUnits;
    shipments++;
    prioritySum += inst.priority[L]!;
    cost += inst.fixed[L]! + fv + quoteCost(inst, rawQuote(inst, L, y));
  }
  cost += splitCost(inst, shipments);
  return { y, units, cost, shipments, prioritySum };
}

/** < 0 when a is better than b under the objective and TIE_BREAK_RULE (location indices are in code order). */
export function comparePlans(inst: Instance, a: Plan, b: Plan): number {
  // a plan with a shipment that cannot be quoted is infeasible: worse than any feasible plan
  if ((a.cost === Infinity) !== (b.cost === Infinity)) return a.cost === Infinity ? 1 : -1;
  if (a.units !== b.units) return b.units - a.units;
  if (a.cost !== b.cost) return a.cost < b.cost ? -1 : 1;
  if (a.shipments !== b.shipments) return a.shipments - b.shipments;
  if (a.prioritySum !== b.prioritySum) return a.prioritySum - b.prioritySum;
  const { n, m } = inst;
  // equal-size sets of locations: the first location in one set only decides (sorted-list comparison)
  for (let L = 0; L < m; L++) {
    let ua = false;
    let ub = false;
    for (let i = 0, k = L; i < n; i++, k += m) {
      if (a.y[k] !== 0) ua = true;
      if (b.y[k] !== 0) ub = true;
    }
    if (ua !== ub) return ua ? -1 : 1;
  }
  for (let k = 0; k < n * m; k++) if (a.y[k] !== b.y[k]) return b.y[k]! - a.y[k]!;
  return 0;
}

/**
 * Mutable working plan for the constructive searches: keeps remaining stock, per-location line counts and
 * cached shipment costs so that a move re-prices only the shipments it touches.
 */
export class WorkPlan {
  readonly y: Int32Array;
  readonly availLeft: Int32Array;
  readonly placed: Int32Array;
  readonly lineCount: Int32Array;
  /** fixed + future value + quote cost of each open shipment; NaN = not priced since last change */
  readonly shipCost: Float64Array;
  open = 0;
  units = 0;
  /**
   * cost() is kept incrementally (the searches ask for it after every move, and a move touches one or two
   * shipments): `pricedSum` sums the finite costs of the open shipments that are not dirty, `infinite` counts
   * those that cannot ship, and `dirty` lists the shipments changed since (each once, flagged in isDirty).
   * Costs are whole minor units, so adding and subtracting them is exact.
   */
  #pricedSum = 0;
  #infinite = 0;
  readonly #dirty: Int32Array;
  #dirtyCount = 0;
  readonly #isDirty: Uint8Array;

  constructor(readonly inst: Instance) {
    const a = inst.arena;
    this.y = a.i32(inst.n * inst.m);
    this.availLeft = a.copyI32(inst.avail);
    this.placed = a.i32(inst.n);
    this.lineCount = a.i32(inst.m);
    this.shipCost = a.f64(inst.m);
    this.#dirty = a.i32(inst.m);
    this.#isDirty = a.u8(inst.m);
  }

  copyFrom(o: WorkPlan): void {
    this.y.set(o.y);
    this.availLeft.set(o.availLeft);
    this.placed.set(o.placed);
    this.lineCount.set(o.lineCount);
    this.shipCost.set(o.shipCost);
    this.open = o.open;
    this.units = o.units;
    this.#pricedSum = o.#pricedSum;
    this.#infinite = o.#infinite;
    this.#dirty.set(o.#dirty);
    this.#dirtyCount = o.#dirtyCount;
    this.#isDirty.set(o.#isDirty);
  }

  /** Adds v units of line i at L. */
  add(i: number, L: number, v: number): void {
    const { m, nSku, skuOf } = this.inst;
    const k = i * m + L;
    if (this.#isDirty[L] === 0) {
      // take L's clean cost out of the running sum; it is priced again when cost() is next asked
      if (this.lineCount[L] !== 0) {
        const c = this.shipCost[L]!;
        if (c === Infinity) this.#infinite--;
        else this.#pricedSum -= c;
      }
      this.#isDirty[L] = 1;
      this.#dirty[this.#dirtyCount++] = L;
    }
    if (this.y[k] === 0 && v !== 0 && this.lineCount[L]++ === 0) this.open++;
    this.y[k]! += v;
    if (this.y[k] === 0 && v !== 0 && --this.lineCount[L]! === 0) this.open--;
    this.availLeft[L * nSku + skuOf[i]!]! -= v;
    this.placed[i]! += v;
    this.units += v;
    this.shipCost[L] = NaN;
  }

  /** Removes line i from L entirely; returns the units it had there. */
  remove(i: number, L: number): number {
    const v = this.y[i * this.inst.m + L]!;
    if (v !== 0) this.add(i, L, -v);
    return v;
  }

  /** Removes every line from L. */
  clear(L: number): void {
    for (let i = 0; i < this.inst.n; i++) this.remove(i, L);
  }

  costAt(L: number): number {
    if (this.lineCount[L] === 0) return 0;
    let c = this.shipCost[L]!;
    if (c !== c) {
      const { inst, y } = this;
      c = inst.fixed[L]! + quoteCost(inst, rawQuote(inst, L, y));
      for (let i = 0, k = L; i < inst.n; i++, k += inst.m) c += y[k]! * inst.fvUnit[k]!;
      this.shipCost[L] = c;
    }
    return c;
  }

  cost(): number {
    for (let d = 0; d < this.#dirtyCount; d++) {
      const L = this.#dirty[d]!;
      this.#isDirty[L] = 0;
      if (this.lineCount[L] === 0) continue;
      const c = this.costAt(L);
      if (c === Infinity) this.#infinite++;
      else this.#pricedSum += c;
    }
    this.#dirtyCount = 0;
    return this.#infinite > 0 ? Infinity : splitCost(this.inst, this.open) + this.#pricedSum;
  }

  /**
   * A lower bound of cost() that makes no quote: priced shipments at their cost, the others at fixed + future
   * value (their quote is >= 0). Infinity when a priced shipment cannot ship. Needs inst.quoteNonNegative.
   */
  costLowerBound(): number {
    if (this.#infinite > 0) return Infinity;
    const { inst, y } = this;
    const { n, m } = inst;
    // the clean shipments are priced (in #pricedSum); only the dirty ones can be unpriced
    let c = splitCost(inst, this.open) + this.#pricedSum;
    for (let d = 0; d < this.#dirtyCount; d++) {
      const L = this.#dirty[d]!;
      if (this.lineCount[L] === 0) continue;
      const s = this.shipCost[L]!;
      if (s === s) c += s;
      else {
        c += inst.fixed[L]!;
        for (let i = 0, k = L; i < n; i++, k += m) c += y[k]! * inst.fvUnit[k]!;
      }
    }
    return c;
  }

  /** Counts the quotes cost() would ask for as asked, without making them (see reserveQuote). */
  reserveUnpriced(): void {
    for (let d = 0; d < this.#dirtyCount; d++) {
      const L = this.#dirty[d]!;
      const s = this.shipCost[L]!;
      if (this.lineCount[L] !== 0 && s !== s) reserveQuote(this.inst, L, this.y);
    }
  }

  /** The single location that holds line i (non-split lines), or -1. */
  locationOf(i: number): number {
    const { m } = this.inst;
    for (let L = 0, k = i * m; L < m; L++, k++) if (this.y[k] !== 0) return L;
    return -1;
  }

  /**
   * Gives L everything it can still add: each line still short, eligible at L, takes min(short, stock left);
   * a line that cannot be split only if it is not placed anywhere yet. Returns the units added.
   */
  fillFrom(L: number): number {
    const { inst } = this;
    const { n, m, nSku, skuOf, qty, elig, splittable } = inst;
    let gained = 0;
    for (let i = 0; i < n; i++) {
      const short = qty[i]! - this.placed[i]!;
      if (short === 0 || !elig[i * m + L]) continue;
      if (!splittable[i] && this.placed[i] !== 0) continue;
      const v = Math.min(short, this.availLeft[L * nSku + skuOf[i]!]!);
      if (v > 0) {
        this.add(i, L, v);
        gained += v;
      }
    }
    return gained;
  }

  /** size (grams) of what the last probeGain would add */
  probedSize = 0;

  /**
   * The lines a location could still add to (short, and splittable or not placed yet) into `out`; returns how
   * many. Probing many locations against the same plan reads only these (see probeGain).
   */
  openLines(out: Int32Array): number {
    const { n, qty, splittable } = this.inst;
    let count = 0;
    for (let i = 0; i < n; i++) if (qty[i] !== this.placed[i] && (splittable[i] || this.placed[i] === 0)) out[count++] = i;
    return count;
  }

  /**
   * The units fillFrom(L) would add (and their size in probedSize), without changing the plan. `open` and
   * `count` come from openLines on the plan as it is now.
   */
  probeGain(L: number, open: Int32Array, count: number): number {
    const { inst } = this;
    const { n, m, nSku, skuOf, qty, elig, unitSize } = inst;
    let gained = 0;
    let size = 0;
    if (inst.anySharedSku) {
      gained = this.fillFrom(L);
      for (let i = 0, k = L; i < n; i++, k += m) size += this.y[k]! * unitSize[i]!;
      if (gained !== 0) this.clear(L);
    } else {
      for (let t = 0; t < count; t++) {
        const i = open[t]!;
        if (!elig[i * m + L]) continue;
        const v = Math.min(qty[i]! - this.placed[i]!, this.availLeft[L * nSku + skuOf[i]!]!);
        gained += v;
        size += v * unitSize[i]!;
      }
    }
    this.probedSize = size;
    return gained;
  }

  /** Total size (grams) of L's content. */
  sizeAt(L: number): number {
    const { n, m, unitSize } = this.inst;
    let s = 0;
    for (let i = 0, k = L; i < n; i++, k += m) s += this.y[k]! * unitSize[i]!;
    return s;
  }

  /** The plan as it stands (a copy), priced: what evaluatePlan would say, from the kept totals. */
  toPlan(): Plan {
    const cost = this.cost();
    let prioritySum = 0;
    for (let L = 0; L < this.inst.m; L++) if (this.lineCount[L] !== 0) prioritySum += this.inst.priority[L]!;
    return { y: this.inst.arena.copyI32(this.y), units: this.units, cost, shipments: this.open, prioritySum };
  }
}

/** What each location could ship alone (units first); computed once per instance, used by search and report. */
export function singlePlans(inst: Instance): Singles {
  if (inst.singles !== null) return inst.singles;
  const { n, m, arena, defQty, fvUnit, unitSize } = inst;
  const units = arena.i32(m);
  const lines = arena.i32(m);
  const futureValue = arena.i32(m);
  const size = arena.f64(m);
  const cost = arena.f64(m);
  const quotes: Array<ShipmentQuote | null> = new Array(m);
  // without SKUs shared between lines, a location alone ships every eligible line at its default quantity:
  // read it straight from the arrays; otherwise fill a working plan (lines then compete for stock)
  const w = inst.anySharedSku || n > 30 ? new WorkPlan(inst) : null;
  for (let L = 0; L < m; L++) {
    let u = 0;
    let ln = 0;
    let fv = 0;
    let sz = 0;
    let mask = 0;
    if (w !== null) w.fillFrom(L);
    for (let i = 0, k = L; i < n; i++, k += m) {
      const v = w !== null ? w.y[k]! : defQty[k]!;
      if (v === 0) continue;
      u += v;
      ln++;
      fv += v * fvUnit[k]!;
      sz += v * unitSize[i]!;
      mask |= 1 << i;
    }
    units[L] = u;
    lines[L] = ln;
    futureValue[L] = fv;
    size[L] = sz;
    const q = u === 0 ? null : w !== null ? rawQuote(inst, L, w.y) : rawQuoteMask(inst, L, mask);
    quotes[L] = q;
    cost[L] = q === null ? Infinity : inst.fixed[L]! + fv + quoteCost(inst, q);
    if (w !== null) w.clear(L);
  }
  return (inst.singles = { units, lines, futureValue, size, quotes, cost });
}
