/**
 * Entry points: `route` (optimise), `reroute` (after a location rejects), `routeClosestWithStock` (reference
 * baseline). Each picks the profile chain, compiles the instance per profile, solves it, and falls through to
 * the next matching profile when nothing fits and the profile says so.
 */
import { baselineWorkPlan } from './baseline.ts';
import { buildDecision, DecisionContext } from './decision.ts';
import { exactSearch, searchSpace } from './exact-search.ts';
import { EFFORT, heuristicSearch } from './heuristic-search.ts';
import { Arena } from './arena.ts';
import { arenaBytes, buildInstance, prepare, QuoteBook, type Instance, type Prepared } from './instance.ts';
import { evaluatePlan, type Plan } from './plan.ts';
import { DEFAULT_PROFILE, matchingProfiles } from './profile.ts';
import type { RejectedShipment, RoutingDecision, RoutingInput, RoutingOrder, RoutingProfile, SearchLevel } from './types.ts';

/** A caller bug (malformed input), as opposed to an order that cannot be routed (a decision, not an error). */
export class RoutingInputError extends Error {
  constructor(
    readonly code: 'invalid_line' | 'duplicate_line' | 'not_in_decision' | 'invalid_rejection',
    message: string,
  ) {
    super(message);
    this.name = 'RoutingInputError';
  }
}

/** Exact search when the decision space is at most this big and the instance is small... */
const EXACT_SPACE_SMALL_INSTANCE = 2_000_000;
/**
 * ...or at most this big whatever the instance size. Kept low because capture routes every order inline with
 * real quotes (carrier rating, promise calendar, landed cost): on a 10-location network a 3-line order has a
 * space of 1,000, and proving optimality there cost ~2.5× the heuristic's time for a mean gap under 2%.
 */
const EXACT_SPACE_ANY = 200;
/** Branch-and-bound nodes before giving up on a proof (the best plan found is still returned). */
const NODE_BUDGET = 200_000;

/**
 * Which location(s) should fulfil this order.
 * @example
 * const d = route({ order, candidates, profiles: [], quote: (loc, lines) => rateShop(loc, lines) });
 * d.outcome; // 'routed'
 * d.explanation; // "WH-EAST ships all 3 lines (7 units) for 742; next best WH-WEST 910 (+168: carrier +150, ...)"
 */
export function route(input: RoutingInput): RoutingDecision {
  return run(input, 'optimise', input.order, matchingProfiles(input.order, input.profiles));
}

/** The reference policy: each line from the closest allowed location with stock (same constraints). */
export function routeClosestWithStock(input: RoutingInput): RoutingDecision {
  return run(input, 'baseline', input.order, matchingProfiles(input.order, input.profiles));
}

/**
 * Routes again the units a location rejected, never to that location (nor to any that rejected earlier in the
 * chain of decisions). `input.candidates` must describe stock as it is now (the kept shipments reserved, the
 * rejected units released). The new decision covers only the rejected units; it keeps the previous profile,
 * counts the kept shipments against maxSplits and charges every new shipment the split penalty.
 */
export function reroute(input: RoutingInput, previous: RoutingDecision, rejected: RejectedShipment): RoutingDecision {
  const shipment = previous.shipments.find((s) => s.locationId === rejected.locationId);
  if (shipment === undefined) {
    throw new RoutingInputError('not_in_decision', `location ${rejected.locationId} has no shipment in the previous decision`);
  }
  const rejectedQty = new Map<string, number>();
  for (const r of rejected.lines) {
    const shipped = shipment.lines.find((l) => l.lineId === r.lineId)?.qty ?? 0;
    const q = (rejectedQty.get(r.lineId) ?? 0) + r.qty;
    if (!Number.isSafeInteger(r.qty) || r.qty < 0 || q > shipped) {
      throw new RoutingInputError('invalid_rejection', `line ${r.lineId}: rejected ${q}, shipped ${shipped} from ${rejected.locationId}`);
    }
    rejectedQty.set(r.lineId, q);
  }
  const order: RoutingOrder = {
    ...input.order,
    lines: input.order.lines.filter((l) => (rejectedQty.get(l.lineId) ?? 0) > 0).map((l) => ({ ...l, qty: rejectedQty.get(l.lineId)! })),
  };
  const keptShipments = previous.shipments.filter(
    (s) => s.locationId !== rejected.locationId || s.lines.some((l) => l.qty > (rejectedQty.get(l.lineId) ?? 0)),
  ).length;
  const rejectedLocationIds = [...new Set([...(previous.reroute?.rejectedLocationIds ?? []), rejected.locationId])].sort();

  const full = matchingProfiles(input.order, input.profiles);
  const at = full.findIndex((p) => p.id === previous.profile.id && p.version === previous.profile.version);
  const chain: RoutingProfile[] =
    at >= 0
      ? full.slice(at)
      : [input.profiles.find((p) => p.id === previous.profile.id && p.version === previous.profile.version) ?? DEFAULT_PROFILE];

  const codeOf = (id: string) => input.candidates.find((c) => c.locationId === id)?.code ?? id;
  return run(input, 'optimise', order, chain, {
    rejected: new Set(rejectedLocationIds),
    existingShipments: keptShipments,
    reroute: {
      rejectedLocationIds,
      rejectedUnits: [...rejectedQty.values()].reduce((a, b) => a + b, 0),
      keptShipments,
      rejectedCodes: [codeOf(rejected.locationId)],
      rejectedLines: [...rejectedQty.values()].filter((q) => q > 0).length,
    },
  });
}

