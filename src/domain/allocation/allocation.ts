/**
 * The allocation seam: given what an order still needs and what each candidate location can give it, decide
 * which location gives how much. Pure: the capture workflow locks stock and passes the numbers in.
 * `DefaultAllocationStrategy` is simple (one location that can ship everything, by priority; else split by
 * priority); the routing engine plugs in behind the same interface.
 */
export interface DemandLine {
  lineId: string;
  skuId: string;
  qty: number;
  unitWeightGrams: number;
  unitValueMinor: number;
  hazmat: boolean;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
  hsCode?: string | null;
  countryOfOrigin?: string | null;
}
export interface AllocationCandidate {
  locationId: string;
  code: string;
  priority: number;
  /** skuId -> units this order may take here (already net of reservations, safety stock and protections) */
  available: Map<string, number>;
}
export interface AllocationOrder {
  orderId: string;
  channelId: string;
  channelCode: string;
  destination: { country: string; postcode?: string };
  serviceLevel: string;
  currency: string;
  orderValueMinor: number;
  tags: readonly string[];
  requestedDeliveryDate?: string | null;
  placedAt: string;
}
export interface AllocationRequest {
  order: AllocationOrder;
  lines: readonly DemandLine[];
  candidates: readonly AllocationCandidate[];
}
export interface Assignment {
  lineId: string;
  locationId: string;
  qty: number;
}
export interface AllocationPlan {
  assignments: Assignment[];
  /** set by strategies that explain themselves (routing): stored with the order */
  decision?: unknown;
  /** 'hold' when the strategy's policy says so (e.g. nothing fits and the profile holds) */
  hold?: string;
}
export interface AllocationStrategy {
  readonly name: string;
  allocate(req: AllocationRequest): AllocationPlan;
}

export class DefaultAllocationStrategy implements AllocationStrategy {
  readonly name = 'default';
  allocate({ lines, candidates }: AllocationRequest): AllocationPlan {
    const byPriority = [...candidates].sort((a, b) => a.priority - b.priority || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const whole = byPriority.find((c) => lines.every((l) => (c.available.get(l.skuId) ?? 0) >= l.qty));
    if (whole) return { assignments: lines.map((l) => ({ lineId: l.lineId, locationId: whole.locationId, qty: l.qty })) };
    const left = new Map(byPriority.map((c) => [c.locationId, new Map(c.available)]));
    const assignments: Assignment[] = [];
    for (const l of lines) {
      let need = l.qty;
      for (const c of byPriority) {
        if (need === 0) break;
        const avail = left.get(c.locationId)!;
        const take = Math.min(need, avail.get(l.skuId) ?? 0);
        if (take > 0) {
          assignments.push({ lineId: l.lineId, locationId: c.locationId, qty: take });
          avail.set(l.skuId, (avail.get(l.skuId) ?? 0) - take);
          need -= take;
        }
      }
    }
    return { assignments };
  }
}

/**
 * A kit unit is reserved whole or not at all: trims component assignments down to complete kits
 * (min over components of floor(assigned / per-kit qty)). Units trimmed are returned to the caller's pool.
 */
export function trimToCompleteKits(
  assignments: readonly Assignment[],
  kits: ReadonlyArray<{ components: ReadonlyArray<{ lineId: string; perKit: number }> }>,
): Assignment[] {
  let out = assignments.map((a) => ({ ...a }));
  for (const kit of kits) {
    const assigned = (lineId: string) => out.filter((a) => a.lineId === lineId).reduce((s, a) => s + a.qty, 0);
    const complete = Math.min(...kit.components.map((c) => Math.floor(assigned(c.lineId) / c.perKit)));
    for (const c of kit.components) {
      let excess = assigned(c.lineId) - complete * c.perKit;
      // give back from the last assignment first (lowest-ranked location)
      for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
        const a = out[i]!;
        if (a.lineId !== c.lineId) continue;
        const cut = Math.min(a.qty, excess);
        a.qty -= cut;
        excess -= cut;
      }
    }
    out = out.filter((a) => a.qty > 0);
  }
  return out;
}
