import type { OrderService } from '../orders/order.service.ts';

type Raw = Awaited<ReturnType<OrderService['routingStats']>>;

/** How orders were routed over a window: what ops look at to see why orders split, wait or cost more. */
export interface RoutingReport {
  decisions: number;
  outcomes: Record<'routed' | 'partial' | 'backorder' | 'hold', number>;
  methods: Record<string, number>;
  /** orders per deciding profile id */
  profiles: Record<string, number>;
  /** orders by number of shipments ('0' = nothing shipped, '3+' = three or more) */
  shipmentsPerOrder: Record<'0' | '1' | '2' | '3+', number>;
  /** share of orders with a shipment that went in more than one */
  splitRate: number;
  /** shipments per location code, most first */
  locations: Array<{ code: string; shipments: number; late: number }>;
  /** shipments promised later than their service level */
  lateShipments: number;
  units: { requested: number; allocated: number };
  /** candidate locations excluded, per rule, most first */
  exclusions: Array<{ rule: string; candidates: number }>;
  /** routing cost (carrier, handling, penalties, landed cost) per order currency */
  cost: Record<string, { totalMinor: number; perOrderMinor: number }>;
}

export function routingReport(raw: Raw): RoutingReport {
  const r: RoutingReport = {
    decisions: 0, outcomes: { routed: 0, partial: 0, backorder: 0, hold: 0 }, methods: {}, profiles: {}, shipmentsPerOrder: { '0': 0, '1': 0, '2': 0, '3+': 0 },
    splitRate: 0, locations: [], lateShipments: 0, units: { requested: 0, allocated: 0 }, exclusions: [], cost: {},
  };
  const orders = new Map<string, number>();
  const locations = new Map<string, { code: string; shipments: number; late: number }>();
  const location = (code: string) => {
    let l = locations.get(code);
    if (!l) locations.set(code, (l = { code, shipments: 0, late: 0 }));
    return l;
  };
  const exclusions = new Map<string, number>();
  for (const x of raw) {
    r.decisions += x.n;
    if (x.outcome in r.outcomes) r.outcomes[x.outcome as keyof RoutingReport['outcomes']] += x.n;
    r.methods[x.method] = (r.methods[x.method] ?? 0) + x.n;
    r.profiles[x.profile] = (r.profiles[x.profile] ?? 0) + x.n;
    r.shipmentsPerOrder[x.ships >= 3 ? '3+' : (String(x.ships) as '0' | '1' | '2')] += x.n;
    r.units.requested += Number(x.requested);
    r.units.allocated += Number(x.allocated);
    const c = (r.cost[x.currency] ??= { totalMinor: 0, perOrderMinor: 0 });
    c.totalMinor += Number(x.cost);
    orders.set(x.currency, (orders.get(x.currency) ?? 0) + x.n);
    // per decision, its shipments' location codes (and the late ones) and its candidates' exclusion rules, space-separated
    for (const codes of x.locations ?? []) for (const code of codes.split(' ')) location(code).shipments++;
    for (const codes of x.late ?? []) for (const code of codes.split(' ')) {
      location(code).late++;
      r.lateShipments++;
    }
    for (const rules of x.rules ?? []) for (const rule of rules.split(' ')) exclusions.set(rule, (exclusions.get(rule) ?? 0) + 1);
  }
  for (const [cur, c] of Object.entries(r.cost)) c.perOrderMinor = Math.round(c.totalMinor / orders.get(cur)!);
  const shipped = r.decisions - r.shipmentsPerOrder['0'];
  r.splitRate = shipped === 0 ? 0 : Math.round(((r.shipmentsPerOrder['2'] + r.shipmentsPerOrder['3+']) / shipped) * 10_000) / 10_000;
  r.locations = [...locations.values()].sort((a, b) => b.shipments - a.shipments || (a.code < b.code ? -1 : 1));
  r.exclusions = [...exclusions].map(([rule, candidates]) => ({ rule, candidates })).sort((a, b) => b.candidates - a.candidates || (a.rule < b.rule ? -1 : 1));
  return r;
}