interface RunOptions {
  rejected?: ReadonlySet<string>;
  existingShipments?: number;
  reroute?: DecisionContext['reroute'];
}

function run(
  input: RoutingInput,
  mode: 'optimise' | 'baseline',
  order: RoutingOrder,
  chain: readonly RoutingProfile[],
  opts: RunOptions = {},
): RoutingDecision {
  validateOrder(order);
  const arena = Arena.acquire(arenaBytes(order.lines.length, input.candidates.length));
  try {
    return runWith(input, mode, prepare(order, input.candidates, arena), chain, opts);
  } finally {
    arena.release();
  }
}

function runWith(input: RoutingInput, mode: 'optimise' | 'baseline', prep: Prepared, chain: readonly RoutingProfile[], opts: RunOptions): RoutingDecision {
  const book = new QuoteBook(input.quote, prep.cands.length);
  const trail: RoutingDecision['profileTrail'] = [];
  for (let k = 0; ; k++) {
    const profile = chain[k]!;
    const inst = buildInstance(prep, profile, book, input.futureValue, {
      rejected: opts.rejected,
      existingShipments: opts.existingShipments,
    });
    const search = profile.search ?? 'balanced';
    const solved = mode === 'baseline' ? { plan: feasibleOrEmpty(inst, baselineWorkPlan(inst).toPlan()), method: 'baseline' as const, nodes: 0 } : solve(inst, input.forceMethod, search);
    const last = k === chain.length - 1;
    if (solved.plan.units === 0 && inst.totalUnits > 0 && profile.whenNothingFits === 'next_profile' && !last) {
      trail.push({ id: profile.id, version: profile.version, result: inst.m === 0 ? 'every location excluded' : 'no allowed location can ship' });
      continue;
    }
    return buildDecision(inst, solved.plan, new DecisionContext(solved.method, solved.nodes, trail, opts.reroute, search));
  }
}

function solve(inst: Instance, force: RoutingInput['forceMethod'], level: SearchLevel): { plan: Plan; method: 'exact' | 'heuristic'; nodes: number } {
  if (inst.m === 0 || inst.totalUnits === 0) return { plan: emptyPlan(inst), method: 'exact', nodes: 0 };
  let useExact = force === 'exact' || (force !== 'heuristic' && level === 'optimal');
  if (!useExact && force !== 'heuristic') {
    // the space is counted only up to the limit that can apply (it stops as soon as it passes it)
    const smallShape = inst.m <= 6 && inst.n <= 6;
    const space = searchSpace(inst, smallShape ? EXACT_SPACE_SMALL_INSTANCE : EXACT_SPACE_ANY);
    useExact = (smallShape && space <= EXACT_SPACE_SMALL_INSTANCE) || space <= EXACT_SPACE_ANY;
  }
  const heuristic = heuristicSearch(inst, level === 'fast' && !useExact ? EFFORT.fast : EFFORT.balanced);
  if (!useExact) return { plan: feasibleOrEmpty(inst, heuristic), method: 'heuristic', nodes: 0 };
  const incumbent = heuristic.cost === Infinity ? null : heuristic;
  const exact = exactSearch(inst, incumbent, NODE_BUDGET);
  return { plan: feasibleOrEmpty(inst, exact.plan ?? heuristic), method: exact.complete ? 'exact' : 'heuristic', nodes: exact.nodes };
}

function emptyPlan(inst: Instance): Plan {
  return evaluatePlan(inst, inst.arena.i32(inst.n * inst.m));
}

/** An unquotable plan is no plan; a ship-complete profile accepts only a complete one. */
function feasibleOrEmpty(inst: Instance, plan: Plan): Plan {
  if (plan.cost === Infinity) return emptyPlan(inst);
  if (inst.profile.constraints.shipComplete && plan.units < inst.totalUnits) return emptyPlan(inst);
  return plan;
}

function validateOrder(order: RoutingOrder): void {
  const lines = order.lines;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!Number.isSafeInteger(l.qty) || l.qty < 0) throw new RoutingInputError('invalid_line', `line ${l.lineId}: qty must be an integer >= 0`);
    // orders have a handful of lines: a quadratic scan beats building a Set (large orders get the Set)
    if (lines.length <= 32) for (let j = 0; j < i; j++) if (lines[j]!.lineId === l.lineId) duplicate(l.lineId);
  }
  if (lines.length > 32 && new Set(lines.map((l) => l.lineId)).size !== lines.length) {
    const seen = new Set<string>();
    for (const l of lines) {
      if (seen.has(l.lineId)) duplicate(l.lineId);
      seen.add(l.lineId);
    }
  }
}

function duplicate(lineId: string): never {
  throw new RoutingInputError('duplicate_line', `line ${lineId} appears twice`);
}
