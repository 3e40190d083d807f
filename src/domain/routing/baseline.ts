/**
 * The reference policy "closest location that has stock", under the same hard constraints and shipment limit
 * as the optimiser: each line, in order, goes to the closest allowed location holding all of it (else the
 * closest holding some; a splittable line takes from the closest locations in turn). It is what a simple OMS
 * does, it is the floor the optimiser must never fall below, and it seeds the heuristic.
 */
import type { Instance } from './instance.ts';
import { WorkPlan } from './plan.ts';

/** Location indices, closest first (unknown distance last), then canonical order. */
function byDistance(inst: Instance): Int32Array {
  const { m, locs, arena } = inst;
  const order = arena.i32(m);
  const km = arena.f64(m);
  for (let L = 0; L < m; L++) km[L] = locs[L]!.distanceKm ?? Infinity;
  if (m > 64) return order.map((_, L) => L).sort((a, b) => km[a]! - km[b]! || a - b);
  // insertion sort, closest first, ties in index order: a network has a few dozen locations, and a comparator
  // callback per comparison (TypedArray#sort) cost more than the sorting itself
  for (let L = 0; L < m; L++) {
    let t = L;
    while (t > 0 && km[order[t - 1]!]! > km[L]!) {
      order[t] = order[t - 1]!;
      t--;
    }
    order[t] = L;
  }
  return order;
}

export function baselineWorkPlan(inst: Instance): WorkPlan {
  const { n, m, nSku, skuOf, qty, elig, splittable } = inst;
  const w = new WorkPlan(inst);
  const order = byDistance(inst);
  for (let i = 0; i < n; i++) {
    const sku = skuOf[i]!;
    if (splittable[i]) {
      for (let t = 0; t < m && w.placed[i]! < qty[i]!; t++) {
        const L = order[t]!;
        const stock = w.availLeft[L * nSku + sku]!;
        if (elig[i * m + L] && stock > 0 && (w.lineCount[L] !== 0 || w.open < inst.maxShipments)) {
          w.add(i, L, Math.min(qty[i]! - w.placed[i]!, stock));
        }
      }
      continue;
    }
    // closest holding all of the line, else closest holding some
    let pick = -1;
    let partial = -1;
    for (let t = 0; t < m; t++) {
      const L = order[t]!;
      const stock = w.availLeft[L * nSku + sku]!;
      if (!elig[i * m + L] || stock === 0 || (w.lineCount[L] === 0 && w.open >= inst.maxShipments)) continue;
      if (stock >= qty[i]!) {
        pick = L;
        break;
      }
      if (partial < 0) partial = L;
    }
    if (pick < 0) pick = partial;
    if (pick >= 0) w.add(i, pick, Math.min(qty[i]!, w.availLeft[pick * nSku + sku]!));
  }
  return w;
}
